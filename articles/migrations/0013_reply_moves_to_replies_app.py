"""Replies move to their own app (replies.0001_initial): this forgets the model here, and keeps its
table, rows, permissions and group grants for the replies app to take over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_article_revised_at'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Reply')],
            database_operations=[],
        ),
    ]
