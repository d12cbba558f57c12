"""Search snippets (articles.snippets) mark the words the search index matched, as the database's own
highlighter marks them (FTS5's highlight(), PostgreSQL's ts_headline()), and are cut around the
first word that begins with the query's first word, with an ellipsis where the text goes on."""

import re

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import STAND_IN_MATCH, query_of, terms_of
from articles.snippets import SNIPPET_WORDS, hits
from tests.factories import changes_settings, make_article

pytestmark = pytest.mark.django_db

# Forms that stem alike or not ("asleep", "painting"), words Porter's stemmer (SQLite) and the
# English one (PostgreSQL) stem apart ("news", "fairly"), a stop word (PostgreSQL leaves it out of
# the query), letter case, and an accented word (SQLite's index folds accents; PostgreSQL's keeps them).
WORDS = [
    "sleep", "sleeping", "Sleeps", "asleep", "sleepy", "pain", "painful", "PAINS", "painting",
    "news", "new", "fairly", "fair", "skies", "sky", "the", "magnesium", "relaxing", "café", "cafe",
]  # fmt: skip
MARK = re.compile(r"<mark>(.*?)</mark>")


def snippet_for(article, query):
    (hit,) = hits([article.pk], query)
    return str(hit.snippet)


def database_marks(article, query):
    """The words the database's own highlighter marks in the article's indexed text for `query`."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT ts_headline('english', body, plainto_tsquery('english', %s), "
            "'HighlightAll=true, StartSel=<mark>, StopSel=</mark>') FROM articles_search WHERE rowid = %s"
        )
    else:
        sql = (
            "SELECT highlight(articles_search, 2, '<mark>', '</mark>') FROM articles_search WHERE rowid = %s"
        )
        sql = sql.replace("WHERE", "WHERE articles_search MATCH %s AND")
    with connection.cursor() as cursor:
        cursor.execute(sql, [query_of(terms_of(query))[STAND_IN_MATCH], article.pk])
        return MARK.findall(cursor.fetchone()[0])


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("sleeping", "I was asleep, sleepy, and now Sleeps and sleeping come"),
        ("news", "new news"),
        ("fairly", "fair and fairly"),
        ("the sleep", "the sleep"),
        ("cafe", "a café or a cafe"),
    ],
)
def test_the_snippet_marks_what_the_database_highlighter_marks(query, text):
    article = make_article("Notes", body=text)

    assert MARK.findall(snippet_for(article, query)) == database_marks(article, query)


@settings(changes_settings, max_examples=100)
@given(
    text=st.lists(st.sampled_from(WORDS), min_size=1, max_size=SNIPPET_WORDS - 5),
    first=st.sampled_from([word for word in WORDS if word != "the"]),  # a stop word alone finds nothing
    second=st.sampled_from([None, *WORDS]),
)
def test_any_snippet_marks_what_the_database_highlighter_marks(text, first, second):
    query = f"{first} {second}" if second else first
    with transaction.atomic():
        article = make_article("Notes", body=" ".join([*text, *query.split()]))
        assert MARK.findall(snippet_for(article, query)) == database_marks(article, query)
        transaction.set_rollback(True)


def test_a_word_that_only_contains_the_query_word_does_not_place_the_snippet():
    filler = "Some ordinary words about the day. " * 40
    article = make_article("Nights", body=f"I was asleep early. {filler} Better sleep came with magnesium.")

    snippet = snippet_for(article, "sleep")

    assert "<mark>sleep</mark>" in snippet
    assert "asleep" not in snippet


def test_a_short_text_is_shown_whole_without_an_ellipsis():
    article = make_article("Evening", body="Every evening I take magnesium with warm milk.")

    assert snippet_for(article, "magnesium") == "Every evening I take <mark>magnesium</mark> with warm milk"


def test_an_ellipsis_marks_where_a_long_text_goes_on():
    filler = "Plain words about my ordinary days. " * 60
    middle = make_article("Middle", body=f"{filler} Then magnesium helped. {filler}")
    end = make_article("End", body=f"{filler} Then magnesium helped.")

    assert snippet_for(middle, "magnesium").startswith("…")
    assert snippet_for(middle, "magnesium").endswith("…")
    assert snippet_for(end, "magnesium").startswith("…")
    assert snippet_for(end, "magnesium").endswith("<mark>magnesium</mark> helped")


def test_a_snippet_shows_at_most_its_number_of_words():
    article = make_article("Long", body="magnesium " + "word " * 200)

    snippet = snippet_for(article, "magnesium")

    assert len(re.findall(r"\w+", MARK.sub(r"\1", snippet))) == SNIPPET_WORDS
