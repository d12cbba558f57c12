"""Counts the public pages show, kept in the shared cache while the listing is unchanged
(pagecache.store: which articles are published, and in what order)."""

from articles.models import Article, Tag, TaggedArticle
from pagecache.store import LISTING, cached


def published_count():
    """How many articles the public sees: counting them reads an index entry per article."""
    return cached("published-count", lambda: Article.objects.published().count(), keys=[LISTING])


def topic_count(tag):
    """How many articles the public sees on `tag` (reads an index entry per article)."""
    return cached(
        f"topic-count:{tag.pk}",
        lambda: TaggedArticle.objects.public().filter(tag=tag).count(),
        keys=[f"topic:{tag.pk}"],  # touched by every change to which public articles carry it
    )


def tags_in_use(limit=None):
    """Topics with published articles, most used first (the first `limit`), each with
    `article_count`. Counting them reads every article's topics, so the counts are kept while the
    listing is unchanged, as plain tuples: thousands of them load far faster than model instances."""
    rows = cached(
        "tags-in-use",
        lambda: list(Tag.objects.in_use().values_list("pk", "name", "slug", "article_count")),
        keys=[LISTING],
    )
    tags = []
    for pk, name, slug, article_count in rows[:limit]:
        tag = Tag(pk=pk, name=name, slug=slug)
        tag.article_count = article_count
        tags.append(tag)
    return tags
