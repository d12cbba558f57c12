"""The content version: one number in the shared cache, bumped by every change a public page can
show, so that a cached page is never served once its content changed (on any app server)."""

import logging
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Tag

VERSION_KEY = "content-version"

log = logging.getLogger(__name__)


def bump_content_version():
    """Make every cached page stale, now and again once the current transaction commits: a page
    rendered in between from the old rows must not stay cached. Never fails: a broken cache only
    means no page cache."""
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


def for_current_content(name, compute, timeout=600):
    """compute(), cached until the content changes (or the next scheduled article goes live)."""
    try:
        key = f"{name}:{cache.get(VERSION_KEY, 0)}"
        value = cache.get(key)
    except Exception:
        return compute()
    if value is None:
        value = compute()
        next_publication = Article.objects.next_publication_time()
        if next_publication:
            timeout = min(timeout, max(1, int((next_publication - timezone.now()).total_seconds())))
        try:
            cache.set(key, value, timeout)
        except Exception:
            log.warning("Could not cache %s.", name, exc_info=True)
    return value


def published_count():
    """How many articles the public sees: counting them reads an index entry per article."""
    return for_current_content("published-count", lambda: Article.objects.published().count())


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
