"""{% route "articles:list" %}: the address of a route without arguments, reversed once per
process: every page's header and feed links name the same seven (reverse() costs about 40 µs)."""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@register.simple_tag
def route(name):
    """reverse(name), kept for the script prefix and URLconf in use."""
    return _reversed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _reversed(name, script_prefix, urlconf):
    return reverse(name, urlconf=urlconf)
