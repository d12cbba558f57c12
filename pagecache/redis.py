"""Django's Redis cache backend, keeping one Redis client per connection pool, without memcached's
key checks, and with copies in each process of what the page cache reads on every hit.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` on every cache call, which
copies its table of response callbacks: about as long as the loopback round trip itself, on every
page-cache hit. A `redis.Redis` is safe to share (each command takes a connection from the pool),
so one per pool is kept. Settings name it as `"BACKEND": "pagecache.redis.RedisCache"`.

With `"OPTIONS": {"local_copies": True}`, the values of the page cache's own keys (pages,
fragments, dependency versions: LOCAL_KEYS) that this process reads are kept in its memory, and
Redis tells it the moment one changes: server-assisted client-side caching in broadcasting mode
(`CLIENT TRACKING ... BCAST`, Redis 6 or later), on a connection of the process's own subscribed to
the invalidations. A page-cache hit then makes no round trip at all. The copies are trusted only
while that connection is up: they are dropped when it fails (and while Redis cannot be asked to
track), when Redis is flushed, and by this process's own writes at once. Keys that were absent are
remembered too: Redis reports their creation. Only with a single Redis server in the location: a
replica could answer with a value older than an invalidation already applied.
"""

import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import suppress

from django.core.cache.backends import redis

# The page cache's keys (pagecache.store), whose reader checks each value's validity itself: an
# entry's time and the versions it was made from. Others (sessions, rate limits) rely on Redis
# expiring them, which it may report late: they are always read from Redis.
LOCAL_KEYS = ("page:", "content:", "dep:", "next-publication")
INVALIDATIONS = "__redis__:invalidate"
LISTEN_RETRY_SECONDS = 5
ABSENT = b""  # remembered for a key Redis does not hold (our serializer never stores b"")

log = logging.getLogger(__name__)
# One set of copies per process and server: Django gives each thread its own cache backend.
_copies, _copies_lock = {}, threading.Lock()


class LocalCopies:
    """Raw values of keys starting with `prefixes`, as Redis last sent them, kept while no
    invalidation for them has arrived; at most `max_bytes`, the least recently read dropped first."""

    def __init__(self, connection_class, connection_kwargs, prefixes, max_bytes):
        self._connect_to = (connection_class, {**connection_kwargs, "protocol": 2})
        self.prefixes, self._max_bytes = tuple(prefixes), max_bytes
        self._lock = threading.Lock()
        self._values, self._bytes = OrderedDict(), 0
        self._generation = 0  # changes with every invalidation: a read begun before it keeps nothing
        self._listener, self._pid, self._retry_at = None, None, 0.0

    def read(self, keys, fetch):
        """{key: raw value or None} for `keys`: the copies kept here, the others from
        fetch(missing keys) (a list of raw values or None), kept for the next read."""
        found = {}
        with self._lock:
            trusted = self._sync()
            if trusted:
                for key in keys:
                    if (value := self._values.get(key)) is not None:
                        self._values.move_to_end(key)
                        found[key] = None if value is ABSENT else value
            generation = self._generation
        missing = [key for key in keys if key not in found]
        if not missing:
            return found
        fetched = dict(zip(missing, fetch(missing), strict=True))
        with self._lock:
            # Applied first: an invalidation that came during the fetch may concern what it read.
            if trusted and self._sync() and self._generation == generation:
                for key, value in fetched.items():
                    if key.startswith(self.prefixes):
                        self._keep(key, ABSENT if value is None else value)
        return {**found, **fetched}

    def forget(self, keys=None):
        """Drop the copies of `keys` (of every key without): this process has just changed them."""
        with self._lock:
            if keys is None:
                self._forget_all()
                return
            self._generation += 1
            for key in keys:
                self._drop(key)

    def _keep(self, key, value):
        self._drop(key)
        if len(value) > self._max_bytes // 10:
            return  # a few huge values would push out everything else
        self._values[key] = value
        self._bytes += len(value)
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._values)))

    def _drop(self, key):
        value = self._values.pop(key, None)
        if value is not None:
            self._bytes -= len(value)

    def _sync(self):
        """Apply the invalidations Redis has sent; False while the copies cannot be trusted."""
        if self._pid != os.getpid():  # a forked process: the connection is its parent's
            self._listener, self._pid = None, os.getpid()
            self._forget_all()
        try:
            if self._listener is None:
                if time.monotonic() < self._retry_at:
                    return False
                self._listener = self._listen()
            while self._listener.can_read(timeout=0):
                self._apply(self._listener.read_response())
            return True
        except Exception:
            log.warning("Not keeping copies of cached pages for %s s: Redis's invalidations are "
                        "not reaching this process.", LISTEN_RETRY_SECONDS, exc_info=True)  # fmt: skip
            if self._listener is not None:
                with suppress(Exception):
                    self._listener.disconnect()
            self._listener, self._retry_at = None, time.monotonic() + LISTEN_RETRY_SECONDS
            self._forget_all()
            return False

    def _forget_all(self):
        self._generation += 1
        self._values.clear()
        self._bytes = 0

    def _listen(self):
        connection_class, kwargs = self._connect_to
        listener = connection_class(**kwargs)
        listener.connect()
        listener.send_command("CLIENT", "ID")
        client_id = listener.read_response()
        prefixes = [part for prefix in self.prefixes for part in ("PREFIX", prefix)]
        listener.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", *prefixes)
        listener.read_response()
        listener.send_command("SUBSCRIBE", INVALIDATIONS)
        listener.read_response()
        self._forget_all()  # whatever changed while nobody listened
        return listener

    def _apply(self, message):
        kind, _, keys = message
        if kind != b"message":
            return
        if keys is None:  # the database was flushed
            self._forget_all()
            return
        self._generation += 1
        for key in keys:
            self._drop(key.decode())


