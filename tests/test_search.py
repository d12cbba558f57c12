"""`/search/?q=...` finds published articles by every word of the query, best first, with highlighted
snippets and topic facets; the index follows every change to articles and topics; no input breaks it.

The suite runs on SQLite (FTS5, porter stemming, accents folded) and on PostgreSQL ('english'
configuration: stemming and stop words, accents kept). The words used below behave the same on both:
no stop words, and accented words are only searched for with their accents.
"""

import re
from datetime import timedelta
from importlib import import_module
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SearchEntry
from tests.factories import make_article, make_author, make_draft, make_in_review, make_scheduled, make_tag

pytestmark = pytest.mark.django_db

# The next publication time, the topics filtered on, the newest matches' ids (on PostgreSQL with
# their scores), their ranking (SQLite), the page's cards with their topics, the snippets, the
# backlog check and the facets.
MAX_QUERIES = 8
SMALL, LARGE = 3, 30
DISCLAIMER = "not medical advice"  # from the footer of templates/base.html
NOT_FOUND_HEADING = "We couldn't find that page"  # from templates/404.html
EMPTY_QUERY_HINT = "Type a word or two"
NO_WORDS_MESSAGE = "Your search has no words we can look for"
NO_MATCH_MESSAGE = "No article matches every word of your search"
SCRIPT = "<script>alert(1)</script>"
SNIPPET_RE = re.compile(r'<p class="snippet">(.*?)</p>', re.DOTALL)
TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
NEXT_LINK_RE = re.compile(r'rel="next" href="([^"]*)"')


def search_url(q=None, **params):
    query = {"q": q, **params} if q is not None else params
    return f"{reverse('articles:search')}?{urlencode(query, doseq=True)}"


def searched(client, q, **params):
    response = client.get(search_url(q, **params))
    assert response.status_code == 200
    return response


def found(client, q, **params):
    """The titles the search for `q` lists, in the order shown."""
    return [hit.article.title for hit in searched(client, q, **params).context["hits"]]


def snippets(response):
    return SNIPPET_RE.findall(response.content.decode())


# --- What is found ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "Magnesium before bed"},
        {"summary": "Why I take magnesium every evening."},
        {"body": "Every evening I take magnesium with warm milk.\n\n## Results\n\nFewer cramps."},
        {"tag_names": ["Magnesium"]},
    ],
    ids=["title", "summary", "body", "tag name"],
)
def test_a_word_anywhere_in_a_published_article_finds_it(client, fields):
    tags = [make_tag(name) for name in fields.pop("tag_names", [])]
    fields.setdefault("title", "My evening routine")
    make_article(tags=tags, **fields)
    make_article("Gentle stretching", body="Nothing about supplements here.")

    assert found(client, "magnesium") == [fields["title"]]


@pytest.mark.parametrize(
    "make_unpublished",
    [make_draft, make_in_review, make_scheduled],
    ids=["draft", "in review", "scheduled"],
)
def test_unpublished_articles_are_never_found(client, make_unpublished):
    tag = make_tag("Magnesium")
    make_unpublished(title="Magnesium secret", summary="magnesium", body="magnesium", tags=[tag])

    assert found(client, "magnesium") == []
    assert found(client, "secret") == []


def test_scheduled_article_is_found_once_its_time_is_reached(client):
    article = make_scheduled(title="Magnesium later")
    assert found(client, "magnesium") == []

    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(minutes=1))

    assert found(client, "magnesium") == ["Magnesium later"]


def test_every_word_of_the_query_must_match(client):
    make_article("Acupuncture diary", body="Week three: I added magnesium to the needles.")
    make_article("Magnesium only", body="Nothing else.")
    make_article("Acupuncture only", body="Nothing else.")

    assert found(client, "magnesium acupuncture") == ["Acupuncture diary"]
    assert found(client, "magnesium acupuncture swimming") == []


def test_word_order_does_not_matter(client):
    make_article("Acupuncture diary", body="Week three: I added magnesium to the needles.")

    assert found(client, "magnesium acupuncture") == ["Acupuncture diary"]
    assert found(client, "acupuncture magnesium") == ["Acupuncture diary"]
    assert found(client, "needles acupuncture magnesium") == ["Acupuncture diary"]


@pytest.mark.parametrize("q", ["magnesium", "MAGNESIUM", "Magnesium", "mAgNeSiUm"])
def test_case_does_not_matter(client, q):
    make_article("Evening routine", body="I take MaGnEsIuM every evening.")

    assert found(client, q) == ["Evening routine"]


