"""Full-text search: SQLite's FTS5 on the default database, PostgreSQL's full-text search on
PostgreSQL. Both index every article; results are limited to published ones at query time.

An article is re-indexed when it is saved or its topics change (articles.signals). A topic edit
that changes many entries is only queued, in the request, at a cost that does not grow with its
articles: a renamed topic, or the topic another was merged into, waits whole (SearchBacklogTopic);
a deleted topic's articles wait one by one (SearchBacklog), copied in one statement before its
links go, since afterwards nothing records which they were (the deletion removes every link
anyway). `manage.py reindex_search` works the backlog off a batch of at most BACKLOG_BATCH
articles per transaction, going through a queued topic's articles in id order; the search page
says it is catching up while anything waits.
"""

import html
import re
from dataclasses import dataclass

import nh3
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, FloatField, OuterRef, Q
from django.db.models.expressions import RawSQL

from articles.models import Article, SearchBacklog, SearchBacklogTopic, SearchEntry, TaggedArticle
from authors.statements import (
    STAND_IN_ID,
    STAND_IN_TEXT,
    STAND_IN_TIME,
    now,
    prepared,
    stand_in_texts,
)

MAX_QUERY_LENGTH = 200
# Matches ranked at most, the newest first: a word found in nearly every article would otherwise
# have every article scored before the best ten are known (seconds at 100,000 articles).
RESULT_LIMIT = 100
MAX_TERMS = 12
BACKLOG_BATCH = 500  # articles re-indexed per transaction by reindex_search
PG_CONFIG = "english"
# Stand-ins for a query's words in the statements built once per process (authors.statements).
STAND_IN_MATCH, STAND_IN_TITLE = (f"{STAND_IN_TEXT}-{part}" for part in ("match", "title"))

# Title matches rank above topic, summary and body matches (PostgreSQL weights A > B > C).
PG_VECTOR = (
    SearchVector("title", weight="A", config=PG_CONFIG)
    + SearchVector("tags", weight="B", config=PG_CONFIG)
    + SearchVector("summary", weight="B", config=PG_CONFIG)
    + SearchVector("body", weight="C", config=PG_CONFIG)
)
FTS5_RANK = "bm25(articles_search, 10.0, 3.0, 1.0, 5.0, 0.0)"  # title, summary, body, tags, document


def terms_of(text):
    """The words of a query: letters and digits of any script; operators and punctuation dropped."""
    return re.findall(r"[^\W_]+", text[:MAX_QUERY_LENGTH].lower())[:MAX_TERMS]


def index_article(article):
    """Store (or refresh) the article's searchable text."""
    SearchEntry.objects.filter(pk=article.pk).delete()
    SearchEntry.objects.create(
        article=article,
        title=article.title,
        summary=article.summary,
        body=html.unescape(nh3.clean(article.body_html, tags=set())),
        tags=" ".join(article.tags.names()),
    )
    update_vectors(SearchEntry.objects.filter(pk=article.pk))
    SearchBacklog.objects.filter(pk=article.pk).delete()


def work_off_backlog(limit=BACKLOG_BATCH):
    """Re-index at most `limit` articles of the backlog, in one transaction; returns how many were
    taken, 0 once nothing is left to take. On PostgreSQL rows another process holds are skipped, so
    several workers never share one."""
    with transaction.atomic():
        ids = _queued_articles(limit) or _next_articles_of_queued_topics(limit)
        for article in Article.objects.filter(pk__in=ids):
            index_article(article)
        SearchBacklog.objects.filter(pk__in=ids).delete()  # and those whose article is gone
    return len(ids)


def _queued_articles(limit):
    taken = SearchBacklog.objects.select_for_update(skip_locked=True).order_by("pk")
    return list(taken.values_list("pk", flat=True)[:limit])


def _next_articles_of_queued_topics(limit):
    # The next `limit` articles of the first queued topic, which then records how far it got, or
    # leaves the queue at its last batch (and a topic with no article left, such as a deleted one).
    queued = SearchBacklogTopic.objects.select_for_update(skip_locked=True).order_by("pk")
    while topic := queued.first():
        links = TaggedArticle.objects.filter(tag=topic.pk, content_object__gt=topic.done_up_to)
        ids = list(links.order_by("content_object").values_list("content_object", flat=True)[:limit])
        if len(ids) == limit:
            topic.done_up_to = ids[-1]
            topic.save(update_fields=["done_up_to"])
        else:
            topic.delete()
        if ids:
            return ids
    return []


def catching_up():
    """Whether some entries still wait to be refreshed after a topic change (search says so)."""
    return bool(_waiting().rows({}))


@prepared
def _waiting():
    return SearchBacklog.objects.values("pk").union(SearchBacklogTopic.objects.values("pk"), all=True)[:1]


def update_vectors(entries):
    """On PostgreSQL, compute the stored search vector of `entries` from their text."""
    if connection.vendor == "postgresql":
        entries.update(document=PG_VECTOR)


def unindex_article(article_id):
    SearchEntry.objects.filter(pk=article_id).delete()


