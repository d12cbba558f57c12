"""Our PostgreSQL backend (fibrosite/postgresql) loads timestamps with psycopg's own loader, the
compiled one with psycopg[binary], and they come out as Django's loader gave them: in UTC."""

from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from django.db import connection
from psycopg.postgres import types
from psycopg.pq import Format

from articles.models import Article
from tests.factories import make_article

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
TIMESTAMPTZ = types["timestamptz"].oid


def test_timestamps_are_loaded_by_psycopgs_own_loader():
    connection.ensure_connection()
    registered = connection.connection.adapters.get_loader(TIMESTAMPTZ, Format.TEXT)
    # Django's own derives from psycopg's pure-Python loader, about 7 µs a value.
    assert type(registered(TIMESTAMPTZ, connection.connection)) is psycopg.adapters.get_loader(
        TIMESTAMPTZ, Format.TEXT
    )
    with connection.cursor() as cursor:  # Django keeps it: it announces the connection's time zone
        assert cursor.cursor.adapters.get_loader(TIMESTAMPTZ, Format.TEXT) is registered


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 29, 1, 30, 0, 123456, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-5))),
        datetime(2026, 10, 25, 2, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    ],
)
def test_a_timestamp_comes_back_as_the_same_moment_in_utc(moment):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [moment])
        (loaded,) = cursor.fetchone()
    assert loaded == moment
    assert loaded.tzinfo is UTC


def test_the_orm_reads_an_articles_times_as_they_were_saved():
    article = make_article("Pacing on a bad day", days_ago=3)
    saved = article.published_at
    row = Article.objects.filter(pk=article.pk).values_list("published_at", "revised_at").get()
    assert row[0] == saved
    assert {value.tzinfo for value in row} == {UTC}
