"""Replies, moved from the articles app (articles.0013): the model takes over the table
`articles_reply` as it is, and its content type moves with it, so that its permissions (and the
Editor group's grant of them, articles.0005), admin log entries and every reply stay."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="articles", new="replies"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=old, model="reply").exists():
        return  # a database that never had replies: Django makes the content type after migrating
    # One made meanwhile for the new label (a migrate stopped between the two apps) has no grants yet.
    content_types.filter(app_label=new, model="reply").delete()
    content_types.filter(app_label=old, model="reply").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="replies", new="articles")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0013_reply_moves_to_replies_app'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reply',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='Shown with the reply; a pseudonym is fine.', max_length=80)),
                        ('email', models.EmailField(blank=True, help_text='Private: never shown anywhere public.', max_length=254)),
                        ('text', models.TextField(max_length=3000)),
                        ('status', models.CharField(choices=[('pending', 'Waiting for review'), ('approved', 'Approved'), ('spam', 'Spam')], db_index=True, default='pending', max_length=10)),
                        ('allow_links', models.BooleanField(default=False, help_text="Only after checking where the reply's web addresses lead.", verbose_name='make links clickable')),
                        ('client_hash', models.CharField(db_index=True, editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='articles.article')),
                    ],
                    options={
                        'db_table': 'articles_reply',
                        'ordering': ['-created_at'],
                        'verbose_name_plural': 'replies',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
