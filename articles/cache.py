"""Counts the public pages show, kept in the shared cache while the listing is unchanged
(pagecache.store: which articles are published, and in what order)."""

from django.utils import timezone

from articles.models import Article, Tag, TaggedArticle
from articles.topic_counts import with_public_counts
from pagecache.store import LISTING, cached


def topic_count(tag):
    """How many articles the public sees on `tag`: its stored count less its scheduled articles."""
    return cached(
        f"topic-count:{tag.pk}",
        lambda: (
            with_public_counts(Tag.objects.filter(pk=tag.pk)).values_list("public_count", flat=True).first()
            or 0
        ),
        keys=[f"topic:{tag.pk}"],  # touched by every change to which public articles carry it
    )


def tags_in_use(limit=None):
    """Topics with published articles, most used first (the first `limit`), each with
    `article_count`. The counts are stored per topic (articles.topic_counts) and kept while the
    listing is unchanged, as plain tuples: thousands of them load far faster than model instances."""
    name = "tags-in-use" if limit is None else f"tags-in-use:{limit}"
    rows = cached(name, lambda: _tags_in_use_rows(limit), keys=[LISTING])
    tags = []
    for pk, name, slug, article_count in rows[:limit]:
        tag = Tag(pk=pk, name=name, slug=slug)
        tag.article_count = article_count
        tags.append(tag)
    return tags


def _tags_in_use_rows(limit):
    # Read in the stored counts' order (their index); scheduled articles, taken off, may reorder a few.
    topics = with_public_counts(Tag.objects.filter(published_article_count__gt=0)).order_by(
        "-published_article_count", "name"
    )
    if limit is not None:
        # Each link of a scheduled article lowers one topic by one: the first `limit` public counts
        # are among the first `limit` stored ones plus that many. Only those rows are read.
        topics = topics[: limit + _scheduled_links()]
    rows = [row for row in topics.values_list("pk", "name", "slug", "public_count") if row[3] > 0]
    return sorted(rows, key=lambda row: -row[3])  # stable: equal counts stay in name order


def _scheduled_links():
    """How many topic links scheduled articles have (a few; read from the articles' index)."""
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
    return TaggedArticle.objects.filter(content_object__in=upcoming.values("pk")).count()