@pytest.mark.parametrize("q", ["café", "Café", "CAFÉ"])
def test_accented_words_are_found_whatever_their_case(client, q):
    make_article("Meeting up", body="We meet at the café on Mondays.")

    assert found(client, q) == ["Meeting up"]


@pytest.mark.parametrize("q", ["Übungen", "übungen", "ÜBUNGEN", "Массаж", "массаж", "日本語"])
def test_words_in_other_scripts_are_found(client, q):
    make_article("Abroad", body="Übungen helped. Массаж helped too. 日本語 notes.")

    assert found(client, q) == ["Abroad"]


# --- Ranking and snippets ----------------------------------------------------------------------------


@pytest.mark.parametrize("repeats", [1, 3, 5])
def test_a_title_match_ranks_above_a_body_only_match(client, repeats):
    # The body-only article is created first, so that creation order would put it first on a tie.
    make_article("Evening routine", body="I take magnesium. " * repeats + "It helps me sleep.")
    make_article("Magnesium for cramps", body="It helps me sleep.")

    assert found(client, "magnesium") == ["Magnesium for cramps", "Evening routine"]


def test_snippet_marks_the_matched_word(client):
    make_article("Evening routine", body="Every evening I take magnesium with warm milk.")

    response = searched(client, "magnesium")

    (snippet,) = snippets(response)
    assert "<mark>magnesium</mark>" in snippet
    assert TAG_RE.findall(snippet) == ["<mark>", "</mark>"]


def test_snippet_escapes_markup_and_ampersands_from_the_body(client):
    body = "Type `<b>loud</b>` & `<script>alert(1)</script>` in the magnesium notes, 5 < 6."
    make_article("Evening routine", body=body)

    response = searched(client, "magnesium")

    html = response.content.decode()
    (snippet,) = snippets(response)
    assert "<mark>magnesium</mark>" in snippet
    assert TAG_RE.findall(snippet) == ["<mark>", "</mark>"], "only <mark> may be added to the snippet"
    assert "&amp;" in snippet and "&lt; 6" in snippet
    assert "<b>loud" not in html
    assert SCRIPT not in html


# --- The index follows every change ------------------------------------------------------------------


def test_editing_the_body_replaces_its_words_in_the_index(client):
    article = make_article("Evening routine", body="I take magnesium.")

    article.body = "I do acupuncture."
    article.save()

    assert found(client, "magnesium") == []
    assert found(client, "acupuncture") == ["Evening routine"]


def test_adding_a_tag_makes_the_article_found_by_its_name(client):
    article = make_article("Evening routine")
    tag = make_tag("Magnesium")
    assert found(client, "magnesium") == []

    article.tags.add(tag)

    assert found(client, "magnesium") == ["Evening routine"]


def test_removing_a_tag_stops_the_article_being_found_by_its_name(client):
    tag = make_tag("Magnesium")
    article = make_article("Evening routine", tags=[tag])
    assert found(client, "magnesium") == ["Evening routine"]

    article.tags.remove(tag)

    assert found(client, "magnesium") == []


def test_renaming_a_tag_makes_its_articles_found_by_the_new_name(client):
    tag = make_tag("Magnesium")
    make_article("Evening routine", tags=[tag])
    make_article("Morning routine", tags=[tag])

    tag.name = "Acupuncture"
    tag.save()
    call_command("reindex_search")  # topic changes are re-indexed after the response

    assert sorted(found(client, "acupuncture")) == ["Evening routine", "Morning routine"]
    assert found(client, "magnesium") == []


def test_merging_a_tag_makes_its_articles_found_by_the_kept_tag_name(client):
    kept, merged = make_tag("Acupuncture"), make_tag("Needling")
    make_article("Evening routine", tags=[merged])
    make_article("Morning routine", tags=[merged, kept])
    make_article("Clinic visit", tags=[kept])

    merged.merge_into(kept)
    call_command("reindex_search")  # topic changes are re-indexed after the response

    assert sorted(found(client, "acupuncture")) == ["Clinic visit", "Evening routine", "Morning routine"]
    assert found(client, "needling") == []


def test_deleting_a_tag_stops_its_articles_being_found_by_its_name(client):
    tag = make_tag("Needling")
    make_article("Evening routine", tags=[tag])

    tag.delete()
    call_command("reindex_search")  # topic changes are re-indexed after the response

    assert found(client, "needling") == []


def test_deleting_an_article_removes_it_from_the_index(client):
    article = make_article("Evening routine", body="I take magnesium.")
    other = make_article("Morning routine", body="I take magnesium too.")
    assert SearchEntry.objects.count() == 2

    article.delete()

    assert list(SearchEntry.objects.values_list("pk", flat=True)) == [other.pk]
    assert found(client, "magnesium") == ["Morning routine"]


