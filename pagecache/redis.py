"""Django's Redis cache backend, keeping one Redis client per connection pool, without memcached's
key checks, and with copies in each process of what the page cache reads on every hit.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` on every cache call, which
copies its table of response callbacks: about as long as the loopback round trip itself, on every
page-cache hit. A `redis.Redis` is safe to share (each command takes a connection from the pool),
so one per pool is kept. Settings name it as `"BACKEND": "pagecache.redis.RedisCache"`.

With `"OPTIONS": {"local_copies": True}`, the values of the page cache's own keys (pages,
fragments, counts, dependency versions: LOCAL_KEYS) that this process reads are kept in its
memory, and Redis tells it the moment one changes: server-assisted client-side caching in
broadcasting mode (`CLIENT TRACKING ... BCAST`, Redis 6 or later), on a connection of the
process's own subscribed to the invalidations. A page-cache hit then makes no round trip at all.

The copies are served only while that connection has answered a PING sent at most a second ago
(a PING answered means every invalidation sent before it has arrived), so a connection that dies
without a word (a dropped NAT entry, a crashed host) is not trusted for longer than that. They are
dropped when the connection fails or stops answering, when Redis is flushed, and by this
process's own writes at once. The versions of dependency keys never touched are remembered as
absent: Redis reports their creation. Only with a single Redis server in the location: a replica
could answer with a value older than an invalidation already applied.
"""

import logging
import os
import threading
from collections import OrderedDict
from contextlib import suppress
from time import monotonic

from django.core.cache.backends import redis

# The page cache's keys (pagecache.store), whose reader checks each value's validity itself: an
# entry's time and the versions it was made from. Others (sessions, rate limits) rely on Redis
# expiring them, which it may report late: they are always read from Redis.
LOCAL_KEYS = ("page:", "content:", "dep:", "next-publication")
# Of those, the ones whose absence is remembered (a dependency never changed is read on every hit).
ABSENT_KEPT_KEYS = ("dep:", "next-publication")
INVALIDATIONS = "__redis__:invalidate"
HEARTBEAT_SECONDS = 0.5  # a PING on the invalidations' connection at most this often...
TRUSTED_SECONDS = 1.0  # ...and the copies served while one sent at most this long ago was answered
GIVE_UP_SECONDS = 3.0  # a PING unanswered this long: the connection is taken for dead
LISTEN_RETRY_SECONDS = 5
ENTRY_BYTES = 200  # what a copy costs besides its key and value (dictionary slot, objects)
ABSENT = b""  # kept for a key Redis does not hold (our serializer never stores b"")

log = logging.getLogger(__name__)
# One set of copies per process and server: Django gives each thread its own cache backend.
_copies, _copies_lock = {}, threading.Lock()
SERVER_KWARGS = ("host", "port", "path", "db", "username")  # which server and database a pool reaches


