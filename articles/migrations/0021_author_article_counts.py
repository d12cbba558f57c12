"""Fill each author's stored number of published articles (scheduled ones included) by a recount;
articles.author_counts keeps it in step from then on."""

from django.db import migrations
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def recount(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("authors", "Author")
    counted = (
        Article.objects.filter(author=OuterRef("pk"), status="published", published_at__isnull=False)
        .order_by()
        .values("author")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Author.objects.update(published_article_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_search_vectors_uncompressed"),
        ("authors", "0006_author_article_counts"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
