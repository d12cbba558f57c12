"""Each topic stores its number of published articles (scheduled ones included), filled by a recount;
articles.topic_counts keeps it in step from then on."""

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def recount(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    counted = (
        TaggedArticle.objects.filter(tag=OuterRef("pk"), published_at__isnull=False)
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Tag.objects.update(published_article_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_reply_moves_to_replies_app"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="published_article_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name="tag",
            index=models.Index(fields=["-published_article_count", "name"], name="tag_most_used"),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