class LocalCopies:
    """Raw values of keys starting with `prefixes`, as Redis last sent them, kept while no
    invalidation for them has arrived (absent keys only for `absent_prefixes`); at most
    `max_bytes` with their keys, the least recently read dropped first."""

    def __init__(self, connection_class, connection_kwargs, prefixes, absent_prefixes, max_bytes):
        self._connect_to = (connection_class, {**connection_kwargs, "protocol": 2})
        self.prefixes, self._absent_prefixes = tuple(prefixes), tuple(absent_prefixes)
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._values, self._bytes = OrderedDict(), 0
        self._generation = 0  # changes with every invalidation: a read begun before it keeps nothing
        self._listener = self.listener_id = None
        self._pid, self._connecting, self._retry_at, self._failing = None, False, 0.0, False
        self._confirmed_at = self._ping_sent_at = None  # when the last answered PING was sent; a pending one

    def read(self, keys, fetch):
        """{key: raw value or None} for `keys`: the copies kept here, the others from
        fetch(missing keys) (a list of raw values or None), kept for the next read."""
        self._ensure_listener()
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
                    if value is not None and key.startswith(self.prefixes):
                        self._keep(key, value)
                    elif value is None and key.startswith(self._absent_prefixes):
                        self._keep(key, ABSENT)
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
        size = len(key) + len(value) + ENTRY_BYTES
        if size > self._max_bytes // 10:
            return  # a few huge values would push out everything else
        self._values[key] = value
        self._bytes += size
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._values)))

    def _drop(self, key):
        value = self._values.pop(key, None)
        if value is not None:
            self._bytes -= len(key) + len(value) + ENTRY_BYTES

    def _forget_all(self):
        self._generation += 1
        self._values.clear()
        self._bytes = 0

    def _ensure_listener(self):
        """Open the invalidations' connection if there is none (outside the lock: connecting may
        wait for the connection timeout, and the other threads meanwhile read from Redis)."""
        # First use, or a fork that bypassed os.register_at_fork (a fork() made from C).
        if self._pid != os.getpid():
            with self._lock:
                self._after_fork()
        if self._listener is not None or monotonic() < self._retry_at:
            return
        with self._lock:
            if self._connecting or self._listener is not None:
                return
            self._connecting = True
        listener = None
        try:
            listener, listener_id = self._listen()
        except Exception:
            log.warning(
                "Not keeping copies of cached pages for %s s: Redis's invalidations cannot reach "
                "this process.", LISTEN_RETRY_SECONDS, exc_info=not self._failing,
            )  # fmt: skip
            self._failing = True
        with self._lock:
            self._connecting = False
            if listener is None:
                self._retry_at = monotonic() + LISTEN_RETRY_SECONDS
                return
            self._listener, self.listener_id, self._failing = listener, listener_id, False
            self._confirmed_at, self._ping_sent_at = monotonic(), None  # subscribed: nothing was missed since
            self._forget_all()  # whatever changed while nobody listened

    def _after_fork(self):
        self._listener, self._pid, self._connecting = None, os.getpid(), False
        self._forget_all()

    def _listen(self):
        connection_class, kwargs = self._connect_to
        listener = connection_class(**kwargs)
        try:
            listener.connect()
            listener.send_command("CLIENT", "ID")
            listener_id = listener.read_response()
            prefixes = [part for prefix in self.prefixes for part in ("PREFIX", prefix)]
            listener.send_command("CLIENT", "TRACKING", "ON", "REDIRECT", listener_id, "BCAST", *prefixes)
            listener.read_response()
            listener.send_command("SUBSCRIBE", INVALIDATIONS)
            listener.read_response()
        except Exception:
            listener.disconnect()
            raise
        return listener, listener_id

    def _sync(self):
        """Apply the invalidations Redis has sent and keep the connection checked; whether the
        copies can be served."""
        if self._listener is None:
            return False
        try:
            while self._listener.can_read(timeout=0):
                self._apply(self._listener.read_response())
            now = monotonic()
            if self._ping_sent_at is None:
                if now - self._confirmed_at >= HEARTBEAT_SECONDS:
                    self._listener.send_command("PING")
                    self._ping_sent_at = now
            elif now - self._ping_sent_at > GIVE_UP_SECONDS:
                raise ConnectionError("Redis did not answer a PING on the invalidations' connection.")
            return now - self._confirmed_at <= TRUSTED_SECONDS
        except Exception:
            log.warning(
                "Copies of cached pages dropped: the invalidations' connection failed.", exc_info=True
            )
            with suppress(Exception):
                self._listener.disconnect()
            self._listener, self._retry_at = None, monotonic() + LISTEN_RETRY_SECONDS
            self._forget_all()
            return False

    def _apply(self, message):
        # [b"message", channel, keys], or on a subscribed connection [b"pong", b""] for a PING.
        kind = message[0]
        if kind == b"pong" and self._ping_sent_at is not None:  # every invalidation sent before it arrived
            self._confirmed_at, self._ping_sent_at = self._ping_sent_at, None
        if kind != b"message":
            return
        keys = message[2]
        if keys is None:  # the database was flushed
            self._forget_all()
            return
        self._generation += 1
        for key in keys:
            self._drop(key.decode(errors="replace"))  # not UTF-8: not one of ours


def _in_a_forked_child():
    """A process forked while another thread held a lock of the copies gets it held, by a thread
    it does not have: new locks, and no copies (the connection is the parent's)."""
    global _copies_lock
    _copies_lock = threading.Lock()
    for copies in _copies.values():
        copies._lock = threading.Lock()
        copies._after_fork()


os.register_at_fork(after_in_child=_in_a_forked_child)


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
    def __init__(self, servers, local_copies=(), local_copies_absent=(), local_copies_mb=32, **options):
        super().__init__(servers, **options)
        self._clients = {}  # id of a connection pool: its client
        # Not with several servers: a replica could answer with a value older than an invalidation.
        self._local_prefixes = tuple(local_copies or ()) if len(servers) == 1 else ()
        self._absent_prefixes = tuple(local_copies_absent)
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
            server = pool.connection_class, *(pool.connection_kwargs.get(k) for k in SERVER_KWARGS)
            with _copies_lock:
                self._local = _copies.get((server, self._local_prefixes))
                if self._local is None:
                    self._local = _copies[server, self._local_prefixes] = LocalCopies(
                        pool.connection_class,
                        pool.connection_kwargs,
                        self._local_prefixes,
                        self._absent_prefixes,
                        self._local_max_bytes,
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
        # The page cache's keys as they are stored: with the key prefix and version.
        kept = self._options.get("local_copies")
        self._options = {
            **self._options,
            "local_copies": [self.make_key(key) for key in LOCAL_KEYS] if kept else (),
            "local_copies_absent": [self.make_key(key) for key in ABSENT_KEPT_KEYS] if kept else (),
        }

    def validate_key(self, key):
        # Django warns of keys memcached could not store (over 250 characters, control characters),
        # checking each character in Python: on a page-cache hit, a pass over every key it reads.
        # Redis stores any key, and ours are short hashes and dependency names.
        pass
