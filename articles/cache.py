"""What the public pages count and ask, read cheaply: topic counts stored per topic
(articles.topic_counts) less the links of the few scheduled articles, which are read once per
request; which parts an article page has."""

import functools
from collections import Counter

from django.db import connection
from django.utils import timezone

from articles.models import Article, Correction, Source, Tag, TaggedArticle, counted_topic_links
from articles.statements import STAND_IN_TEXT, STAND_IN_TIME, now, prepared, stand_in_texts
from pagecache.store import LISTING, cached, per_request

# An article id that no article has, standing for the article's in the statement of `page_parts`.
ANY_ARTICLE = -1


def scheduled():
    """(when the next scheduled article goes live, or None; {topic pk: how many scheduled articles
    carry it}), read once per request from the articles' index: scheduled articles are few."""
    return per_request("scheduled-articles", _scheduled)


def _scheduled():
    # Written out: it runs on every page made from the database, and usually finds nothing; built
    # by the ORM the statement costs several times what the database spends on it.
    articles, links = Article._meta.db_table, TaggedArticle._meta.db_table
    rows = Article.objects.raw(
        f"SELECT a.id, a.published_at, l.tag_id AS scheduled_tag FROM {articles} AS a "
        f"LEFT JOIN {links} AS l ON l.content_object_id = a.id WHERE a.status = %s AND a.published_at > %s",
        [Article.Status.PUBLISHED, timezone.now()],
    )
    rows = [(row.published_at, row.scheduled_tag) for row in rows]
    return min((at for at, _ in rows), default=None), Counter(tag for _, tag in rows if tag is not None)


def public_topics(slugs):
    """The topics of `slugs` the public may see (as `Tag.objects.public()`): those whose stored
    count has a link left once the scheduled ones are taken off, without probing their links."""
    if not slugs:
        return []
    links = scheduled()[1]
    topics = _topics(len(slugs)).instances(dict(zip(stand_in_texts(len(slugs)), slugs, strict=True)))
    return [tag for tag in topics if tag.published_article_count > links[tag.pk]]


@prepared
def _topics(count):
    return Tag.objects.filter(slug__in=stand_in_texts(count), published_article_count__gt=0)


def public_article(slug):
    """The published article at `slug` with its author, without its Markdown (its page shows the
    HTML), or None."""
    found = _public_article().instances({**now(), STAND_IN_TEXT: slug})
    return found[0] if found else None


@prepared
def _public_article():
    articles = Article.objects.published(at=STAND_IN_TIME).filter(slug=STAND_IN_TEXT)
    return articles.select_related("author").defer("body")[:1]


def page_parts(article):
    """Set `has_corrections`, `has_sources` and `has_replies` (approved ones) on `article`, read in
    one statement: its page then reads each kind only when there is some."""
    sql, params = _page_parts_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [article.pk if param == ANY_ARTICLE else param for param in params])
        article.has_corrections, article.has_sources, article.has_replies = map(bool, cursor.fetchone())


@functools.cache
def _page_parts_statement(vendor):
    # Built by the ORM once per process, from the rules themselves (`approved()`), then only run:
    # built for each request the three EXISTS cost about 1 ms, answered about 30 µs.
    replies = Article.replies.rel.related_model.objects.approved()
    parts = [Correction.objects, Source.objects, replies]
    selects, params = [], []
    for part in parts:
        sql, part_params = (
            part.filter(article=ANY_ARTICLE).order_by().values("pk")[:1].query.sql_with_params()
        )
        selects.append(f"EXISTS({sql})")
        params += part_params
    return "SELECT " + ", ".join(selects), params


def topic_count(tag):
    """How many articles the public sees on `tag` (loaded with its stored count)."""
    return cached(
        f"topic-count:{tag.pk}",
        lambda: tag.published_article_count - scheduled()[1][tag.pk],
        keys=[f"topic:{tag.pk}"],  # touched by every change to which public articles carry it
    )


def tags_in_use(limit=None):
    """Topics with published articles as TopicLinks with their `article_count`, most used first (the
    first `limit`), kept while the listing is unchanged as plain tuples."""
    name = "tags-in-use" if limit is None else f"tags-in-use:{limit}"
    rows = cached(name, lambda: _tags_in_use_rows(limit), keys=[LISTING])
    return counted_topic_links(rows[:limit])


def _tags_in_use_rows(limit):
    # Read in the stored counts' order (their index); scheduled articles, taken off, may reorder a few.
    topics = Tag.objects.filter(published_article_count__gt=0).order_by("-published_article_count", "name")
    links = scheduled()[1]
    if limit is not None:
        # Each link of a scheduled article lowers one topic by one: the first `limit` public counts
        # are among the first `limit` stored ones plus that many. Only those rows are read.
        topics = topics[: limit + sum(links.values())]
    rows = topics.values_list("pk", "name", "slug", "published_article_count")
    rows = [(pk, name, slug, count - links[pk]) for pk, name, slug, count in rows if count > links[pk]]
    return sorted(rows, key=lambda row: -row[3])  # stable: equal counts stay in name order
