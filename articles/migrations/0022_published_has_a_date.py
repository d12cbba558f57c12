"""A published article always has its publication date, held by the database. One without (written
past the workflow: raw SQL, a script) was never public, since readers see an article once its date
has come: it becomes a draft, as it looked to everyone, before the rule is added."""

from django.db import migrations, models


def unpublish_undated(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(status="published", published_at__isnull=True).update(status="draft")


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_author_article_counts")]

    operations = [
        migrations.RunPython(unpublish_undated, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message="A published article needs a date. To take it down, use Unpublish.",
            ),
        ),
    ]
