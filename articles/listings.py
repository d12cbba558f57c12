"""The articles lists show, read with statements built once per process (authors.statements):
the ids of the public articles on some topics, newest first, a page at a time (topic pages, the
multi-topic filter, "Narrow further", topic feeds); the newest public articles' cards (the home
page, the feed); the cards of given ids (every page of a list).
"""

from django.db import connection
from django.utils.functional import cached_property

from articles.models import (
    CARD_FIELDS,
    CARD_TOPIC_FIELDS,
    Article,
    TaggedArticle,
    cards_of,
    cards_with_topics,
)
from authors.statements import STAND_IN_ID, STAND_IN_TIME, Paged, now, prepared, stand_in_ids


def article_ids(tags, within_newest=None, head=None):
    """Ids of the public articles carrying every one of `tags` (Tag objects), newest first, as
    ArticleIds; `within_newest`: only among the newest that many of the rarest topic's (the
    first of all of them: every one newer than the last of those is among them; all of them when
    that topic has no more, which the ids' `holds_all` then says); `head`: such first ones, whose
    ids then serve the slices they hold."""
    tags = sorted(tags, key=lambda tag: tag.published_article_count)  # as stored: no count needed
    statement = _topic_ids(len(tags), within_newest)
    values = {**now(), **dict(zip(stand_in_ids(len(tags)), (tag.pk for tag in tags), strict=True))}
    return ArticleIds(statement.sql, statement.params_for(values), head, windowed=bool(within_newest))


@prepared
def _topic_ids(topics, within_newest):
    return TaggedArticle.objects.article_ids(
        stand_in_ids(topics), at=STAND_IN_TIME, within_newest=within_newest
    )


def newest_ids():
    """Ids of every public article, newest first, as ArticleIds (the article list)."""
    statement = _newest()
    return ArticleIds(statement.sql, statement.params_for(now()))


@prepared
def _newest():
    return (
        Article.objects.published(at=STAND_IN_TIME)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )


def latest_cards(limit):
    """The newest `limit` public articles as Cards (one statement, plus one for their topics: read
    with them, the limit must wait in a subquery, which PostgreSQL plans at twice the cost)."""
    return cards_of(_latest(limit).rows(now()))


@prepared
def _latest(limit):
    return Article.objects.published(at=STAND_IN_TIME)[:limit].values_list("pk", *CARD_FIELDS)


def cards_by(author_id):
    """Author `author_id`'s public articles, newest first, as Cards read a page at a time (sliced as
    a QuerySet is): one statement for the page, one for its topics."""
    return Paged(_by_author(), {**now(), STAND_IN_ID: author_id}, make=cards_of)


@prepared
def _by_author():
    articles = Article.objects.published(at=STAND_IN_TIME).filter(author=STAND_IN_ID)
    return articles.order_by("-published_at", "-pk").values_list("pk", *CARD_FIELDS)


def cards_in_order(ids):
    """The articles of `ids` as Cards with their topics, in that order (one statement); ids of
    articles gone are skipped."""
    ids = list(ids)
    if not ids:
        return []
    statement = _cards(len(ids))
    rows = statement.rows(dict(zip(stand_in_ids(len(ids)), ids, strict=True)), convert=False)
    cards = {card.pk: card for card in cards_with_topics(rows, statement.converted)}
    return [cards[pk] for pk in ids if pk in cards]


@prepared
def _cards(count):
    articles = Article.objects.filter(pk__in=stand_in_ids(count)).order_by("tagged_items__tag__name")
    return articles.values_list("pk", *CARD_FIELDS, *CARD_TOPIC_FIELDS)


class ArticleIds:
    """The ids a statement selects, in its order, read a slice at a time (LIMIT and OFFSET, as a
    paginator asks for them) and counted only when their number is asked for (`count()`, which
    paginators call; no `len()`, which list() would call before reading them all)."""

    def __init__(self, sql, params, head=None, windowed=False, limit=None):
        # `head`: ArticleIds known to be the first of these: a slice they hold is read from them.
        # `windowed`: the statement selects with each id whether they are all the matches.
        # `limit`: the statement reads at most that many (`first()`).
        self.sql, self.params, self.head, self.windowed, self.limit = sql, list(params), head, windowed, limit

    @property
    def columns(self):
        """The names of the statement's columns, for reading it within another query."""
        return ("id", "holds_all") if self.windowed else ("id",)

    def __getitem__(self, index):
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else list(self)[index:][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or start < 0 or stop is None or stop < 0:
            return list(self)[index]  # no page asks for these: all are read
        if self.head is not None and (len(self.head.ids) >= stop or self.head.holds_all):
            return self.head.ids[start:stop]
        return self._run(f"{self.sql} LIMIT %s OFFSET %s", [stop - start, start]) if stop > start else []

    def __iter__(self):
        return iter(self.ids)

    @property
    def ids(self):
        """All of them, read once."""
        return self._rows[0]

    @property
    def is_read(self):
        return "_rows" in self.__dict__

    @property
    def holds_all(self):
        """Whether they are all the matches of their topics: a window's are when it found any and its
        topic has fewer articles than it holds (an empty one cannot tell: the list is read then);
        the `first()` ones when there were fewer than asked for."""
        return self._rows[1]

    @cached_property
    def _rows(self):
        rows = self._fetch(self.sql, [])
        whole = not self.windowed or bool(rows and rows[0][1])
        return [row[0] for row in rows], whole and (self.limit is None or len(rows) < self.limit)

    def first(self, limit):
        """The first `limit` of them, as ArticleIds (read when used, or within another query)."""
        return ArticleIds(f"{self.sql} LIMIT %s", [*self.params, limit], windowed=self.windowed, limit=limit)

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) AS ids", self.params)
            return cursor.fetchone()[0]

    def _run(self, sql, more_params):
        return [row[0] for row in self._fetch(sql, more_params)]

    def _fetch(self, sql, more_params):
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params + more_params)
            return cursor.fetchall()
