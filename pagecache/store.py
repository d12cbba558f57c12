"""Cached values that know what they were made from.

Each dependency key (`article:42`, `topic:7`, `listing`...) has a version counter in the shared
cache (`dep:<key>`). An entry keeps the versions of the keys it was made from, and counts only while
they are all unchanged and its time (never past the next scheduled publication) has not passed.
A change increments only the keys it touches (pagecache.registry). While a page or a fragment is
made, `depends_on(key)` adds to what it is made from; nested entries add theirs to the enclosing one.
"""

import contextvars
import functools
import hashlib
import logging
import time
from contextlib import contextmanager, suppress

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver

NEXT_PUBLICATION_KEY = "next-publication"
LISTING = "listing"  # which articles are published, in what order: also when the next one goes live
# After the cache fails, this process reads past it for a while: a cache server that hangs
# rather than refuses would otherwise add its timeout to every page and to every fragment.
OUTAGE_PAUSE_SECONDS = 5

log = logging.getLogger(__name__)
_down_until = 0.0
_collected = contextvars.ContextVar("pagecache_dependencies", default=None)
_request_memo = contextvars.ContextVar("pagecache_request_memo", default=None)
# What each entry this process read or stored was made from (pagecache key: dependency keys).
_seen_deps = {}
SEEN_DEPS_LIMIT = 20_000


def cache_usable():
    """False for a few seconds after the cache failed in this process (then it is tried again)."""
    return time.time() >= _down_until


@functools.cache
def keeps_nothing():
    """True when the cache is turned off on purpose (CACHE_DISABLED: Django's DummyCache); asked on
    every request, so read once per process and again when the CACHES setting changes (tests)."""
    return isinstance(caches["default"], DummyCache)


@receiver(setting_changed)
def _caches_changed(setting, **kwargs):
    if setting == "CACHES":
        keeps_nothing.cache_clear()


def cache_mode():
    """What the page and fragment caches may do: "on"; "off" when the cache is turned off on purpose
    (nothing to read, keep or bound); "down" for a few seconds after it failed (read past it)."""
    if keeps_nothing():
        return "off"
    return "on" if cache_usable() else "down"


def cache_failed(what):
    global _down_until
    _down_until = time.time() + OUTAGE_PAUSE_SECONDS
    log.warning("The cache failed (%s); reading past it for %s s.", what, OUTAGE_PAUSE_SECONDS, exc_info=True)


def depends_on(*keys):
    """Say that what is being made (a page, a fragment, a count) shows what `keys` name."""
    collected = _collected.get()
    if collected is not None:
        collected.update(str(key) for key in keys)


@contextmanager
def collecting(inherit=False):
    """The set of keys declared inside; they are added to the enclosing set too. With `inherit`
    it starts with the enclosing set (a fragment shows what its page declared before it)."""
    outer = _collected.get()
    keys = set(outer) if inherit and outer else set()
    token = _collected.set(keys)
    try:
        yield keys
    finally:
        _collected.reset(token)
        if outer is not None:
            outer.update(keys)