def _expressions(match):
    """For this database: the filter for entries matching `match` (the query as query_of makes
    it), their score, and the ordering that puts the best first."""
    if connection.vendor == "postgresql":
        query = SearchQuery(match, config=PG_CONFIG, search_type="plain")
        return Q(document=query), SearchRank(F("document"), query), "-score"
    return (
        RawSQL("articles_search MATCH %s", [match], output_field=BooleanField()),
        RawSQL(FTS5_RANK, [], output_field=FloatField()),
        "score",  # bm25: lower is better
    )


def query_of(terms):
    """{stand-in: value} of a query's words: what the database matches."""
    if connection.vendor == "postgresql":
        return {STAND_IN_MATCH: " ".join(terms)}
    # Each word quoted: FTS5 operators in the query are words. In titles: for _title_matches_first.
    phrases = " ".join(f'"{term}"' for term in terms)
    return {STAND_IN_MATCH: phrases, STAND_IN_TITLE: f"{{title}} : ({phrases})"}


@dataclass
class Results:
    ranked_ids: list  # of the results, best first (at most RESULT_LIMIT)
    article_ids: list  # of the same, newest first
    capped: bool  # more articles match than RESULT_LIMIT: the newest of them were ranked
    catching_up: bool  # topic changes are not all in the index yet (the page says so)


def search(text, tags=()):
    """Results for the published articles carrying every one of `tags` (Tag objects) matching every
    word of `text`, best first; None when the text has no words to search for. The statements are
    built once per process (authors.statements): built for each search, they cost about 1 ms each."""
    terms = terms_of(text)
    if not terms:
        return None
    values = {
        **query_of(terms),
        **now(),
        **dict(zip(stand_in_texts(len(tags)), (t.slug for t in tags), strict=True)),
    }
    # The newest RESULT_LIMIT matches, read at once: they give the count and the topic facets, and
    # only they are ranked.
    if connection.vendor == "postgresql":  # scored as they are found, in the same statement
        scored = _newest_scored(len(tags), RESULT_LIMIT).rows(values)
        capped, scored = len(scored) > RESULT_LIMIT, scored[:RESULT_LIMIT]
        ranked = sorted(scored, key=lambda row: (-row[1], row[0]))  # best first, then by id
        waiting = scored[0][2] if scored else catching_up()  # asked by the same statement
        return Results([row[0] for row in ranked], [row[0] for row in scored], capped, waiting)
    ids = [pk for (pk,) in _newest_matches(len(tags), RESULT_LIMIT).rows(values)]
    capped, ids, waiting = len(ids) > RESULT_LIMIT, ids[:RESULT_LIMIT], catching_up()
    if not ids:
        return Results([], [], False, waiting)
    if capped:
        values[STAND_IN_ID] = ids[-1]
        return Results(_title_matches_first(ids, values), ids, capped, waiting)
    return Results([pk for (pk,) in _ranked_matches(len(tags)).rows(values)], ids, capped, waiting)


def _matches(tags):
    # EXISTS, not IN: the full-text match must drive the query (SQLite otherwise probes its index
    # once per published article, seconds at 100,000 articles).
    articles = Article.objects.published(at=STAND_IN_TIME).with_tags(stand_in_texts(tags))
    matches = _expressions(STAND_IN_MATCH)[0]
    return SearchEntry.objects.filter(matches).filter(Exists(articles.filter(pk=OuterRef("pk"))))


@prepared
def _newest_matches(tags, limit):
    return _matches(tags).order_by("-pk").values_list("pk")[: limit + 1]


@prepared
def _ranked_matches(tags):
    # FTS5 scores the rows of a MATCH only: the match is made again (fewer than RESULT_LIMIT rows).
    _, score, order = _expressions(STAND_IN_MATCH)
    return _matches(tags).annotate(score=score).order_by(order, "pk").values_list("pk")


@prepared
def _newest_scored(tags, limit):
    # PostgreSQL: each of the newest matches with its score (ts_rank), ranked by search(), and
    # whether the backlog waits (on every row: computed once, saving the page a round trip).
    score = _expressions(STAND_IN_MATCH)[1]
    waiting = Exists(SearchBacklog.objects.all()) | Exists(SearchBacklogTopic.objects.all())
    entries = _matches(tags).annotate(score=score, waiting=waiting).order_by("-pk")
    return entries.values_list("pk", "score", "waiting")[: limit + 1]


def _title_matches_first(ids, values):
    # FTS5's bm25 first counts every entry holding each word, however few it then scores: for a
    # word in most articles, milliseconds per query. Past RESULT_LIMIT matches (the page says so)
    # the newest of them are shown with those whose title holds every word first, then newest first.
    first = {pk for (pk,) in _in_titles().rows(values)}
    return sorted(ids, key=lambda pk: (pk not in first, -pk))


@prepared
def _in_titles():
    in_title = RawSQL("articles_search MATCH %s", [STAND_IN_TITLE], output_field=BooleanField())
    return SearchEntry.objects.filter(in_title, pk__gte=STAND_IN_ID).values_list("pk")
