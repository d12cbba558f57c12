"""Search results ready for a page: each article's card with a snippet, a few lines of its text
around the place the query's first word first appears, the words the search matched in <mark>.

The text is read whole, and cut and marked here. A word is marked when it stems to one of the
query's words as the search index stems them: with Snowball's Porter stemmer on SQLite (FTS5's `porter` tokenizer; diacritics removed as
its `remove_diacritics` does), and on PostgreSQL with the stems the database took from the query
(`plainto_tsquery`: its English stemmer, stop words left out). FTS5's snippet() and PostgreSQL's
ts_headline() parse each article's text, or window, again: about 0.2 ms an article.
"""

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from html import escape  # as Django's, without its lazy-text wrapper (tens of calls a snippet)

import Stemmer
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.safestring import mark_safe

from articles.listings import cards_in_order
from articles.models import Card, SearchEntry
from articles.search import PG_CONFIG, STAND_IN_MATCH, query_of, terms_of
from authors.statements import prepared, stand_in_ids

# The part of the text a snippet is cut from: from a third of it before the first word that begins
# with the query's first word (its first SNIPPET_STEM characters: "sleeping" is found at "sleep"),
# or from the beginning; about 55 words.
SNIPPET_STEM, SNIPPET_WINDOW = 5, 360
SNIPPET_WORDS, WORDS_BEFORE = 30, 6  # words shown, of which before the first marked one
WORD = re.compile(r"\w+")
STEMMERS = {"sqlite": Stemmer.Stemmer("porter"), "postgresql": Stemmer.Stemmer("english")}
_stemming = threading.Lock()
PG_LEXEME = re.compile(r"'((?:[^']|'')*)'")  # a lexeme in a tsquery's text ('' for a quote)


@dataclass
class Hit:
    article: Card
    snippet: str


def hits(ranked_ids, text):
    """Each article of `ranked_ids` (a Card, with its topics) with its snippet for the query `text`.
    Snippets are made for these entries only (for every match before ranking: seconds)."""
    cards = cards_in_order(ranked_ids)
    if not cards:
        return []
    terms = terms_of(text)
    values = {
        **query_of(terms),
        **dict(zip(stand_in_ids(len(cards)), (card.pk for card in cards), strict=True)),
    }
    rows = _texts(len(cards)).rows(values)
    stems, first = _query_stems(terms, rows), terms[0][:SNIPPET_STEM]
    snippets = {pk: snippet(text, first, stems, connection.vendor) for pk, text, *_ in rows}
    return [Hit(card, snippets.get(card.pk, "")) for card in cards]


def snippet(text, first, stems, vendor):
    """Safe HTML: up to SNIPPET_WORDS words of `text`, from a few before the first word that begins
    with `first` (or from the beginning), those whose stem is in `stems` (as the search index of
    `vendor`'s database stems them) marked; an ellipsis where the text goes on."""
    start = max(_first_word_starting(first, text) - SNIPPET_WINDOW // 3, 0)
    window = text[start : start + SNIPPET_WINDOW]
    words = list(WORD.finditer(window))
    if start > 0:
        words = words[1:]  # the window may begin in the middle of a word
    if start + len(window) < len(text):
        words = words[:-1]  # and end in one
    marked = [_stem(word.group(), vendor) in stems for word in words]
    # A few words before the first marked one, or fewer where the text ends before SNIPPET_WORDS.
    first_shown = (
        max(min(marked.index(True) - WORDS_BEFORE, len(words) - SNIPPET_WORDS), 0) if True in marked else 0
    )
    shown = range(first_shown, min(first_shown + SNIPPET_WORDS, len(words)))
    if not shown:
        return ""
    parts, at = [], words[shown[0]].start()
    for word in (words[n] for n in shown if marked[n]):
        parts += [escape(window[at : word.start()]), "<mark>", escape(word.group()), "</mark>"]
        at = word.end()
    end = words[shown[-1]].end()
    parts.append(escape(window[at:end]))
    begins = start == 0 and shown[0] == 0
    ends = start + len(window) == len(text) and WORD.search(window, end) is None
    return mark_safe(("" if begins else "…") + "".join(parts) + ("" if ends else "…"))


def _first_word_starting(first, text):
    # str.find: a regular expression ignoring case looks at every character (1.7 ms a page).
    lowered, at = text.lower(), -1
    while (at := lowered.find(first, at + 1)) > 0 and lowered[at - 1].isalnum():
        pass
    return max(at, 0)


def _query_stems(terms, rows):
    if connection.vendor == "postgresql":  # what the database matched, without the stop words
        text = rows[0][2] if rows else ""
        return {lexeme.replace("''", "'") for lexeme in PG_LEXEME.findall(text)}
    return {_stem(term, connection.vendor) for term in terms}


@functools.lru_cache(maxsize=50_000)  # a few thousand words make most of any text
def _stem(word, vendor):
    word = word.lower()
    if vendor == "sqlite":  # as FTS5's remove_diacritics
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    with _stemming:  # a Stemmer is not safe to share between threads
        return STEMMERS[vendor].stemWord(word)


@prepared
def _texts(count):
    entries = SearchEntry.objects.filter(pk__in=stand_in_ids(count))
    if connection.vendor == "postgresql":
        query = SearchQuery(STAND_IN_MATCH, config=PG_CONFIG, search_type="plain")
        return entries.annotate(stems=Cast(query, TextField())).values_list("pk", "body", "stems")
    return entries.values_list("pk", "body")
