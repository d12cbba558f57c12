"""The public URL patterns of the URLconf, read from Django's resolver (the admin and media excluded)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

EXCLUDED = ("admin/", "media/")
CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def public_routes(resolver=None, prefix=""):
    """Each public URL pattern of the URLconf as a route with `<kind:name>` placeholders."""
    routes = []
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        text = str(pattern) if isinstance(pattern, RoutePattern) else _literal_regex(str(pattern))
        if (prefix + text).startswith(EXCLUDED):
            continue
        if isinstance(entry, URLResolver):
            routes += public_routes(entry, prefix + text)
        elif isinstance(entry, URLPattern):
            routes.append(prefix + text)
    return routes


def _literal_regex(regex):
    body = regex.removeprefix("^").removesuffix("$")
    assert not re.search(r"[()\[\]*+?\\]", body.replace("\\.", ".")), (
        f"cannot fuzz the regex pattern {regex!r}"
    )
    return body.replace("\\.", ".")


ROUTES = public_routes()
