"""Search snippets (articles.snippets) mark the words the search index matched, as the database's own
highlighter marks them (FTS5's highlight(), PostgreSQL's ts_headline()), and are cut from a few
words before the first match, with an ellipsis where the text goes on."""

import re

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import STAND_IN_MATCH, query_of, terms_of
from articles.snippets import SNIPPET_WORDS, WORDS_BEFORE, hits
from tests.factories import changes_settings, make_article

pytestmark = pytest.mark.django_db

# Forms that stem alike or not ("asleep", "painting"); words Porter's stemmer (SQLite) and the
# English one (PostgreSQL) stem apart ("news", "fairly"), or that the reference Porter stemmer
# (FTS5's) and Snowball's Porter, or two Snowball releases, stem apart ("psychological", "added",
# "emergency"); words of two letters (FTS5 leaves them as they are); a stop word (PostgreSQL leaves
# it out of the query); letter case; digits; "_" (both split words there); and an accented word
# (SQLite's index folds accents; PostgreSQL's keeps them).
WORDS = [
    "sleep", "sleeping", "Sleeps", "asleep", "sleepy", "pain", "painful", "PAINS", "painting",
    "news", "new", "fairly", "fair", "skies", "sky", "psychology", "psychological", "possibly",
    "added", "add", "emergency", "international", "internal", "realization", "as", "is", "the",
    "b12", "B12s", "magnesium", "magnesium_citrate", "relaxing", "café", "cafe", "AED", "AEDs", "a",
    "underlying", "under", "mostly", "most", "dying", "die",
]  # fmt: skip
# Words of ten and fifteen letters: a snippet's window begins and ends inside such words.
FILLER, LONG_FILLER = "abcdefghij ", "abcdefghijklmno "
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
        row = cursor.fetchone()  # none on SQLite when the text does not match
        return MARK.findall(row[0]) if row else []


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("sleeping", "I was asleep, sleepy, and now Sleeps and sleeping come"),
        ("news", "new news"),
        ("fairly", "fair and fairly"),
        ("the sleep", "the sleep"),
        ("cafe", "a café or a cafe"),
        ("emergency", "an emergency visit"),
        ("psychology", "psychology and psychological"),
        ("added", "I added magnesium"),
        ("a", "a as"),
        ("magnesium", "magnesium_citrate"),
        ("covid19", "covid19 and covid19s"),
        (
            "die",
            "dying and die",
        ),  # Snowball's English stemmer: "dying" is "die"  # PostgreSQL does not stem words with digits
        ("x" * 70, "x" * 70 + " " + "x" * 70 + "s"),  # FTS5 stems no word of more than 64 letters
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


@pytest.mark.parametrize(
    ("query", "first", "match"),
    [
        ("sleep", "I was asleep early.", "Better sleep came"),
        ("treatment", "I was treated badly.", "The treatment that finally worked"),
        ("pain", "Painkillers dulled it.", "The pain eased"),
        ("magnesium", "A magnetic bracelet did nothing.", "Then magnesium helped"),
    ],
)
def test_the_snippet_is_placed_at_the_first_word_that_matches(query, first, match):
    filler = "Some ordinary words about the day. " * 40
    article = make_article("Notes", body=f"{first} {filler} {match} at last.")

    snippet = snippet_for(article, query)

    assert MARK.sub(r"\1", snippet).startswith("…")
    assert f"<mark>{query}</mark>" in snippet.lower()
    assert first not in snippet


def test_the_snippet_shows_a_few_words_before_the_first_match_and_its_number_of_words():
    article = make_article("Notes", body=FILLER * 40 + "magnesium " + FILLER * 40)

    words = re.findall(r"\w+", MARK.sub(r"\1", snippet_for(article, "magnesium")))

    assert words.index("magnesium") == WORDS_BEFORE
    assert len(words) == SNIPPET_WORDS


@pytest.mark.parametrize(
    "body",
    [
        LONG_FILLER * 40 + "magnesium " + LONG_FILLER * 40,  # the window's last word is shown
        FILLER * 40 + "magnesium helped",  # and its first, where the text ends soon after the match
    ],
)
def test_the_snippet_shows_no_word_cut_where_its_window_begins_or_ends(body):
    article = make_article("Notes", body=body)

    snippet = snippet_for(article, "magnesium")

    assert set(re.findall(r"\w+", MARK.sub(r"\1", snippet))) <= set(body.split())
    assert snippet.startswith("…")


def test_a_match_past_the_first_words_of_a_short_text_shows_an_ellipsis_before():
    article = make_article("Notes", body="ab " * 20 + "magnesium " + "cd " * 20)

    snippet = snippet_for(article, "magnesium")

    assert snippet.startswith("…ab ab")
    assert snippet.endswith("cd")


def test_a_short_text_cut_before_its_end_shows_an_ellipsis_after():
    article = make_article("Notes", body="magnesium " + "cd " * 40)

    snippet = snippet_for(article, "magnesium")

    assert snippet.startswith("<mark>magnesium</mark>")
    assert snippet.endswith("cd…")


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


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("magnesium sleep", "First came sleep. " + FILLER * 40 + "then magnesium"),  # the first of any word
        ("die", FILLER * 40 + "dying " + FILLER * 40),  # PostgreSQL: "dying" is "die"
        ("magnesium", "İ" * 130 + " " + "word " * 60 + "magnesium helps. " + "word " * 60),
        ("sleep", "-" * 300 + " sleep well tonight " + "word " * 60),  # no word cut at the window's edges
        ("sleep", "sleep " + "=" * 400 + " more text"),
    ],
)
def test_the_snippet_shows_the_first_match_the_database_highlights(query, body):
    article = make_article("Notes", body=body)

    marks = MARK.findall(snippet_for(article, query))

    assert marks == database_marks(article, query)[:1]


@pytest.mark.postgres
def test_the_stop_word_list_is_the_servers():
    from articles.snippets import POSTGRESQL_STOP_WORDS

    words = sorted(POSTGRESQL_STOP_WORDS | {"d", "ll", "re", "ve", "y", "o", "m", "ain", "magnesium"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT w, ts_lexize('english_stem', w) = '{}' FROM unnest(%s::text[]) w", [words])
        stop_words = {word for word, stop in cursor.fetchall() if stop}

    assert stop_words == POSTGRESQL_STOP_WORDS
