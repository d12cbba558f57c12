"""The ids of the public articles on some topics, newest first, as topic pages, the multi-topic
filter, "Narrow further" and topic feeds read them, a page at a time.

The statement is `TaggedArticle.objects.article_ids()`, the rule itself, built by the ORM once per
process for each number of topics, with stand-ins for the topics and the time, then only run:
built for each request it cost about 1 ms, several times what the database spends on it.
"""

import functools
from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import connection
from django.utils import timezone

from articles.models import TaggedArticle

STAND_IN_TIME = datetime(2000, 1, 1, 0, 0, 7, 123457, tzinfo=UTC)  # a time no statement holds otherwise
STAND_IN_TOPIC = -1000  # topic stand-ins: -1001, -1002, ... (ids are positive)


def article_ids(tags, within_newest=None):
    """Ids of the public articles carrying every one of `tags` (Tag objects), newest first, as
    ArticleIds; `within_newest`: only among the newest that many of the rarest topic's."""
    tags = sorted(tags, key=lambda tag: tag.published_article_count)  # as stored: no count needed
    sql, params = _statement(connection.vendor, len(tags), within_newest)
    values = {_adapted(STAND_IN_TIME): _adapted(timezone.now())}
    values.update({STAND_IN_TOPIC - n: tag.pk for n, tag in enumerate(tags, 1)})
    return ArticleIds(sql, [values.get(param, param) for param in params])


def _adapted(moment):
    return connection.ops.adapt_datetimefield_value(moment)


@functools.cache
def _statement(vendor, topics, within_newest):
    stand_ins = [STAND_IN_TOPIC - n for n in range(1, topics + 1)]
    ids = TaggedArticle.objects.article_ids(stand_ins, at=STAND_IN_TIME, within_newest=within_newest)
    return ids.query.sql_with_params()


class ArticleIds(Sequence):
    """The ids a statement selects, in its order, read a slice at a time (LIMIT and OFFSET, as a
    paginator asks for them) and counted only when their number is asked for."""

    def __init__(self, sql, params):
        self.sql, self.params = sql, list(params)

    def __getitem__(self, index):
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else list(self)[index:][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or start < 0 or stop is None or stop < 0:
            return list(self)[index]  # no page asks for these: all are read
        return self._run(f"{self.sql} LIMIT %s OFFSET %s", [stop - start, start]) if stop > start else []

    def __iter__(self):
        return iter(self._run(self.sql, []))

    def __len__(self):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.sql}) AS ids", self.params)
            return cursor.fetchone()[0]

    def _run(self, sql, more_params):
        with connection.cursor() as cursor:
            cursor.execute(sql, self.params + more_params)
            return [row[0] for row in cursor.fetchall()]