# --- Facets and pagination ---------------------------------------------------------------------------


@pytest.fixture
def faceted():
    """Three published articles match "magnesium": two on sleep, one of them also on diet."""
    tag = {name: make_tag(name) for name in ["Sleep", "Diet", "Exercise"]}
    make_article("Magnesium at night", tags=[tag["Sleep"], tag["Diet"]])
    make_article("Magnesium and naps", tags=[tag["Sleep"]])
    make_article("Magnesium spray")
    make_article("Walking", tags=[tag["Sleep"], tag["Diet"], tag["Exercise"]])  # does not match
    make_draft(title="Magnesium draft", tags=[tag["Diet"], tag["Exercise"]])  # not public
    return tag


def test_facets_count_the_results_carrying_each_tag(client, faceted):
    response = searched(client, "magnesium")

    counts = {tag.name: tag.article_count for tag, _ in response.context["facets"]}
    assert counts == {"Sleep": 2, "Diet": 1}


def test_a_facet_narrows_the_results_to_articles_with_its_tag(client, faceted):
    response = searched(client, "magnesium")
    facets = response.context["facets"]
    assert facets

    html = response.content.decode()
    for tag, query in facets:
        assert f'href="?q=magnesium&amp;{query.replace("&", "&amp;")}"' in html
        narrowed = client.get(f"{reverse('articles:search')}?q=magnesium&{query}")
        hits = narrowed.context["hits"]
        assert len(hits) == tag.article_count
        assert all(tag.pk in {t.pk for t in hit.article.topics} for hit in hits)


def test_a_tag_in_the_query_string_narrows_the_results(client, faceted):
    assert sorted(found(client, "magnesium", tag="sleep")) == ["Magnesium and naps", "Magnesium at night"]
    assert found(client, "magnesium", tag=["sleep", "diet"]) == ["Magnesium at night"]
    assert found(client, "magnesium", tag="exercise") == []


def test_pagination_keeps_the_query_and_the_tag(client):
    tag = make_tag("Pacing")
    for n in range(settings.ARTICLES_PER_PAGE + 2):
        make_article(f"Magnesium day {n}", tags=[tag], days_ago=n + 1)
    make_article("Magnesium without pacing")

    first = searched(client, "magnesium", tag="pacing")
    assert len(first.context["hits"]) == settings.ARTICLES_PER_PAGE
    (next_link,) = NEXT_LINK_RE.findall(first.content.decode())
    assert "q=magnesium" in next_link
    assert "tag=pacing" in next_link
    assert "page=2" in next_link

    second = client.get(reverse("articles:search") + next_link.replace("&amp;", "&"))
    assert second.status_code == 200
    titles = [hit.article.title for hit in second.context["hits"]]
    assert len(titles) == 2
    assert "Magnesium without pacing" not in titles


def test_pagination_keeps_the_query(client):
    for n in range(settings.ARTICLES_PER_PAGE + 2):
        make_article(f"Magnesium day {n}", days_ago=n + 1)

    (next_link,) = NEXT_LINK_RE.findall(searched(client, "magnesium").content.decode())
    second = client.get(reverse("articles:search") + next_link.replace("&amp;", "&"))

    assert second.status_code == 200
    assert len(second.context["hits"]) == 2


# --- Bad input ---------------------------------------------------------------------------------------

BAD_QUERIES = {
    "double quote": '"',
    "unclosed quote": '"unclosed',
    "star": "*",
    "prefix star": "magnes*",
    "NEAR": "NEAR",
    "NEAR group": "NEAR(a b)",
    "AND": "AND",
    "OR": "OR",
    "NOT": "NOT",
    "dangling AND": "a AND",
    "leading NOT": "NOT magnesium",
    "minus": "-",
    "minus word": "-magnesium",
    "parentheses": "( )",
    "unbalanced parenthesis": "(magnesium",
    "caret": "^",
    "caret word": "^magnesium",
    "colon": ":",
    "column filter": "title:botox",
    "braces column filter": "{title body}: magnesium",
    "plus": "+magnesium +",
    "operators only": '" * ( ) ^ : - + NEAR AND OR NOT',
    "tsquery syntax": "magnesium & !sleep | (a <-> b):*",
    "backslash": "\\",
    "underscore": "_",
    "long": "magnesium " * 500,
    "5000 letters": "m" * 5000,
    "accents": "é ü",
    "Japanese": "日本語",
    "Cyrillic": "Магний",
    "emoji": "💊 😴",
    "NUL byte": "magnesium\x00sleep",
    "only a NUL byte": "\x00",
    "control characters": "\x01\x02\x1f\x7f",
    "percent and underscore": "%_%",
    "SQL": "'; DROP TABLE articles_search; --",
}


