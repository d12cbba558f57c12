"""The content version: one number in the shared cache, bumped by every change a public page can
show, so that a cached page is never served once its content changed (on any app server)."""

import logging

from django.core.cache import cache

VERSION_KEY = "content-version"

log = logging.getLogger(__name__)


def bump_content_version():
    """Make every cached page stale. Never fails: a broken cache only means no page cache."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet (new or flushed cache)
            cache.add(VERSION_KEY, 1, timeout=None)
            cache.incr(VERSION_KEY)
    except Exception:
        log.warning("Could not bump the content version; is the cache down?", exc_info=True)
