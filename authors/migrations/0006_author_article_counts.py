"""Each author stores their number of published articles (scheduled ones included); the articles
app fills it (articles 0021) and keeps it in step from then on (articles.author_counts)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0005_avatar_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="author",
            name="published_article_count",
            field=models.PositiveIntegerField(default=0, db_default=0, editable=False),
        ),
    ]
