import functools
import re
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

# What django.utils.text.slugify(allow_unicode=True) and taggit produce: letters of any script,
# digits, "_" and "-". Anything else (spaces, markup, NUL bytes) never reaches the database.
SLUG_PATTERN = r"[-\w]+"
SLUG_RE = re.compile(SLUG_PATTERN)


class UnicodeSlugConverter:
    """A `<uslug:...>` URL part: a slug in any script."""

    regex = SLUG_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def slug_url(viewname, slug):
    """reverse(viewname, kwargs={"slug": slug}) for a route whose only part is a slug, in a few
    microseconds: lists link every card's article, author and topics (reverse() costs about 40 µs)."""
    return slug_url_maker(viewname)(slug)


def slug_url_maker(viewname):
    """slug_url(viewname, slug) as a function of the slug, for many links at once: the script
    prefix and the URLconf of the request are read once, not for each link."""
    before, after = _slug_route(viewname, get_script_prefix(), get_urlconf())
    return lambda slug: before + quote(slug, safe=RFC3986_SUBDELIMS + "/~:@") + after  # as by reverse()


@functools.cache
def _slug_route(viewname, script_prefix, urlconf):
    # The route reversed once around a marker; the slug is quoted as reverse() quotes it.
    marker = "0slug0"
    return tuple(reverse(viewname, urlconf=urlconf, kwargs={"slug": marker}).split(marker))
