"""Whole-page cache for anonymous readers, shared by every app server through the cache backend.

One cache round trip per hit (two the first time a process reads a page stored by another): the
page's entry with the versions of the dependency keys it was made from (pagecache.store); it counts
only while they are unchanged and before its expiry (never later than the next scheduled
publication). A page that declares nothing depends on the listing.
Per-reader parts are filled in as the response leaves (pagecache.registry.register_response_filter).

A view keeps its answers out of the cache with `Cache-Control: private` or `no-store` (Django's
`never_cache`), as search does. What the cache did (hit, miss, bypass, unavailable) is set on the
response as `page_cache` for tests and logs; it is sent as `X-Page-Cache` only when the setting
PAGE_CACHE_DEBUG_HEADER is on, never by default: it would tell one reader what others looked at.
"""

import hashlib

from django.conf import settings
from django.http import HttpResponse

from pagecache.registry import filter_response
from pagecache.store import (
    LISTING,
    cache_failed,
    cache_mode,
    collecting,
    next_publication_time,
    read,
    request_scope,
    store,
)

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/_bench/")
KEPT_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "Vary")
# Cache-Control directives with which a response asks that no shared cache keep it.
NOT_SHARED = {"private", "no-store", "no-cache"}


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # What the page declares it shows is collected whatever the page cache does: its fragments
        # are kept with what their page declared before them.
        with collecting(), request_scope():
            return self._respond(request)

    def _respond(self, request):
        mode = cache_mode()
        if mode == "off" or not self._cacheable(request):  # off: nothing to read or keep
            return self._finish(self.get_response(request), "bypass")
        if mode == "down":
            return self._finish(self.get_response(request), "unavailable")
        key = "page:" + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        try:
            entry, known = read(key)
        except Exception:
            cache_failed("reading a page")
            return self._finish(self.get_response(request), "unavailable")
        if entry:
            page = entry["value"]
            response = HttpResponse(page["body"], status=page["status"])
            for header, value in page["headers"].items():
                response[header] = value
            return self._finish(response, "hit")
        # Read before rendering: a scheduled article going live meanwhile still ends the entry.
        next_publication = next_publication_time()
        with collecting() as deps:
            response = self.get_response(request)
        if self._private(response):
            return self._finish(response, "bypass")
        if self._storable(response):
            page = {
                "status": response.status_code,
                "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
                "body": response.content,
            }
            store(key, page, deps or {LISTING}, known, settings.PAGE_CACHE_SECONDS, next_publication)
        return self._finish(response, "miss")

    @staticmethod
    def _cacheable(request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            # Logged-in staff (previews) and readers with a message to see get a fresh page.
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )

    @staticmethod
    def _private(response):
        directives = response.get("Cache-Control", "").lower().split(",")
        return bool(NOT_SHARED & {directive.split("=")[0].strip() for directive in directives})

    @staticmethod
    def _storable(response):
        return response.status_code == 200 and not response.streaming and not response.cookies

    @staticmethod
    def _finish(response, state):
        response.page_cache = state
        if settings.PAGE_CACHE_DEBUG_HEADER:
            response["X-Page-Cache"] = state
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            response.content = filter_response(response.content)
            if response.has_header("Content-Length"):  # set by CommonMiddleware before the fill
                response["Content-Length"] = str(len(response.content))
        return response
