"""What keeps a page cheap when nothing is cached (issue #10): bounded reads, whatever the size.

Speed itself is measured by `make bench` (benchmarks/inprocess.py); these tests pin down the reads
that make it: which queries a page runs and how much each may read."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from articles import filters, listings
from articles.cache import tags_in_use
from articles.models import Article, Correction, Source, topics_among
from articles.views import ArticleListView
from authors.converters import slug_url
from authors.statements import STAND_IN_ID, now
from authors.views import AuthorListView
from pagecache import store
from replies.models import Reply
from tests.factories import make_article, make_author, make_scheduled, make_tag

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def no_cache(settings):
    """Every cache off, as the benchmark's cold mode: each page is made from the database."""
    settings.CACHES = DUMMY
    settings.PAGE_CACHE_SECONDS = 0


def sql_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in queries.captured_queries]


# --- Links made without reverse() ----------------------------------------------------------------


@pytest.mark.parametrize("slug", ["botox", "über-größe", "日本語-テスト", "a_b-c", "x" * 90])
@pytest.mark.parametrize("name", ["articles:detail", "articles:tag", "authors:profile"])
def test_slug_url_is_what_reverse_gives(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_slug_url_follows_the_script_prefix():
    try:
        set_script_prefix("/health/")
        assert slug_url("articles:detail", "sleep") == "/health/articles/sleep/"
        assert slug_url("articles:detail", "sleep") == reverse("articles:detail", kwargs={"slug": "sleep"})
    finally:
        set_script_prefix("/")


# --- The next publication time: once per request ----------------------------------------------


def test_a_page_asks_for_the_next_publication_once(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 0
    article = make_article(tags=[make_tag("Sleep")])
    make_scheduled(tags=[make_tag("Pain")])
    asked = mock.patch.object(store, "_next_publication_time", wraps=store._next_publication_time)

    with asked as asking:  # the article and two fragments: three entries, kept for the same time
        _, sql = sql_of(client, article.get_absolute_url())

    assert asking.call_count == 1  # neither the shared cache nor the database asked again
    assert len([query for query in sql if '"articles_article"."published_at" >' in query]) == 1


def test_with_the_cache_off_the_article_page_never_asks_for_the_next_publication(client, no_cache):
    # It only bounds how long an entry is kept, and nothing is kept.
    article = make_article(tags=[make_tag("Sleep")])
    make_scheduled(tags=[make_tag("Pain")])

    response, sql = sql_of(client, article.get_absolute_url())

    assert not [query for query in sql if '"articles_article"."published_at" >' in query]
    assert article.title in response.content.decode() and "Sleep" in response.content.decode()


# --- The article list: no count of every article -------------------------------------------------


@pytest.fixture
def many(monkeypatch):
    monkeypatch.setattr(ArticleListView, "paginate_by", 3)
    author = make_author("Writer")
    return [make_article(f"Article {n}", author=author, days_ago=n + 1) for n in range(7)]


def test_the_unfiltered_list_never_counts_every_article(client, no_cache, many):
    _, sql = sql_of(client, reverse("articles:list"))

    assert not [
        query for query in sql if query.startswith('SELECT COUNT(*) AS "__count" FROM "articles_article"')
    ]
    assert any(query.startswith('SELECT "articles_article"."id"') for query in sql)  # the check can see them


@pytest.mark.parametrize(("page", "titles", "older"), [(1, [0, 1, 2], True), (3, [6], False)])
def test_uncounted_pages_know_whether_an_older_one_follows(client, no_cache, many, page, titles, older):
    response = client.get(reverse("articles:list"), {"page": page})

    html = response.content.decode()
    assert [a.title for a in response.context["page_obj"]] == [f"Article {n}" for n in titles]
    assert ('rel="next"' in html) is older
    assert f"Page {page}</span>" in html  # no "of M": nothing was counted


def test_past_the_last_uncounted_page_is_a_404(client, no_cache, many):
    assert client.get(reverse("articles:list"), {"page": 4}).status_code == 404


def test_page_last_still_finds_the_last_page(client, no_cache, many):
    response = client.get(reverse("articles:list"), {"page": "last"})

    assert [a.title for a in response.context["page_obj"]] == ["Article 6"]


# --- "Narrow further" counts a bounded window --------------------------------------------------


def test_narrowing_counts_only_the_newest_matches(client, no_cache, monkeypatch):
    monkeypatch.setattr(filters, "NARROWING_WINDOW", 2)
    pain, sleep, fatigue = make_tag("Pain"), make_tag("Sleep"), make_tag("Fatigue")
    make_article(tags=[pain, sleep], days_ago=1)
    make_article(tags=[pain, sleep], days_ago=2)
    make_article(tags=[pain, fatigue], days_ago=3)  # the oldest: outside the window

    response = client.get(reverse("articles:list"), {"tag": "pain"})

    offered = {tag.name: tag.article_count for tag, _ in response.context["narrowing"]}
    assert offered == {"Sleep": 2}
    assert "Counts among the newest 2 of these articles." in response.content.decode()


def test_narrowing_without_a_window_says_nothing_of_one(client, no_cache):
    pain, sleep = make_tag("Pain"), make_tag("Sleep")
    make_article(tags=[pain, sleep])
    make_article(tags=[pain])

    response = client.get(reverse("articles:list"), {"tag": "pain"})

    assert {tag.name for tag, _ in response.context["narrowing"]} == {"Sleep"}
    assert "Counts among the newest" not in response.content.decode()


# --- Popular topics: only the rows shown are read ----------------------------------------------


def test_the_first_topics_are_read_with_a_limit_and_match_the_full_ranking(no_cache):
    tags = [make_tag(f"Topic {n}") for n in range(6)]
    for n, tag in enumerate(tags[1:], start=1):
        for _ in range(6 - n):
            make_article(tags=[tag])  # Topic 1: 5 articles, Topic 2: 4, ... Topic 5: 1
    # Topic 0 has the most links stored (7), but five are scheduled: publicly it has two.
    for _ in range(2):
        make_article(tags=[tags[0]])
    for _ in range(5):
        make_scheduled(tags=[tags[0]])

    with CaptureQueriesContext(connection) as queries:
        first = [(t.name, t.article_count) for t in tags_in_use(limit=3)]

    assert first == [("Topic 1", 5), ("Topic 2", 4), ("Topic 3", 3)]
    assert first == [(t.name, t.article_count) for t in tags_in_use()][:3]
    read = [q["sql"] for q in queries.captured_queries if 'FROM "articles_tag"' in q["sql"]]
    assert read and all("LIMIT 8" in sql for sql in read)  # three shown, plus five scheduled links


# --- Related articles: a fixed number of queries ---------------------------------------------


@pytest.mark.parametrize("topics", [1, 5])
def test_related_articles_cost_one_query_whatever_the_topics(django_assert_num_queries, topics):
    tags = [make_tag(f"Topic {n}") for n in range(topics)]
    article = make_article(tags=tags)
    for n in range(8):
        make_article(tags=tags[: 1 + n % topics], days_ago=n + 2)
    article.topics  # noqa: B018 (loaded as the page loads them, before related articles)

    with django_assert_num_queries(1):
        related = article.related()
        shown = [(other.title, other.get_absolute_url(), other.author.pseudonym) for other in related]

    assert len(related) == 3 and article not in related
    loaded = Article.objects.select_related("author").in_bulk([other.pk for other in related])
    assert shown == [
        (o.title, o.get_absolute_url(), o.author.pseudonym) for o in (loaded[other.pk] for other in related)
    ]
    assert all(other.status == Article.Status.PUBLISHED for other in related)  # the rest loads if asked


def test_several_topics_narrow_by_the_matches_among_the_rarest_topics_newest(client, no_cache, monkeypatch):
    monkeypatch.setattr(filters, "NARROWING_WINDOW", 2)
    pain, sleep, fatigue, heat = make_tag("Pain"), make_tag("Sleep"), make_tag("Fatigue"), make_tag("Heat")
    for n in range(4):
        make_article(tags=[pain], days_ago=20 + n)  # Pain is the more common topic
    make_article(tags=[pain, sleep, fatigue], days_ago=1)
    make_article(tags=[sleep], days_ago=2)  # Sleep's second newest: not a match
    make_article(tags=[pain, sleep, heat], days_ago=3)  # a match, but outside Sleep's newest two

    response = client.get(reverse("articles:list"), {"tag": ["pain", "sleep"]})

    assert {tag.name: tag.article_count for tag, _ in response.context["narrowing"]} == {"Fatigue": 1}
    assert [a.title for a in response.context["page_obj"]] == [
        a.title
        for a in Article.objects.filter(tags__name="Sleep")
        .filter(tags__name="Pain")
        .order_by("-published_at")
    ]  # the list itself is whole: only the counts are windowed
    assert "Counts among the matches in the newest 2 articles on “Sleep”." in response.content.decode()


@pytest.mark.parametrize("window", [1, 3, 4, 7, 50])
def test_several_topics_pages_are_the_same_whether_read_from_the_newest_matches_or_not(
    client, no_cache, monkeypatch, window
):
    monkeypatch.setattr(filters, "NARROWING_WINDOW", window)
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    pain, sleep = make_tag("Pain"), make_tag("Sleep")
    for n in range(12):  # every third one on Sleep too; Sleep is the rarer topic
        make_article(f"Day {n}", tags=[pain, sleep] if n % 3 == 0 else [pain, sleep][:1], days_ago=n + 1)
    make_article("Sleep only", tags=[sleep], days_ago=2)
    expected = [
        a.title for a in Article.objects.published().with_tags([pain, sleep]).order_by("-published_at", "-pk")
    ]

    shown = []
    for page in (1, 2):
        response = client.get(reverse("articles:list"), {"tag": ["pain", "sleep"], "page": page})
        shown += [card.title for card in response.context["page_obj"]]
    assert shown == expected == ["Day 0", "Day 3", "Day 6", "Day 9"]
    assert client.get(reverse("articles:list"), {"tag": ["pain", "sleep"], "page": 3}).status_code == 404


def test_several_topics_pages_stay_whole_when_a_stored_count_has_drifted_below_the_truth(
    client, no_cache, monkeypatch
):
    # Whether the newest matches are all of them is read from the database, not from the stored
    # counts: with Sleep's count written down as 1 (as a raw SQL change or a bulk load could leave
    # it, until `repair_topic_counts`), the list must still go past the window's matches.
    monkeypatch.setattr(filters, "NARROWING_WINDOW", 3)
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    pain, sleep, rest = make_tag("Pain"), make_tag("Sleep"), make_tag("Rest")
    for n in range(8):
        tags = [sleep] if n % 2 else [pain, sleep, rest] if n % 4 == 0 else [pain, sleep]
        make_article(f"Day {n}", tags=tags, days_ago=n + 1)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_tag SET published_article_count = 1 WHERE id = %s", [sleep.pk])

    shown = []
    for page in (1, 2):
        response = client.get(reverse("articles:list"), {"tag": ["pain", "sleep"], "page": page})
        shown += [card.title for card in response.context["page_obj"]]
        # and "Narrow further" still says it counts only the newest matches
        assert "Counts among the matches in the newest 3 articles on “Sleep”." in response.content.decode()
    assert shown == ["Day 0", "Day 2", "Day 4", "Day 6"]


def test_the_newest_matches_say_whether_they_are_all_the_matches(monkeypatch):
    pain, sleep = make_tag("Pain"), make_tag("Sleep")
    for n in range(4):
        make_article(tags=[pain, sleep] if n < 2 else [sleep], days_ago=n + 1)
    for tag in (pain, sleep):
        tag.refresh_from_db()

    def window(size, tags=(pain, sleep)):
        ids = listings.article_ids(tags, within_newest=size)
        return len(ids.ids), ids.holds_all

    assert window(3) == (2, True)  # Pain, the rarer, has fewer articles than that: all of them
    assert window(2) == (2, False)  # as many as the window: there may be more
    assert window(1) == (1, False)
    assert window(2, tags=(sleep, make_tag("Unused"))) == (0, False)  # found none: cannot tell
    # The first few of a list are all of them only when there were fewer.
    assert [listings.article_ids([sleep]).first(n).holds_all for n in (3, 4, 5)] == [False, False, True]


@pytest.mark.parametrize("read_first", [False, True])
def test_topics_among_the_newest_matches_count_the_same_read_within_the_query_or_before(read_first):
    pain, sleep, walking, rest = (make_tag(name) for name in ("Pain", "Sleep", "Walking", "Rest"))
    for n in range(6):
        make_article(tags=[pain, sleep, walking] if n % 2 else [pain, sleep, rest], days_ago=n + 1)
    for tag in (pain, sleep):
        tag.refresh_from_db()
    matches = listings.article_ids([pain, sleep], within_newest=4)
    ids = list(listings.article_ids([pain, sleep], within_newest=4))
    if read_first:
        matches.ids  # noqa: B018 (read: then given to the statement as ids)

    found = topics_among(matches, leave_out=[pain.pk], carried_by_fewer=True, limit=5)

    assert [(t.name, t.article_count) for t in found] == [("Rest", 2), ("Walking", 2)]  # Sleep: on all
    assert found == topics_among(ids, leave_out=[pain.pk], carried_by_fewer=True, limit=5)
    assert [t.name for t in topics_among(matches, carried_by_fewer=False, limit=1)] == ["Pain"]


def test_the_first_page_of_several_topics_finds_their_matches_once(client, no_cache):
    pain, sleep = make_tag("Pain"), make_tag("Sleep")
    for n in range(3):
        make_article(tags=[pain, sleep], days_ago=n + 1)

    _, sql = sql_of(client, f"{reverse('articles:list')}?tag=pain&tag=sleep")

    intersections = [q for q in sql if 'SELECT "articles_taggedarticle"."content_object_id"' in q]
    assert len(intersections) == 1, "\n\n".join(intersections)  # the newest matches, for both


# --- The article page reads corrections, sources and replies only when there are some -----------


def test_an_article_without_corrections_sources_or_replies_reads_none_of_them(client, no_cache):
    article = make_article(tags=[make_tag("Sleep")])

    _, sql = sql_of(client, article.get_absolute_url())

    for table in ("articles_correction", "articles_source", "articles_reply"):
        assert not [q for q in sql if q.startswith(f'SELECT "{table}".')], table  # EXISTS inside only


def test_the_article_comes_with_its_topics_and_which_parts_it_has_in_one_statement(client, no_cache):
    article = make_article(tags=[make_tag("Sleep"), make_tag("Botox")])

    response, sql = sql_of(client, article.get_absolute_url())

    # The article with its topics and parts, its related articles (nothing kept: no expiry to bound).
    assert len(sql) == 2, "\n\n".join(sql)
    (read,) = [q for q in sql if q.startswith('SELECT "articles_article"."id"')]
    for table in ("articles_correction", "articles_source", "articles_reply", "articles_tag"):
        assert f'"{table}"' in read, table
    assert [topic.name for topic in response.context["article"].topics] == ["Botox", "Sleep"]


def test_an_article_with_each_part_reads_and_shows_it(client, no_cache):
    article = make_article(tags=[make_tag("Sleep")])
    Correction.objects.create(article=article, corrected_on=article.published_at.date(), text="Dose fixed.")
    Source.objects.create(article=article, title="A trial of sleep", url="https://example.org/trial")
    Reply.objects.create(article=article, name="R", text="Same for me.", status=Reply.Status.APPROVED)
    Reply.objects.create(article=article, name="S", text="Spam here", status=Reply.Status.SPAM)

    response, sql = sql_of(client, article.get_absolute_url())

    for table in ("articles_correction", "articles_source", "articles_reply"):
        assert [q for q in sql if q.startswith(f'SELECT "{table}".')], table
    page = response.content.decode()
    assert "Dose fixed." in page and "A trial of sleep" in page and "Same for me." in page
    assert "Spam here" not in page and "1 reply" in page


# --- The author index counts the articles of its page's authors only -----------------------------


def test_the_author_index_counts_only_the_authors_it_shows(client, no_cache, monkeypatch):
    monkeypatch.setattr(AuthorListView, "paginate_by", 2)
    authors = [make_author(name) for name in ("Alpha", "Beta", "Gamma")]
    for count, author in enumerate(authors, start=1):
        for _ in range(count):
            make_article(author=author)
    make_scheduled(author=authors[0])  # not public yet: not counted

    first, sql = sql_of(client, reverse("authors:list"))
    second, _ = sql_of(client, reverse("authors:list") + "?page=2")

    shown = [{a.pseudonym: a.article_count for a in r.context["object_list"]} for r in (first, second)]
    assert shown == [{"Alpha": 1, "Beta": 2}, {"Gamma": 3}]
    [counting] = [query for query in sql if "COUNT(" in query.upper()]
    assert (
        f"IN ({authors[0].pk}, {authors[1].pk})" in counting
        or f"IN ({authors[1].pk}, {authors[0].pk})" in counting
    )


# --- Published articles newest first, paged from the index alone ---------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("by_author", [False, True])
def test_postgres_pages_published_articles_from_the_index_without_sorting(by_author):
    author = make_author("Indexed")
    for _ in range(30):
        make_article(author=author)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner use an index
        if by_author:  # the author page's cards, as it reads them: LIMIT and OFFSET as parameters
            statement = Article.objects.public_cards_by(author.pk).statement
            values = {**now(), STAND_IN_ID: author.pk}
            cursor.execute(
                f"EXPLAIN {statement.sql} LIMIT %s OFFSET %s", [*statement.params_for(values), 10, 20]
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        else:  # newest first (Meta.ordering), with an offset
            plan = Article.objects.published().values_list("pk", flat=True)[20:30].explain()

    # Whichever index the planner picks for these few rows, none makes it sort: both end with the id.
    assert "Index" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_postgres_pages_every_article_of_the_admins_list_from_the_index_without_sorting():
    # Undated drafts come first in PostgreSQL's descending order: with the date alone indexed, the
    # first page sorted every draft by id (1,000 drafts at 100,000 articles: 3.5 ms, growing).
    author = make_author("Indexed")
    for n in range(30):
        make_article(author=author, status=Article.Status.DRAFT if n % 3 else Article.Status.PUBLISHED)
    with connection.cursor() as cursor:
        # A tiny table: make the planner read an index in order if one serves (a sort is then dearer).
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"
        )
        plan = Article.objects.values_list("pk", flat=True)[:25].explain()  # Meta.ordering, as the admin

    assert "article_published_at_id" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_postgres_plans_the_article_pages_statements_once_per_connection(client, no_cache):
    sleep = make_tag("Sleep")
    article = make_article(tags=[sleep, make_tag("Botox")])
    make_article(tags=[sleep])  # a related article

    # Prepared from the sixth run on (settings: prepare_threshold); PostgreSQL then plans it for
    # the first five runs' values before it settles on one plan for all.
    for _ in range(14):
        assert client.get(article.get_absolute_url()).status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        prepared = dict(cursor.fetchall())
    # The article with its topics and parts, and its related articles: planned once, not per request.
    [article_plans] = [n for sql, n in prepared.items() if sql.startswith('SELECT "articles_article"."id"')]
    [related_plans] = [n for sql, n in prepared.items() if sql.startswith("SELECT a.id, a.title")]
    assert article_plans > 0 and related_plans > 0, prepared