@pytest.fixture
def some_articles():
    tag = make_tag("Sleep")
    make_article("Magnesium before bed", body="Botox and magnesium, a NEAR miss.", tags=[tag])
    make_article("Acupuncture diary", body="Title: my diary of needles and magnesium.", tags=[tag])


@pytest.mark.parametrize("q", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_odd_queries_answer_a_result_page(client, some_articles, q):
    response = searched(client, q)

    html = response.content.decode()
    assert DISCLAIMER in html
    assert EMPTY_QUERY_HINT in html or NO_WORDS_MESSAGE in html or "found for" in html


@pytest.mark.parametrize("q", ["", " ", "   \t\n  "], ids=["empty", "space", "whitespace"])
def test_empty_query_asks_for_a_word(client, some_articles, q):
    response = searched(client, q)

    assert EMPTY_QUERY_HINT in response.content.decode()
    assert response.context["hits"] == []


def test_missing_query_asks_for_a_word(client, some_articles):
    response = client.get(reverse("articles:search"))

    assert response.status_code == 200
    assert EMPTY_QUERY_HINT in response.content.decode()


@pytest.mark.parametrize("q", ["!!! ???", "...", "-- ** ^^", '"" () :'])
def test_query_without_words_says_there_is_nothing_to_look_for(client, some_articles, q):
    response = searched(client, q)

    html = response.content.decode()
    assert NO_WORDS_MESSAGE in html
    assert NO_MATCH_MESSAGE not in html


def test_operator_words_are_searched_as_plain_words(client, some_articles):
    assert found(client, "near botox") == ["Magnesium before bed"]
    assert found(client, "title:diary") == ["Acupuncture diary"]
    assert found(client, '"magnesium') == found(client, "magnesium")


def test_a_query_past_the_length_limit_still_searches_its_start(client, some_articles):
    q = "acupuncture diary " * 300  # 5,400 characters
    assert found(client, q) == ["Acupuncture diary"]


def test_a_repeated_q_parameter_answers_a_result_page(client, some_articles):
    response = client.get(f"{reverse('articles:search')}?q=acupuncture&q=botox")

    assert response.status_code == 200
    assert [hit.article.title for hit in response.context["hits"]] in (
        ["Acupuncture diary"],
        ["Magnesium before bed"],
    )


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1.5", "9" * 5000])
def test_an_odd_page_number_answers_a_page_or_the_site_404(client, some_articles, page):
    response = client.get(search_url("magnesium", page=page))

    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert DISCLAIMER in html
    if response.status_code == 404:
        assert NOT_FOUND_HEADING in html


@pytest.mark.parametrize("tag", ["nope", SCRIPT, "\x00", "a" * 5000, "sleep"])
def test_an_odd_tag_parameter_answers_a_result_page(client, some_articles, tag):
    response = searched(client, "magnesium", tag=tag)

    assert SCRIPT not in response.content.decode()


def test_the_query_is_echoed_only_escaped(client, some_articles):
    response = searched(client, SCRIPT)

    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_query_is_escaped_in_results_facets_and_page_links(client):
    sleep, diet = make_tag("Sleep"), make_tag("Diet")
    for n in range(settings.ARTICLES_PER_PAGE + 2):
        body = "The script raised an alert at 1 in the night: img src x onerror."
        make_article(f"Night {n}", body=body, tags=[sleep, diet] if n % 2 else [sleep])
    q = f'{SCRIPT} "><img src=x onerror=alert(1)>'

    response = searched(client, q)

    html = response.content.decode()
    assert response.context["hits"], "the words of the query are all in the articles"
    assert response.context["facets"]
    assert NEXT_LINK_RE.findall(html)
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert '"><img' not in html


# --- Query counts ------------------------------------------------------------------------------------


def build_matching_articles(n):
    """`n` published articles matching "magnesium", by several authors, each with 2 or 3 of 6 tags, so that
    every measured page, filtered by one tag or two, lists at least two articles and offers facets."""
    tags = [make_tag(f"Topic {number}") for number in range(6)]  # 0 on all, 1 on every other one
    authors = [make_author(f"Writer {number}") for number in range(max(3, n // 3))]
    for number in range(n):
        make_article(
            f"Magnesium note {number}",
            author=authors[number % len(authors)],
            body=f"Day {number}: magnesium again, and a walk.",
            tags=[tags[0], tags[2 + number % 4], *([tags[1]] if number % 2 == 0 else [])],
            days_ago=number + 1,
        )
    make_draft(title="Magnesium draft", tags=tags[:3])
    return tags


def queries_for(client, url):
    client.get(url)  # warm-up: per-process caches (content types, ...) are filled before measuring
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["hits"]
    return [query["sql"] for query in captured.captured_queries]


SEARCH_PAGES = {
    "results": lambda tags: search_url("magnesium"),
    "results, one tag": lambda tags: search_url("magnesium", tag=tags[0].slug),
    "results, two tags": lambda tags: search_url("magnesium", tag=[tags[0].slug, tags[1].slug]),
}


@pytest.mark.parametrize("url_for", SEARCH_PAGES.values(), ids=SEARCH_PAGES.keys())
def test_search_results_cost_a_fixed_number_of_queries(client, url_for):
    measured = {}
    for size in (SMALL, LARGE):
        with transaction.atomic():
            measured[size] = queries_for(client, url_for(build_matching_articles(size)))
            transaction.set_rollback(True)
    small, large = measured[SMALL], measured[LARGE]

    assert len(large) == len(small), "\n\n".join(large)
    assert len(large) <= MAX_QUERIES, "\n\n".join(large)


def test_the_snippet_shows_a_match_far_into_a_long_article(client):
    body = "Plain words about my ordinary days. " * 300 + "Then Zephyrine baths changed everything."
    make_article("Long diary", body=body)
    response = client.get(reverse("articles:search"), {"q": "zephyrine"})
    (hit,) = response.context["hits"]
    assert "<mark>zephyrine</mark>" in str(hit.snippet).lower()


def test_past_the_limit_the_newest_matches_are_shown_title_matches_first(client, monkeypatch):
    from articles import search

    monkeypatch.setattr(search, "RESULT_LIMIT", 3)
    make_article("Oldest", body="Zinc lozenges.", days_ago=9)
    make_article("Zinc at night", body="Zinc before bed.", days_ago=5)
    make_article("Middle", body="Zinc again.", days_ago=3)
    make_article("Newest", body="More zinc.", days_ago=1)
    response = client.get(search_url("zinc"))
    titles = [hit.article.title for hit in response.context["hits"]]
    assert response.context["capped"]
    assert "Shown: the newest 3 of them, best matches first" in response.content.decode()
    # The newest three matches; the one with the word in its title first on SQLite (FTS5's
    # bm25 would count every match first), best first by ts_rank on PostgreSQL.
    assert sorted(titles) == ["Middle", "Newest", "Zinc at night"]
    if connection.vendor == "sqlite":
        assert titles == ["Zinc at night", "Newest", "Middle"]


# --- How PostgreSQL stores the vectors --------------------------------------------------------------


def vector_storage(article):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(document), pg_column_size(document) FROM articles_search "
            "WHERE rowid = %s",
            [article.pk],
        )
        return cursor.fetchone()


@pytest.mark.postgres
def test_postgres_keeps_search_vectors_uncompressed_and_the_migration_rewrites_compressed_ones(client):
    # Search reads each newest match's vector twice: decompressing them cost most of its time.
    # A large vector that compresses well: long words, alike but for their last letters.
    body = " ".join("z" * 150 + chr(97 + n % 26) + chr(97 + n % 7) for n in range(2800))
    article = make_article(body=body)
    compression, size = vector_storage(article)
    assert compression is None and size > 8000  # stored whole, out of line

    migration = import_module("articles.migrations.0020_search_vectors_uncompressed")
    with connection.schema_editor() as editor:  # as before the migration: compressed
        migration.store_compressed(None, editor)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_search SET document = document || ''::tsvector WHERE rowid = %s", [article.pk]
        )
        cursor.execute("SELECT document::text FROM articles_search WHERE rowid = %s", [article.pk])
        (before,) = cursor.fetchone()
    assert vector_storage(article)[0] == "pglz"

    with connection.schema_editor() as editor:
        migration.store_uncompressed(None, editor)

    assert vector_storage(article)[0] is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT document::text FROM articles_search WHERE rowid = %s", [article.pk])
        assert cursor.fetchone() == (before,)  # the same vector
    assert found(client, "z" * 150 + "cc") == [article.title]


@pytest.mark.postgres
def test_on_postgresql_the_statement_finding_the_matches_also_says_whether_search_is_catching_up(client):
    make_article("Magnesium at night", body="Magnesium before bed.")

    statements = queries_for(client, search_url("magnesium"))

    asking_the_backlog = [sql for sql in statements if "articles_searchbacklog" in sql]
    assert len(asking_the_backlog) == 1
    assert "ts_rank" in asking_the_backlog[0]  # no round trip of its own
