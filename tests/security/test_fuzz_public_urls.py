"""Property-based fuzzing of every public URL pattern and query parameter, and of the reply form.

Whatever the path parts, query parameters and form fields: never a server error, a 404 is our own
page, and no generated text comes back as markup. The patterns are read from the URLconf, so a new
public page is fuzzed without anyone remembering to add it here.
"""

import time
from unittest import mock
from urllib.parse import quote, unquote, urlencode

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article, Tag
from authors.models import Author
from tests.security.markup import live_markup
from tests.security.urlconf import CONVERTER, EXCLUDED, ROUTES
from tests.security.xss_payloads import PAYLOADS
from tests.security.xss_site import reply_form_inputs

FUZZ = settings.get_profile("security")
NOT_FOUND_HEADING = "We couldn't find that page"  # templates/404.html


NASTY_TEXT = [
    "../", "..%2F", "%2e%2e/", "%00", "x%00y", "%", "%ZZ", "%C0%AF", "%FF%FE", "/", "//", "\\",
    "\u202e", "\u200f", "\u2028", "\ufeff", "\U0001f600", "\U0001f469\u200d\U0001f4bb", "é", "日本語",
    "' OR '1'='1", "1; DROP TABLE articles_article; --", '" OR ""="', "%' --", "a" * 5000,
    "{{ 7|add:7 }}", "{% debug %}", "${7*7}", "\x00", "\r\nSet-Cookie: x=1", "  ", "-", "_",
    *(p.text for p in PAYLOADS),
]  # fmt: skip
PAGE_NUMBERS = ["0", "-1", "1", "2", "99999999999999999999", "9" * 5000, "last", "1.5", "1e3", "", " 1", "nan"]  # fmt: skip


def text_strategy(known=()):
    """Generated text: known good values, hostile strings, random unicode, and mixtures of them."""
    nasty = st.sampled_from(NASTY_TEXT)
    parts = st.one_of(nasty, st.text(max_size=8))
    options = [
        nasty,
        nasty,  # twice: hostile strings are what this suite is for
        st.text(max_size=40),
        st.lists(parts, min_size=2, max_size=4).map("".join),
    ]
    if known:
        options.insert(0, st.sampled_from(list(known)))
    return st.one_of(*options)


def known_slugs(site):
    """Slugs that exist: hidden ones (draft, scheduled, drafts-only topic, unpublished author) and public ones."""
    slugs = [site.draft.slug, site.scheduled.slug, site.drafts_only_topic.slug, site.unpublished_author.slug]
    slugs += list(Article.objects.values_list("slug", flat=True)[:5])
    slugs += list(Tag.objects.values_list("slug", flat=True)[:5])
    slugs += list(Author.objects.values_list("slug", flat=True)[:5])
    return slugs


@st.composite
def public_urls(draw, route, known):
    """A request address for `route`: each path part filled, then query parameters added; with the
    generated values, to look for them in the answer."""
    values = []

    def fill(match):
        if match["kind"] == "int":
            value = draw(st.one_of(text_strategy(), st.integers().map(str)))
        else:
            value = draw(text_strategy(known))
        values.append(value)
        # Either fully escaped, or with "%" and "/" left raw so that broken escapes and "../" arrive.
        return quote(value, safe=draw(st.sampled_from(["", "%/"])))

    path = "/" + CONVERTER.sub(fill, route)
    params = draw(query_params(known))
    values += [value for _, value in params]
    query = urlencode(params)
    return (f"{path}?{query}" if query else path), values


def query_params(known):
    """Query parameters: maybe `q`, some `tag`s, maybe `page`, maybe unknown ones, in any order."""
    value = text_strategy(known)
    page = st.one_of(st.sampled_from(PAGE_NUMBERS), st.integers().map(str))
    return st.tuples(
        st.lists(st.tuples(st.just("q"), value), max_size=1),
        st.lists(st.tuples(st.just("tag"), value), max_size=3),
        st.lists(st.tuples(st.just("page"), page), max_size=1),
        st.lists(st.tuples(st.text(min_size=1, max_size=10), value), max_size=2),
    ).flatmap(lambda groups: st.permutations([pair for group in groups for pair in group]))


def reflected(values, body):
    """Generated values with markup characters that come back verbatim in an HTML body."""
    suspicious = dict.fromkeys([*values, *(unquote(v) for v in values)])
    return [v for v in suspicious if len(v) >= 6 and ("<" in v or '"' in v) and v in body]


def assert_answers_cleanly(response, url, values, method):
    assert response.status_code < 500, f"{method} {url} answered {response.status_code}"
    if response.status_code == 404:
        names = [t.name for t in response.templates]
        assert "404.html" in names, f"{method} {url}: 404 without the site's page ({names})"
        if method != "HEAD":
            assert NOT_FOUND_HEADING in response.content.decode()
    if method != "HEAD" and response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        assert not reflected(values, body), f"{url} reflects {reflected(values, body)!r} unescaped"
        assert live_markup(body) == [], f"{url}: {live_markup(body)[:5]}"


@pytest.mark.parametrize("route", ROUTES)
def test_a_public_url_never_fails_and_never_reflects_what_it_was_given(client, fuzz_site, db, route):
    known = known_slugs(fuzz_site)

    @settings(FUZZ, max_examples=20)
    @given(data=st.data(), method=st.sampled_from(["GET", "HEAD"]))
    def fuzz(data, method):
        url, values = data.draw(public_urls(route, known), label="url")
        response = client.generic(method, url)
        assert_answers_cleanly(response, url, values, method)

    fuzz()


def test_every_public_page_of_the_urlconf_is_fuzzed():
    pages = {"", "articles/", "articles/<uslug:slug>/", "search/", "feed/", "tags/<uslug:slug>/feed/atom/"}

    assert pages | {"authors/<uslug:slug>/", "sitemap.xml", "robots.txt", "healthz"} <= set(ROUTES)
    assert not [route for route in ROUTES if route.startswith(EXCLUDED)]


REPLY_FIELDS = ["name", "email", "text", "website", "token"]


def test_a_reply_of_any_content_never_fails_and_never_comes_back_as_markup(client, fuzz_site, db):
    targets = {fuzz_site.published: (200, 302), fuzz_site.draft: (404,), fuzz_site.scheduled: (404,)}

    @settings(FUZZ, max_examples=40)
    @given(
        article=st.sampled_from(list(targets)),
        fields=st.dictionaries(st.sampled_from(REPLY_FIELDS), text_strategy()),
        unknown=st.dictionaries(st.text(min_size=1, max_size=8), text_strategy(), max_size=2),
        real_token=st.booleans(),
        address=st.integers(1, 250),
    )
    def fuzz(article, fields, unknown, real_token, address):
        token = reply_form_inputs(client, fuzz_site.published) if real_token else {}
        data = {**unknown, **token, **fields}
        url = reverse("replies:post", args=[article.slug])
        with mock.patch("time.time", return_value=time.time() + 60):  # a reader who took a minute
            response = client.post(url, data, REMOTE_ADDR=f"203.0.113.{address}")
        assert response.status_code in targets[article], f"POST {url} answered {response.status_code}"
        assert_answers_cleanly(response, url, list(data.values()), "POST")

    fuzz()
