"""Search results ready for a page: each article's card with a snippet, about thirty words of its
text from a little before its first word the search matched, those words in <mark>.

The text is read whole, and cut and marked here. A word matches when it stems to one of the query's
words as the search index stems them: on SQLite as FTS5's `porter unicode61 remove_diacritics 2`
tokenizer (Martin Porter's reference stemmer, words of 3 to 64 characters, accents of Latin letters
removed), on PostgreSQL as its `english` configuration (Snowball's English stemmer, its stop words
never matching; the query's stems come from the database). Known differences: docs/architecture.md. tests/test_snippets.py compares the
marks with each database's own highlighter. FTS5's snippet() and PostgreSQL's ts_headline() parse
each result's text again: ten snippets took 2.3 and 1.8 ms at 10,000 articles, and take 0.9 and 1.4
ms made here (docs/architecture.md).
"""

import bisect
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
from nltk.stem.porter import PorterStemmer

from articles.listings import cards_in_order
from articles.models import Card, SearchEntry
from articles.search import PG_CONFIG, STAND_IN_MATCH, query_of, terms_of
from authors.statements import prepared, stand_in_ids

# The part of a text a snippet is cut from: from a third of it before the first match (about 80
# words; room for words of ten letters); of those, SNIPPET_WORDS are shown, from WORDS_BEFORE before
# the first match.
SNIPPET_WINDOW = 480
SNIPPET_WORDS, WORDS_BEFORE = 30, 6
WORD = re.compile(r"[^\W_]+")  # letters and digits: both indexes also split words at "_"
PG_LEXEME = re.compile(r"'((?:[^']|'')*)'")  # a lexeme in a tsquery's text ('' for a quote)
PORTER = PorterStemmer(PorterStemmer.MARTIN_EXTENSIONS)  # the reference C version's rules
ENGLISH = Stemmer.Stemmer("english")
# The words PostgreSQL's `english` configuration never indexes (its Snowball stop words, as
# ts_lexize('english_stem', word) gives none; tests/test_snippets.py asks the server).
POSTGRESQL_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can did do does doing don down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me more most
    my myself no nor not now of off on once only or other our ours ourselves out over own s same she
    should so some such t than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    you your yours yourself yourselves""".split()  # noqa: SIM905 (a list of 127 strings, one a line)
)
_english_lock = threading.Lock()  # a Stemmer is not safe to share between threads
# Each accented Latin letter and its letter without the accent (as FTS5's remove_diacritics).
LATIN_BASES = {
    code: unicodedata.normalize("NFD", chr(code))[0]
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
    if "LATIN" in unicodedata.name(chr(code), "") and unicodedata.normalize("NFD", chr(code))[0] != chr(code)
}


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
    matches = Matches(_query_stems(terms, rows), connection.vendor)
    snippets = {pk: snippet(body, matches) for pk, body, *_ in rows}
    return [Hit(card, snippets.get(card.pk, "")) for card in cards]


class Matches:
    """Whether a word matches one of the query's `stems`, stemmed as `vendor`'s index stems it."""

    def __init__(self, stems, vendor):
        self.stems, self.vendor = stems, vendor
        # Only a word starting as a stem does is stemmed: no stemmer changes a word's first two
        # letters but "y" to "i" ("dying": "die"), unless the stem has one letter ("aed": "a").
        self.starts = {_start(stem) for stem in stems}
        # What `first_in` looks for in a text: the starts, and "dy" wherever one is "di".
        self._searched = self.starts | {f"{start[0]}y" for start in self.starts if start[1:] == "i"}
        self._known = {}

    def __call__(self, word):
        if (matches := self._known.get(word)) is None:
            start = _start(_normal(word[:2], self.vendor))
            matches = (start in self.starts or start[:1] in self.starts) and self._stem_matches(word)
            self._known[word] = matches
        return matches

    def _stem_matches(self, word):
        if self.vendor == "postgresql" and word.lower() in POSTGRESQL_STOP_WORDS:
            return False  # never indexed, though "under" is the stem of "underlying"
        return _stem(word, self.vendor) in self.stems

    def first_in(self, text):
        """Where the first matching word of `text` begins (None if none does)."""
        normal = _normal(text, self.vendor)  # as long as the text: its places are the text's
        found = [self._first_starting(start, normal) for start in self._searched]
        return min((at for at in found if at is not None), default=None)

    def _first_starting(self, start, normal):
        at = -1
        while (at := normal.find(start, at + 1)) >= 0:
            word_begins = at == 0 or not WORD.match(normal, at - 1, at)  # one character looked at
            if word_begins and self(WORD.match(normal, at).group()):
                return at
        return None


def _start(word):
    return word[:1] + word[1:2].replace("y", "i")


def snippet(text, matches):
    """Safe HTML: up to SNIPPET_WORDS words of `text`, from a few before the first word `matches`
    (or from the beginning), the matching ones marked; an ellipsis where the text goes on."""
    found = matches.first_in(text)
    start = max((found or 0) - SNIPPET_WINDOW // 3, 0)
    window = text[start : start + SNIPPET_WINDOW]
    words = list(WORD.finditer(window))
    stop = start + len(window)
    if words and words[0].start() == 0 and _cut(text, start):
        words = words[1:]  # the window begins in the middle of a word
    if words and words[-1].end() == len(window) and _cut(text, stop):
        words = words[:-1]  # or ends in one
    first = 0
    if found is not None:  # a few words before the match
        first = bisect.bisect_left(words, found - start, key=lambda word: word.start()) - WORDS_BEFORE
    if stop == len(text):  # the text ends within SNIPPET_WORDS: show more before
        first = min(first, len(words) - SNIPPET_WORDS)
    shown = words[max(first, 0) : max(first, 0) + SNIPPET_WORDS]
    if not shown:
        return ""
    parts, at = [], shown[0].start()
    for word in (word for word in shown if matches(word.group())):
        parts += [escape(window[at : word.start()]), "<mark>", escape(word.group()), "</mark>"]
        at = word.end()
    parts.append(escape(window[at : shown[-1].end()]))
    begins = start == 0 and shown[0] is words[0]
    ends = stop == len(text) and WORD.search(window, shown[-1].end()) is None
    return mark_safe(("" if begins else "…") + "".join(parts) + ("" if ends else "…"))


def _cut(text, at):
    """Whether place `at` of `text` is inside a word (letters or digits on both sides)."""
    return 0 < at < len(text) and WORD.fullmatch(text, at - 1, at + 1) is not None


def _query_stems(terms, rows):
    if connection.vendor == "postgresql":  # what the database matched, without the stop words
        text = rows[0][2] if rows else ""
        return {lexeme.replace("''", "'") for lexeme in PG_LEXEME.findall(text)}
    return {_stem(term, connection.vendor) for term in terms}


@functools.lru_cache(maxsize=50_000)  # a few thousand words make most of any text
def _stem(word, vendor):
    word = _normal(word, vendor)
    if vendor == "postgresql":
        if any(c.isdigit() for c in word):
            return word  # words with digits go to the `simple` dictionary: not stemmed
        with _english_lock:
            return ENGLISH.stemWord(word)
    return PORTER.stem(word, to_lowercase=False) if 3 <= len(word) <= 64 else word


def _normal(text, vendor):
    """`text` in lower case, and on SQLite without the accents of Latin letters, letter for letter."""
    lowered = text.replace("\u0130", "I").lower()  # "İ" is the one letter lower() makes two
    return lowered if vendor == "postgresql" or lowered.isascii() else lowered.translate(LATIN_BASES)


@prepared
def _texts(count):
    entries = SearchEntry.objects.filter(pk__in=stand_in_ids(count))
    if connection.vendor == "postgresql":
        query = SearchQuery(STAND_IN_MATCH, config=PG_CONFIG, search_type="plain")
        return entries.annotate(stems=Cast(query, TextField())).values_list("pk", "body", "stems")
    return entries.values_list("pk", "body")