def _forgetting(write, keys_of):
    """Django's `write`, then the copies of the keys `keys_of(*its arguments)` dropped (even if it
    failed: it may have been carried out)."""

    def written(self, *args):
        try:
            return write(self, *args)
        finally:
            if local := self.local_copies():
                local.forget(keys_of(*args))

    return written


class KeptClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, servers, local_copies=(), local_copies_mb=32, **options):
        super().__init__(servers, **options)
        self._clients = {}  # id of a connection pool: its client
        # Not with several servers: a replica could answer with a value older than an invalidation.
        self._local_prefixes = tuple(local_copies) if len(servers) == 1 else ()
        self._local_max_bytes = local_copies_mb * 2**20
        self._local = None

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def local_copies(self):
        """The copies this process keeps (None when none are kept)."""
        if self._local is None and self._local_prefixes:
            pool = self._get_connection_pool(write=True)
            with _copies_lock:
                self._local = _copies.setdefault(
                    (self._servers[0], self._local_prefixes, self._local_max_bytes),
                    LocalCopies(
                        pool.connection_class,
                        pool.connection_kwargs,
                        self._local_prefixes,
                        self._local_max_bytes,
                    ),
                )
        return self._local

    def get_many(self, keys):
        local = self.local_copies()
        if local is None:
            return super().get_many(keys)
        found = local.read(list(keys), self.get_client(None).mget)
        return {key: self._serializer.loads(value) for key, value in found.items() if value is not None}

    def get(self, key, default):
        return self.get_many([key]).get(key, default)

    # Django's writes, each then dropping this process's copies of what it wrote.
    add = _forgetting(redis.RedisCacheClient.add, lambda key, *_: [key])
    set = _forgetting(redis.RedisCacheClient.set, lambda key, *_: [key])
    touch = _forgetting(redis.RedisCacheClient.touch, lambda key, *_: [key])
    delete = _forgetting(redis.RedisCacheClient.delete, lambda key: [key])
    incr = _forgetting(redis.RedisCacheClient.incr, lambda key, *_: [key])
    set_many = _forgetting(redis.RedisCacheClient.set_many, lambda data, *_: list(data))
    delete_many = _forgetting(redis.RedisCacheClient.delete_many, lambda keys: list(keys))
    clear = _forgetting(redis.RedisCacheClient.clear, lambda: None)  # None: every key


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
        if self._options.get("local_copies"):
            # The page cache's keys as they are stored: with the key prefix and version.
            self._options = {**self._options, "local_copies": [self.make_key(key) for key in LOCAL_KEYS]}

    def validate_key(self, key):
        # Django warns of keys memcached could not store (over 250 characters, control characters),
        # checking each character in Python: on a page-cache hit, a pass over every key it reads.
        # Redis stores any key, and ours are short hashes and dependency names.
        pass
