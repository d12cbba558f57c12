"""Limits on replies, counted atomically in the shared cache: how often one form token is sent, and
how many replies one client leaves (counted in the database, one client at a time, when the cache
is down)."""

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from pagecache.store import cache_failed, cache_usable
from replies.models import Reply
from replies.tokens import FORM_MAX_AGE

RATE_LIMIT = 5  # replies per client ...
RATE_WINDOW_MINUTES = 10  # ... in the minutes after their first one
TOKEN_USES = 3  # a reader whose reply was refused may send the same form again, but not forever


class RateLimited(Exception):
    """The client has already left RATE_LIMIT replies in the window."""


def token_used_up(nonce):
    """Count one more sending of the form token `nonce`; True once it was sent TOKEN_USES times."""
    uses = _count(f"reply-token-uses:{nonce}", FORM_MAX_AGE)
    return uses is not None and uses > TOKEN_USES  # the cache down: the rate limit still holds


def store_within_rate_limit(reply):
    """Save `reply` unless its client already left RATE_LIMIT replies in the window (RateLimited).

    Counting and saving are one atomic step, so that parallel posts cannot all pass one count."""
    replies = _count(f"reply-rate:{reply.client_hash}", RATE_WINDOW_MINUTES * 60)
    if replies is None:
        _store_counted_in_database(reply)
    elif replies > RATE_LIMIT:
        raise RateLimited
    else:
        reply.save()


def _count(key, seconds):
    """Add one to the counter `key` (started when first counted, ending `seconds` later) and return
    it; None when the cache is down."""
    if not cache_usable():
        return None
    try:
        for _ in range(2):
            cache.add(key, 0, timeout=seconds)
            try:
                count = cache.incr(key)  # atomic: INCR in Redis, under a lock in this process's memory
            except ValueError:
                continue  # it ended between add() and incr(): start it again
            if count == 1:
                # Redis makes a key that ended just before INCR anew, without an end: give it one.
                cache.touch(key, seconds)
            return count
    except Exception:
        cache_failed(f"counting {key}")
    return None


def _store_counted_in_database(reply):
    since = timezone.now() - timedelta(minutes=RATE_WINDOW_MINUTES)
    try:
        with transaction.atomic():
            _lock_client(reply.client_hash)
            reply.save()  # on SQLite the first write takes the database's write lock until commit
            if (
                Reply.objects.filter(client_hash=reply.client_hash, created_at__gte=since).count()
                > RATE_LIMIT
            ):
                raise RateLimited  # leaves the block: the reply's row is rolled back
    except RateLimited:
        reply.pk = None
        raise


def _lock_client(client_hash):
    """On PostgreSQL, wait for any other transaction counting this client's replies to end."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        key = int(client_hash[:15] or "0", 16)  # 60 bits of the hash: fits PostgreSQL's bigint
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