@contextmanager
def request_scope():
    """What is read once per request (`per_request`) is kept until it ends."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def per_request(name, compute):
    """compute(), once per request (the page middleware's scope) and again after a change in it
    (`touch`); outside a request, every time."""
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def touch(keys):
    """Make stale every entry made from any of `keys`, now and again once the current transaction
    commits: one rendered in between from the old rows must not stay. Never fails."""
    keys = sorted(set(keys))
    if keys:
        if (memo := _request_memo.get()) is not None:
            memo.clear()  # what this request read before the change no longer holds
        _increment(keys)
        transaction.on_commit(lambda: _increment(keys))


def _increment(keys):
    try:
        for key in keys:
            try:
                cache.incr("dep:" + key)
            except ValueError:
                # Missing (new, flushed or evicted): start from a number no earlier entry can carry.
                cache.add("dep:" + key, time.time_ns(), timeout=None)
                cache.incr("dep:" + key)
    except Exception:
        log.warning("Could not touch %s; is the cache down?", keys, exc_info=True)


def versions(keys):
    """{key: its current version} (0 for a key never touched), in one round trip."""
    found = cache.get_many(["dep:" + key for key in keys]) if keys else {}
    return {key: found.get("dep:" + key, 0) for key in keys}


def read(key):
    """(the fresh entry under `key` or None, the current versions of what a stale one was made from,
    to be used for the next entry: read before it is made, a change meanwhile leaves it stale).

    One round trip when this process has seen the entry before: its keys' versions are asked for
    with it, under the keys it was last made from (they seldom change between versions)."""
    guess = _seen_deps.get(key, ())
    found = cache.get_many([key, *("dep:" + dep for dep in guess)])
    entry = found.get(key)
    if not entry:
        return None, {}
    deps = entry["deps"]
    if deps.keys() <= set(guess):
        current = {dep: found.get("dep:" + dep, 0) for dep in deps}
    else:
        current = versions(list(deps))
        _remember_deps(key, deps)
    if current == deps and entry["until"] > time.time():
        return entry, current
    return None, current


def _remember_deps(key, deps):
    if len(_seen_deps) >= SEEN_DEPS_LIMIT:
        _seen_deps.clear()  # a bound on this process's memory; the next reads take two trips again
    _seen_deps[key] = tuple(deps)


def store(key, value, deps, known, seconds, next_publication):
    """Keep `value`, made from `deps`, for at most `seconds` and not past `next_publication` (read
    before `value` was made). `known`: versions read before it was made; the others are read now."""
    now = time.time()
    if next_publication:
        seconds = min(seconds, max(0, next_publication - now))
    try:
        found = {**versions([d for d in deps if d not in known]), **{d: known[d] for d in deps if d in known}}
        cache.set(key, {"deps": found, "until": now + seconds, "value": value}, timeout=int(seconds) + 1)
        _remember_deps(key, found)
    except Exception:
        cache_failed(f"storing {key}")


def next_publication_time():
    """When the earliest scheduled article goes live (a timestamp, or None), asked of the apps
    (pagecache.registry) once per version of the listing and again once that time has passed."""
    return per_request("next-publication", _next_publication_time)


def _next_publication_time():
    from pagecache import registry

    try:
        found = cache.get_many([NEXT_PUBLICATION_KEY, "dep:" + LISTING]) if cache_usable() else {}
    except Exception:
        found = {}
        cache_failed("reading the next publication time")
    entry, listing = found.get(NEXT_PUBLICATION_KEY), found.get("dep:" + LISTING, 0)
    if entry and entry["listing"] == listing and (entry["at"] is None or entry["at"] > time.time()):
        return entry["at"]
    at = registry.next_publication()
    with suppress(Exception):  # if it cannot be kept, the next call asks the database again
        cache.set(NEXT_PUBLICATION_KEY, {"listing": listing, "at": at}, timeout=None)
    return at


def cached(name, compute, keys=(), seconds=600, inherit=False):
    """compute(), kept in the shared cache under `name` while `keys`, and the keys declared while
    computing it, are unchanged. None is never kept (a miss stays cheap and writes nothing)."""
    depends_on(*keys)
    if cache_mode() != "on":
        # Nothing to read, nor to bound: the next publication time only limits how long it is kept.
        return compute()
    key = "content:" + hashlib.sha256(name.encode()).hexdigest()
    try:
        entry, known = read(key)
    except Exception:
        cache_failed(f"reading {name}")
        return compute()
    if entry:
        depends_on(*entry["deps"])
        return entry["value"]
    next_publication = next_publication_time()
    with collecting(inherit) as deps:
        depends_on(*keys)
        value = compute()
    if value is not None:
        store(key, value, deps, known, seconds, next_publication)
    return value
