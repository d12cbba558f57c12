from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publication_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    published = Article.objects.filter(pk=OuterRef("content_object"), status="published")
    TaggedArticle.objects.update(published_at=Subquery(published.values("published_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_random_upload_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="taggedarticle",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["tag", "published_at", "content_object"], name="tagged_article_public"),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
    ]
