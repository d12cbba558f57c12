"""Django's Redis cache backend, keeping one Redis client per connection pool, without memcached's
key checks.

Django's `RedisCacheClient.get_client()` builds a new `redis.Redis` on every cache call, which
copies its table of response callbacks: about as long as the loopback round trip itself, on every
page-cache hit. A `redis.Redis` is safe to share (each command takes a connection from the pool),
so one per pool is kept. Settings name it as `"BACKEND": "pagecache.redis.RedisCache"`.
"""

from django.core.cache.backends import redis


class KeptClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id of a connection pool: its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient

    def validate_key(self, key):
        # Django warns of keys memcached could not store (over 250 characters, control characters),
        # checking each character in Python: on a page-cache hit, a pass over every key it reads.
        # Redis stores any key, and ours are short hashes and dependency names.
        pass
