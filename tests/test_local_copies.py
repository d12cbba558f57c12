"""Each process's copies of what the page cache reads from Redis (pagecache.redis.LocalCopies): a
hit asks Redis nothing, and a change made anywhere (this process, another app server, a flush) is
seen on the next read; while Redis's invalidations cannot reach the process, nothing is trusted.

Tracking prefixes and flush notices are server-wide: the keys here carry a prefix of this run's
own, but a FLUSHDB by another user of the same Redis during the run makes a hit read Redis again."""

import os
import signal
import time
import traceback
import uuid
from unittest import mock

import pytest
import redis
from django.core.cache import cache
from django.test import Client

import pagecache.redis
from pagecache.redis import GIVE_UP_SECONDS, HEARTBEAT_SECONDS, LocalCopies, RedisCache
from tests.factories import make_article, make_author, make_tag

pytestmark = [pytest.mark.django_db, pytest.mark.redis]
PREFIX = f"test-{uuid.uuid4().hex[:8]}"  # no other process writes these keys


@pytest.fixture
def local_copies(settings, monkeypatch):
    """The page cache on Redis with copies in this process, as production runs it."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "local_copies": True},
            "KEY_PREFIX": PREFIX,
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
    return RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": PREFIX})


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


def test_a_change_made_by_this_process_is_seen_at_once(local_copies, article, monkeypatch):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    page_cache_state(client, url)
    # Without waiting for Redis's invalidation: this process drops what it changes itself.
    monkeypatch.setattr(local_copies._listener, "can_read", lambda timeout=0: False)

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
    other_server._cache.get_client().client_kill_filter(_id=local_copies.listener_id)
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

    (call,) = sent.call_args_list
    assert call.args[1:] == ("MGET", cache.make_key("axes-attempts"))


def test_the_copies_stay_within_their_memory_bound_keys_and_absent_ones_counted(local_copies):
    redis_client = cache._cache.get_client()
    pool = redis_client.connection_pool
    prefixes = local_copies.prefixes
    bounded = LocalCopies(pool.connection_class, pool.connection_kwargs, prefixes, prefixes, max_bytes=10_000)
    keys = [cache.make_key(f"page:{n}") for n in range(200)]  # each costs over 200 bytes, values or not
    for key in keys[:100]:
        redis_client.set(key, b"x" * 90)
    try:
        for key in [*keys, keys[0]]:
            bounded.read([key], redis_client.mget)

        assert 0 < bounded._bytes <= 10_000
        assert len(bounded._values) <= 10_000 // 200  # each entry counted with its key and its cost
        # The least recently read went first; the first key, read again, is back.
        kept = list(bounded._values)
        assert kept[-1] == keys[0] and kept[:-1] == keys[-len(kept) + 1 :]
    finally:
        bounded._listener.disconnect()


def test_absent_pages_are_not_remembered(local_copies):
    # Any address that is not a stored page (a 404, a bad query) would otherwise leave one behind.
    cache.get_many(["page:nowhere"])

    assert cache.make_key("page:nowhere") not in local_copies._values


def test_an_answered_heartbeat_keeps_the_copies_served(local_copies, article):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    local_copies._confirmed_at -= HEARTBEAT_SECONDS  # the last answer is half a second old
    local_copies.read([], fetch=None)  # so this read sends a PING
    assert local_copies._ping_sent_at is not None
    assert local_copies._listener.can_read(timeout=1)  # its answer has arrived...

    assert page_cache_state(client, url) == "hit"  # ...and is taken as one, not as a failure

    assert local_copies._listener is not None and local_copies._ping_sent_at is None


def test_a_connection_that_dies_without_a_word_is_not_trusted(
    local_copies, article, other_server, monkeypatch
):
    client, url = Client(), article.get_absolute_url()
    page_cache_state(client, url)
    assert page_cache_state(client, url) == "hit"
    # No FIN, no RST: a NAT entry dropped, a crashed host. Nothing ever arrives again...
    monkeypatch.setattr(local_copies._listener, "can_read", lambda timeout=0: False)
    changed_elsewhere(other_server, f"dep:replies:{article.pk}")  # ...not this invalidation either

    later = pagecache.redis.monotonic() + 1.1  # the last answered PING is now over a second old
    monkeypatch.setattr(pagecache.redis, "monotonic", lambda: later)
    assert page_cache_state(client, url) == "miss"  # read from Redis, not from a copy

    monkeypatch.setattr(pagecache.redis, "monotonic", lambda: later + GIVE_UP_SECONDS + 1)
    page_cache_state(client, url)
    assert local_copies._listener is None and not local_copies._values  # given up, all dropped


def test_turned_off_the_cache_works_without_copies():
    off = RedisCache(os.environ["REDIS_URL"], {"OPTIONS": {"local_copies": False}, "KEY_PREFIX": PREFIX})

    off.set("page:off", "html")

    assert off.get("page:off") == "html"
    assert off._cache.local_copies() is None


def test_no_copies_are_kept_with_several_servers():
    # A replica could answer with a value older than an invalidation already applied.
    several = RedisCache(
        "redis://127.0.0.1:6379/1,redis://127.0.0.1:6379/2", {"OPTIONS": {"local_copies": True}}
    )
    single = RedisCache("redis://127.0.0.1:6379/1", {"OPTIONS": {"local_copies": True}})

    assert several._cache.local_copies() is None
    assert single._cache.local_copies() is not None


@pytest.mark.parametrize("held", ["the copies' lock", "the registry's lock"])
def test_a_process_forked_while_a_lock_is_held_can_still_read(local_copies, held):
    # A thread of the parent (a request being served) holds a lock at the moment of the fork: the
    # child gets it held, by a thread it does not have.
    lock = local_copies._lock if held == "the copies' lock" else pagecache.redis._copies_lock
    with lock:
        child = os.fork()
        if child == 0:  # the child: read and leave, without pytest's clean-up
            try:
                # A backend of a new thread: it finds the copies in the registry, then reads them.
                options = {"local_copies": True, "socket_connect_timeout": 1, "socket_timeout": 1}
                fresh = RedisCache(os.environ["REDIS_URL"], {"OPTIONS": options, "KEY_PREFIX": PREFIX})
                fresh.set("page:forked", "html")
                os._exit(0 if fresh.get("page:forked") == "html" else 1)
            except BaseException:
                traceback.print_exc()  # shown with the test's captured output
            finally:
                os._exit(2)
    for _ in range(50):  # at most 5 s
        pid, status = os.waitpid(child, os.WNOHANG)
        if pid:
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        pytest.fail(f"the forked process hung on {held}")
    assert os.waitstatus_to_exitcode(status) == 0
