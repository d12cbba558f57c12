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
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import BooleanField, Exists, F, FloatField, OuterRef, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Lower, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.models import Article, Card, SearchBacklog, SearchBacklogTopic, SearchEntry, TaggedArticle
from articles.pagination import articles_in_order

MAX_QUERY_LENGTH = 200
# Matches ranked at most, the newest first: a word found in nearly every article would otherwise
# have every article scored before the best ten are known (seconds at 100,000 articles).
RESULT_LIMIT = 100
SNIPPET_STEM, SNIPPET_WINDOW = 5, 900  # PostgreSQL: characters of a word, and of text around it
MAX_TERMS = 12
BACKLOG_BATCH = 500  # articles re-indexed per transaction by reindex_search
MARK_START, MARK_END = "\u27e6", "\u27e7"  # sentinels around matches; replaced by <mark> after escaping
PG_CONFIG = "english"

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
    return re.findall(r"\w+", text[:MAX_QUERY_LENGTH].lower())[:MAX_TERMS]


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
    return (
        SearchBacklog.objects.values("pk").union(SearchBacklogTopic.objects.values("pk"), all=True).exists()
    )


def update_vectors(entries):
    """On PostgreSQL, compute the stored search vector of `entries` from their text."""
    if connection.vendor == "postgresql":
        entries.update(document=PG_VECTOR)


def unindex_article(article_id):
    SearchEntry.objects.filter(pk=article_id).delete()


def _expressions(terms):
    """For this database: the filter for entries matching every term, their score, the ordering
    that puts the best first, and their snippet."""
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(terms), config=PG_CONFIG, search_type="plain")
        # ts_headline parses all the text it is given (about 0.5 ms per article of 800 words): give
        # it the part around the first place the first word's stem appears, or the beginning.
        found = StrIndex(Lower("body"), Value(terms[0][:SNIPPET_STEM]))
        around = Substr("body", Greatest(found - SNIPPET_WINDOW // 3, 1), SNIPPET_WINDOW)
        snippet = SearchHeadline(
            around,
            query,
            config=PG_CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=35,
            min_words=15,
        )
        return Q(document=query), SearchRank(F("document"), query), "-score", snippet
    match = " ".join(f'"{term}"' for term in terms)  # quoted: FTS5 operators in the query are words
    return (
        RawSQL("articles_search MATCH %s", [match], output_field=BooleanField()),
        RawSQL(FTS5_RANK, [], output_field=FloatField()),
        "score",  # bm25: lower is better
        RawSQL(
            "snippet(articles_search, -1, %s, %s, '…', 30)", [MARK_START, MARK_END], output_field=TextField()
        ),
    )


@dataclass
class Results:
    ranked_ids: list  # of the results, best first (at most RESULT_LIMIT)
    article_ids: list  # of the same, newest first
    capped: bool  # more articles match than RESULT_LIMIT: the newest of them were ranked


def search(text, articles=None):
    """Results for the entries of `articles` (default: published) matching every word of `text`,
    best first; None when the text has no words to search for."""
    terms = terms_of(text)
    if not terms:
        return None
    articles = Article.objects.published() if articles is None else articles
    matches, score, order, _ = _expressions(terms)
    # EXISTS, not IN: the full-text match must drive the query (SQLite otherwise probes its index
    # once per published article, seconds at 100,000 articles).
    entries = SearchEntry.objects.filter(matches).filter(Exists(articles.filter(pk=OuterRef("pk"))))
    # The newest RESULT_LIMIT matches, read at once: they give the count and the topic facets, and
    # only they are ranked.
    ids = list(entries.order_by("-pk").values_list("pk", flat=True)[: RESULT_LIMIT + 1])
    capped = len(ids) > RESULT_LIMIT
    ids = ids[:RESULT_LIMIT]
    if not ids:
        return Results([], [], False)
    if connection.vendor == "postgresql":
        ranked = SearchEntry.objects.filter(pk__in=ids)  # matched already: not matched again
    elif capped:
        return Results(_title_matches_first(terms, ids), ids, capped)
    else:
        ranked = entries
    ranked = ranked.annotate(score=score).order_by(order, "pk").values_list("pk", flat=True)
    return Results(list(ranked), ids, capped)


def _title_matches_first(terms, ids):
    # FTS5's bm25 first counts every entry holding each word, however few it then scores: for a
    # word in most articles, milliseconds per query. Past RESULT_LIMIT matches (the page says so)
    # the newest of them are shown with those whose title holds every word first, then newest first.
    phrases = " ".join(f'"{term}"' for term in terms)
    in_title = SearchEntry.objects.filter(
        RawSQL("articles_search MATCH %s", [f"{{title}} : ({phrases})"], output_field=BooleanField()),
        pk__gte=ids[-1],
    )
    first = set(in_title.values_list("pk", flat=True))
    return sorted(ids, key=lambda pk: (pk not in first, -pk))


@dataclass
class Hit:
    article: Card
    snippet: str


def hits(ranked_ids, text):
    """Results ready for a template: each article (a Card, with its topics) with its snippet,
    matches in <mark>. Snippets are made for these entries only (making them for every match
    before ranking would cost seconds)."""
    cards = articles_in_order(ranked_ids)
    if not cards:
        return []
    matches, _, _, snippet = _expressions(terms_of(text))
    snippets = dict(
        SearchEntry.objects.filter(matches, pk__in=[card.pk for card in cards])
        .annotate(snippet=snippet)
        .values_list("pk", "snippet")
    )
    return [Hit(card, highlight(snippets.get(card.pk, ""))) for card in cards]


def highlight(snippet):
    return mark_safe(  # the text is escaped first; only our own <mark> tags are added
        escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )
