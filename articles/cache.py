"""What the public pages count and ask, read cheaply: topic counts stored per topic
(articles.topic_counts) less the links of the few scheduled articles, which are read once per
request; the article a page shows, with its topics and which parts it has."""

from collections import Counter

from django.db.models import Exists, F, OuterRef

from articles.models import Article, Correction, Source, Tag, TopicLink, counted_topic_links
from articles.topic_counts import with_public_counts
from authors.converters import slug_url_maker
from authors.statements import STAND_IN_TEXT, STAND_IN_TIME, Paged, now, prepared, stand_in_texts
from pagecache.store import LISTING, cached, per_request


def scheduled():
    """(when the next scheduled article goes live, or None; {topic pk: how many scheduled articles
    carry it}), read once per request from the articles' index: scheduled articles are few."""
    return per_request("scheduled-articles", _scheduled)


def _scheduled():
    rows = _scheduled_statement().rows(now())
    return min((at for at, _ in rows), default=None), Counter(tag for _, tag in rows if tag is not None)


@prepared
def _scheduled_statement():
    # Built once per process: it runs on every page made from the database, and usually finds
    # nothing; built for each request, the statement costs several times what the database spends.
    articles = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=STAND_IN_TIME)
    return articles.order_by().values_list("published_at", "tagged_items__tag")


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
    HTML), or None. Read in the same statement (one row per topic): its topics by name (`topics`),
    and `has_corrections`, `has_sources` and `has_replies` (approved ones): its page then reads
    each kind only when there is some."""
    statement = _public_article()
    rows = statement.rows({**now(), STAND_IN_TEXT: slug})
    if not rows:
        return None
    article, url = statement.instance(rows[0]), slug_url_maker("articles:tag")
    pk, name, topic_slug = (statement.column(f"topic_{part}") for part in ("pk", "name", "slug"))
    links = [(row[pk], row[name], row[topic_slug]) for row in rows if row[pk] is not None]
    article.__dict__["topics"] = [TopicLink(pk, name, slug, url(slug)) for pk, name, slug in links]
    return article


@prepared
def _public_article():
    articles = Article.objects.published(at=STAND_IN_TIME).filter(slug=STAND_IN_TEXT)
    replies = Article.replies.rel.related_model.objects.approved()
    parts = {"has_corrections": Correction.objects, "has_sources": Source.objects, "has_replies": replies}
    parts = {name: Exists(part.filter(article=OuterRef("pk"))) for name, part in parts.items()}
    topic = {f"topic_{name}": F(f"tagged_items__tag__{name}") for name in ("pk", "name", "slug")}
    articles = articles.select_related("author").defer("body").annotate(**parts, **topic)
    return articles.order_by("topic_name")


def public_topics_a_to_z():
    """Every topic the public sees, A to Z, as rows (pk, name, slug, public count), for a paginator:
    each page read with a statement built once per process."""
    return Paged(_topics_a_to_z(), now(), make=list)


@prepared
def _topics_a_to_z():
    topics = with_public_counts(Tag.objects.filter(published_article_count__gt=0), at=STAND_IN_TIME)
    return (
        topics.filter(public_count__gt=0).order_by("name").values_list("pk", "name", "slug", "public_count")
    )


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
    links = scheduled()[1]
    # Each link of a scheduled article lowers one topic by one: the first `limit` public counts are
    # among the first `limit` stored ones plus that many. Only those rows are read.
    page = None if limit is None else (0, limit + sum(links.values()))
    rows = _most_used_topics().rows({}, page=page)
    rows = [(pk, name, slug, count - links[pk]) for pk, name, slug, count in rows if count > links[pk]]
    return sorted(rows, key=lambda row: -row[3])  # stable: equal counts stay in name order


@prepared
def _most_used_topics():
    # In the stored counts' order (their index); scheduled articles, taken off, may reorder a few.
    topics = Tag.objects.filter(published_article_count__gt=0).order_by("-published_article_count", "name")
    return topics.values_list("pk", "name", "slug", "published_article_count")
