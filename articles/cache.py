"""The content version: one number in the shared cache, bumped by every change a public page can
show, so that nothing cached (a whole page, a fragment, a count) is used once its content changed,
on any app server. Entries also end when the next scheduled article goes live."""

import hashlib
import logging
import time
from contextlib import suppress

from django.core.cache import cache
from django.db import transaction

from articles.models import Article, Tag, TaggedArticle

VERSION_KEY = "content-version"
NEXT_PUBLICATION_KEY = "next-publication"
# After the cache fails, this process reads past it for a while: a cache server that hangs
# rather than refuses would otherwise add its timeout to every page and to every fragment.
OUTAGE_PAUSE_SECONDS = 5

log = logging.getLogger(__name__)
_down_until = 0.0


def cache_usable():
    """False for a few seconds after the cache failed in this process (then it is tried again)."""
    return time.time() >= _down_until


def cache_failed(what):
    global _down_until
    _down_until = time.time() + OUTAGE_PAUSE_SECONDS
    log.warning("The cache failed (%s); reading past it for %s s.", what, OUTAGE_PAUSE_SECONDS, exc_info=True)


def bump_content_version():
    """Make everything cached stale, now and again once the current transaction commits: a page
    rendered in between from the old rows must not stay cached. Never fails: a broken cache only
    means no cache."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            # Missing (new, flushed or evicted): start from a number no earlier entry can carry.
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            cache.incr(VERSION_KEY)
    except Exception:
        log.warning("Could not bump the content version; is the cache down?", exc_info=True)


def current_value(found, key):
    """The value stored under `key` in `found` (from one get_many with VERSION_KEY), or None when
    it is missing, from an older content version or past its time."""
    entry = found.get(key)
    if entry and entry["version"] == found.get(VERSION_KEY, 0) and entry["until"] > time.time():
        return entry["value"]
    return None


def store(key, version, value, seconds, next_publication):
    """Keep `value` for at most `seconds`, and not past `next_publication` (read before `value` was
    made: an article going live meanwhile must still end the entry's life)."""
    now = time.time()
    if next_publication:
        seconds = min(seconds, max(0, next_publication - now))
    try:
        cache.set(key, {"version": version, "until": now + seconds, "value": value}, timeout=int(seconds) + 1)
    except Exception:
        cache_failed(f"storing {key}")


def next_publication_time(version):
    """When the earliest scheduled article goes live (a timestamp, or None), asked of the database
    once per content version and again once that time has passed."""
    try:
        entry = cache.get(NEXT_PUBLICATION_KEY) if cache_usable() else None
    except Exception:
        entry = None
        cache_failed("reading the next publication time")
    if entry and entry["version"] == version and (entry["at"] is None or entry["at"] > time.time()):
        return entry["at"]
    at = Article.objects.next_publication_time()
    at = at.timestamp() if at else None
    with suppress(Exception):  # if it cannot be kept, the next call asks the database again
        cache.set(NEXT_PUBLICATION_KEY, {"version": version, "at": at}, timeout=None)
    return at


def for_current_content(name, compute, seconds=600):
    """compute(), kept in the shared cache for the current content: one cache round trip per hit."""
    key = "content:" + hashlib.sha256(name.encode()).hexdigest()
    if not cache_usable():
        return compute()
    try:
        found = cache.get_many([VERSION_KEY, key])
    except Exception:
        cache_failed(f"reading {name}")
        return compute()
    value = current_value(found, key)
    if value is None:
        # Both read *before* computing: a change meanwhile leaves this entry already stale.
        version = found.get(VERSION_KEY, 0)
        next_publication = next_publication_time(version)
        value = compute()
        store(key, version, value, seconds, next_publication)
    return value


def published_count():
    """How many articles the public sees: counting them reads an index entry per article."""
    return for_current_content("published-count", lambda: Article.objects.published().count())


def topic_count(tag):
    """How many articles the public sees on `tag` (reads an index entry per article)."""
    return for_current_content(
        f"topic-count:{tag.pk}", lambda: TaggedArticle.objects.public().filter(tag=tag).count()
    )


def tags_in_use(limit=None):
    """Topics with published articles, most used first (the first `limit`), each with
    `article_count`. Counting them reads every article's topics, so the counts are kept for the
    current content, as plain tuples: thousands of them load far faster than model instances."""
    rows = for_current_content(
        "tags-in-use",
        lambda: list(Tag.objects.in_use().values_list("pk", "name", "slug", "article_count")),
    )
    tags = []
    for pk, name, slug, article_count in rows[:limit]:
        tag = Tag(pk=pk, name=name, slug=slug)
        tag.article_count = article_count
        tags.append(tag)
    return tags
