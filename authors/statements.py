"""Statements the ORM builds and compiles once per process, then only runs.

Built for each request, a statement costs the ORM about 0.3 to 1 ms, several times what the
database spends answering it; the pages made from scratch run the same few shapes again and again.
A `Prepared` statement is built from the QuerySet that states the rule (`published()`,
`article_ids()`...) with stand-ins for the values that change (an id, the time), and run with
the real values put in their place; its rows are converted as the ORM would convert them.
"""

import functools
from datetime import UTC, datetime

from django.db import connection
from django.db.models.query import get_related_populators
from django.utils import timezone

# Stand-ins no real statement holds: a time of day no publication has, ids below every real one.
STAND_IN_TIME = datetime(2000, 1, 1, 0, 0, 7, 123457, tzinfo=UTC)
STAND_IN_ID = -1000
STAND_IN_TEXT = "\x00stand-in"  # no slug or name holds a NUL character


def stand_in_ids(count):
    """`count` distinct stand-ins for ids (-1001, -1002, ...)."""
    return [STAND_IN_ID - n for n in range(1, count + 1)]


def stand_in_texts(count):
    """`count` distinct stand-ins for slugs or names."""
    return [f"{STAND_IN_TEXT}-{n}" for n in range(1, count + 1)]


def now():
    """{the stand-in time: now}, as the database is given a time."""
    adapt = connection.ops.adapt_datetimefield_value
    return {adapt(STAND_IN_TIME): adapt(timezone.now())}


class Prepared:
    """The SQL of `queryset` and the converters of its columns, for running it again and again."""

    def __init__(self, queryset):
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, self.params = compiler.as_sql()
        self.compiler = compiler
        self.converters = compiler.get_converters([col for col, *_ in compiler.select[: compiler.col_count]])

    def params_for(self, values):
        """The statement's parameters with each stand-in in `values` replaced by its value."""
        return _substituted(self.params, values)

    def rows(self, values, convert=True, page=None):
        """The rows for `values` ({stand-in: value}), as tuples converted as the ORM would; as the
        database gives them if not `convert` (for `converted()` later, when only some are used);
        only rows start to stop - 1 with `page` (start, stop), read as LIMIT and OFFSET."""
        sql, params = self.sql, self.params_for(values)
        if page is not None:
            sql, params = f"{sql} LIMIT %s OFFSET %s", [*params, page[1] - page[0], page[0]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return self.converted(rows) if convert else rows

    def converted(self, rows):
        """`rows` of this statement converted as the ORM would."""
        if self.converters:
            return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows

    def instances(self, values):
        """The model instances for `values`, with the related ones it selects and its annotations, as
        the ORM makes them."""
        return [self.instance(row) for row in self.rows(values)]

    def count(self, values):
        """How many rows there are for `values` (counted from the statement without its ordering,
        built on first use)."""
        sql, params = self._unordered
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS counted", _substituted(params, values))
            return cursor.fetchone()[0]

    @functools.cached_property
    def _unordered(self):
        query = self.compiler.query.clone()
        query.clear_ordering(force=True)
        return query.get_compiler(self.compiler.using).as_sql()

    def instance(self, row):
        """The model instance of one converted `row` of this statement."""
        model, fields, start, end, populators = self._layout
        instance = model.from_db(self.compiler.using, fields, row[start:end])
        for populator in populators:
            populator.populate(row, instance)
        for name, position in self.compiler.annotation_col_map.items():
            setattr(instance, name, row[position])
        return instance

    def column(self, name):
        """The position of annotation `name` in this statement's rows."""
        return self.compiler.annotation_col_map[name]

    @functools.cached_property
    def _layout(self):
        # Where the model's own fields are in a row, and what makes the related instances it selects.
        info, select, db = self.compiler.klass_info, self.compiler.select, self.compiler.using
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        fields = [column[0].target.attname for column in select[start:end]]
        return info["model"], fields, start, end, get_related_populators(info, select, db)


def _substituted(params, values):
    return [
        values.get(param, param) if isinstance(param, (int, str, datetime)) else param for param in params
    ]


class Paged:
    """What a statement (without a LIMIT of its own) selects for `values`, sliced as a QuerySet is,
    for a paginator: the database reads only the page asked for, and counts the rows only when asked
    (`?page=last`). A slice is make(its rows); by default their model instances."""

    def __init__(self, statement, values, make=None):
        if statement.compiler.query.is_sliced:
            raise ValueError("A paged statement has no LIMIT of its own.")
        self.statement, self.values = statement, values
        self.make = make or (lambda rows: [statement.instance(row) for row in rows])

    def __getitem__(self, bounds):
        start, stop = bounds.start or 0, bounds.stop
        if bounds.step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("A paged statement is read by slices with bounds of 0 or more.")
        if stop is None:
            return self.make(self.statement.rows(self.values)[start:])
        return self.make(self.statement.rows(self.values, page=(start, stop)) if stop > start else [])

    def count(self):
        return self.statement.count(self.values)


def prepared(build):
    """A decorator: `build(*key)` returns a QuerySet; the decorated function returns its Prepared
    statement, built once per process for each database vendor and key."""

    @functools.cache
    def for_vendor(vendor, *key):
        return Prepared(build(*key))

    @functools.wraps(build)
    def statement(*key):
        return for_vendor(connection.vendor, *key)

    return statement
