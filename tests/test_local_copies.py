"""Each process's copies of what the page cache reads from Redis (pagecache.redis.LocalCopies): a
hit asks Redis nothing, and a change made anywhere (this process, another app server, a flush) is
seen on the next read; while Redis's invalidations cannot reach the process, nothing is trusted."""

import os
from unittest import mock

import pytest
import redis
from django.core.cache import cache
from django.test import Client

from pagecache.redis import LocalCopies, RedisCache
from tests.factories import make_article, make_author, make_tag

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def local_copies(settings, monkeypatch):
    """The page cache on Redis with copies in this process, as production runs it."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "local_copies": True},
        }
    }
    cache.clear()
    cache._cache.get_client().ping()  # by then Redis has sent the flush's invalidation...
    copies = cache._cache.local_copies()
    monkeypatch.setattr(copies, "_retry_at", 0.0)  # listening again, if a test cut it
    copies.read([], fetch=None)  # ...which is applied here, not in the middle of a test
    yield copies
    cache.clear()


@pytest.fixture
def other_server():
    """The same Redis as written by another app server: its own connections, no copies here."""
    return RedisCache(os.environ["REDIS_URL"], {})


def changed_elsewhere(other, key):
    """Another server changes `key` (as its touch() does), then makes one more round trip: by then
    Redis has sent the invalidation that went with the change (it goes out in the same cycle)."""
    try:
        other.incr(key)
    except ValueError:
        other.set(key, 1, timeout=None)
    other._cache.get_client().ping()


@pytest.fixture
def article():
    return make_article("Gentle stretching", author=make_author("Calm Fern"), tags=[make_tag("Exercise")])


def page_cache_state(client, url):
    return client.get(url, headers={"x-forwarded-proto": "https"}).page_cache


def redis_commands():
    """Counts the commands sent on the cache's data connections (not the invalidations' one)."""
    return mock.patch.object(
        redis.Redis, "execute_command", autospec=True, side_effect=redis.Redis.execute_command
    )


def test_a_page_cache_hit_asks_redis_nothing(local_copies, article):
    client, url = Client(), article.get_absolute_url()
    assert page_cache_state(client, url) == "miss"
    page_cache_state(client, url)  # the first hit reads the entry and its versions from Redis

    with redis_commands() as sent:
        states = [page_cache_state(client, url) for _ in range(3)]

    assert states == ["hit"] * 3
    assert sent.call_count == 0


def test_a_change_made_through_another_server_is_seen_on_the_next_request(
    local_copies, article, other_server
):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    assert page_cache_state(client, url) == "hit"

    changed_elsewhere(other_server, f"dep:replies:{article.pk}")  # as a reply approved there does

    assert page_cache_state(client, url) == "miss"
    assert page_cache_state(client, url) == "hit"


def test_a_change_made_by_this_process_is_seen_at_once(local_copies, article):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    page_cache_state(client, url)

    article.title = "Gentle stretching, a year on"
    article.save()

    response = client.get(url, headers={"x-forwarded-proto": "https"})
    assert response.page_cache == "miss"
    assert "a year on" in response.content.decode()


def test_a_flush_elsewhere_drops_every_copy(local_copies, article, other_server):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    page_cache_state(client, url)

    other_server.clear()
    other_server._cache.get_client().ping()

    assert page_cache_state(client, url) == "miss"


def test_nothing_is_trusted_while_the_invalidations_cannot_arrive(local_copies, article, other_server):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    page_cache_state(client, url)
    # The connection that receives the invalidations is cut (a Redis restart, a network fault)...
    host, port = local_copies._listener._sock.getsockname()[:2]
    other_server._cache.get_client().client_kill_filter(addr=f"{host}:{port}")
    # ...and meanwhile another server changes what the page shows.
    changed_elsewhere(other_server, f"dep:replies:{article.pk}")

    assert page_cache_state(client, url) == "miss"  # read from Redis, not from a copy


def test_a_read_that_crosses_a_change_keeps_no_copy(local_copies, other_server):
    key = cache.make_key("dep:topic:7")
    other_server.set("dep:topic:7", 1, timeout=None)
    fetch = cache._cache.get_client().mget

    def fetch_then_changed_elsewhere(keys):
        values = fetch(keys)  # the old value, read just before another server changes it
        changed_elsewhere(other_server, "dep:topic:7")
        return values

    assert local_copies.read([key], fetch_then_changed_elsewhere) == {key: b"1"}
    assert local_copies.read([key], fetch) == {key: b"2"}


def test_absent_keys_are_remembered_until_created(local_copies, other_server):
    assert cache.get_many(["dep:article:99"]) == {}
    with redis_commands() as sent:
        assert cache.get_many(["dep:article:99"]) == {}
    assert sent.call_count == 0

    changed_elsewhere(other_server, "dep:article:99")

    assert cache.get_many(["dep:article:99"]) == {"dep:article:99": 1}


def test_only_the_page_caches_own_keys_are_kept(local_copies, other_server):
    # Other values (sessions, rate limits) rely on Redis's expiry, which it may report late.
    cache.set("axes-attempts", 3)
    cache.set("page:abc", "html")
    cache.get_many(["axes-attempts", "page:abc"])

    with redis_commands() as sent:
        assert cache.get_many(["axes-attempts", "page:abc"]) == {"axes-attempts": 3, "page:abc": "html"}

    assert sent.call_count == 1  # for the first key only


def test_the_copies_stay_within_their_memory_bound(local_copies):
    redis_client = cache._cache.get_client()
    pool = redis_client.connection_pool
    bounded = LocalCopies(
        pool.connection_class, pool.connection_kwargs, local_copies.prefixes, max_bytes=1000
    )
    keys = [cache.make_key(f"page:{n}") for n in range(20)]
    for key in keys:
        redis_client.set(key, b"x" * 90)

    for key in [*keys, keys[0]]:
        bounded.read([key], redis_client.mget)

    assert bounded._bytes <= 1000
    # The least recently read went first; the first key, read again, is back.
    assert list(bounded._values) == [*keys[-10:], keys[0]]


def test_no_copies_are_kept_with_several_servers():
    # A replica could answer with a value older than an invalidation already applied.
    several = RedisCache(
        "redis://127.0.0.1:6379/1,redis://127.0.0.1:6379/2", {"OPTIONS": {"local_copies": True}}
    )
    single = RedisCache("redis://127.0.0.1:6379/1", {"OPTIONS": {"local_copies": True}})

    assert several._cache.local_copies() is None
    assert single._cache.local_copies() is not None
