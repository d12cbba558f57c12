"""The XSS corpus, typed into every field, is text in every public output: on every page no element,
attribute, event handler or address of a payload's is live, none is printed verbatim, no template
syntax runs; feeds send it as text, JSON-LD as data, the sitemap stays well-formed. Each page type is
read once for the whole data set (tests/security/xss_site.py)."""

import json
import math
import xml.etree.ElementTree as ET
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from tests.security.markup import feed_problems, json_ld_blocks, page_problems, report
from tests.security.xss_payloads import PAYLOADS, markers_in, packed

EVERY_PAYLOAD = {p.number for p in PAYLOADS}


def list_pages(site):
    pages = math.ceil(Article.objects.published().count() / settings.ARTICLES_PER_PAGE)
    return [f"{reverse('articles:list')}?page={n}" for n in range(1, pages + 1)]


def filtered_lists(site):
    by_topic = [f"{reverse('articles:list')}?{urlencode({'tag': t.slug})}" for t in site.topics]
    combined = (
        f"{reverse('articles:list')}?{urlencode({'tag': [t.slug for t in site.topics[:3]]}, doseq=True)}"
    )
    # Unknown topics are named back to the reader: five payloads (the most used) per request.
    typed = [
        f"{reverse('articles:list')}?{urlencode({'tag': [p.text for p in PAYLOADS[i : i + 5]]}, doseq=True)}"
        for i in range(0, len(PAYLOADS), 5)
    ]
    return [*by_topic, combined, *typed]


def searches(site):
    search = reverse("articles:search")
    # The page keeps the first 200 characters of a query: the corpus packed into queries that long.
    queries = [{"q": text} for text in packed(200)]
    queries += [{"q": "window"}, {"q": "window", "page": 2}, {"q": "script", "tag": site.topics[0].slug}]
    queries += [{"q": p.text, "tag": p.text} for p in PAYLOADS[:5]]
    return [f"{search}?{urlencode(query)}" for query in queries]


def not_found_pages(site):
    shapes = ["articles:detail", "articles:tag", "authors:profile", "articles:tag_feed"]
    return [
        reverse(shapes[i % len(shapes)], args=["placeholder"]).replace("placeholder", quote(text))
        for i, text in enumerate([*packed(200), *packed(200)[:4]])
    ] + [f"/{quote(text)}" for text in packed(200)]


PUBLIC_PAGES = {
    "home": lambda site: [reverse("home")],
    "article list": list_pages,
    "filtered list": filtered_lists,
    "article": lambda site: [a.get_absolute_url() for a in site.articles],
    "topic list": lambda site: [reverse("articles:tags")],
    "topic": lambda site: [t.get_absolute_url() for t in site.topics],
    "author list": lambda site: [reverse("authors:list")],
    "author profile": lambda site: [a.get_absolute_url() for a in site.authors],
    "search": searches,
    "404": not_found_pages,
}


def read_pages(client, urls):
    """{url: body} of pages that answer 200 or 404 (anything else fails at once)."""
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
        bodies[url] = response.content.decode()
    return bodies


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_every_payload_reaches_the_public_page_as_text_only(client, xss_site, db, page):
    bodies = read_pages(client, PUBLIC_PAGES[page](xss_site))

    problems = {url: page_problems(body) for url, body in bodies.items()}
    shown = set().union(*(markers_in(body) for body in bodies.values()))

    assert not any(problems.values()), report({url: p for url, p in problems.items() if p})
    # A page that dropped what people typed would pass for the wrong reason.
    assert shown == EVERY_PAYLOAD, f"never shown: {sorted(EVERY_PAYLOAD - shown)}"


def test_a_reply_form_sent_back_with_errors_keeps_the_payloads_as_text(client, xss_site, db):
    fields = {
        "name": PAYLOADS[26].text,
        "email": PAYLOADS[27].text,
        "text": "\n".join(p.text for p in PAYLOADS),
    }

    reply_url = reverse("replies:post", args=[xss_site.showcase.slug])
    response = client.post(reply_url, {**fields, "token": PAYLOADS[0].text})

    assert response.status_code == 200
    assert page_problems(response.content.decode()) == []


def test_every_json_ld_block_parses_and_carries_the_title_as_data(client, xss_site, db):
    # Every article page's blocks are parsed by the page test above; here the data itself is checked.
    for article in xss_site.title_articles:
        blocks = json_ld_blocks(client.get(article.get_absolute_url()).content.decode())

        assert blocks, f"no JSON-LD on {article.get_absolute_url()}"
        assert any(article.title in block_strings(block) for block in blocks)


def block_strings(block):
    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        elif isinstance(value, str):
            yield value

    return set(walk(json.loads(block)))


FEEDS = {
    "latest (RSS)": lambda site: [reverse("articles:feed")],
    "latest (Atom)": lambda site: [reverse("articles:feed_atom")],
    "topic (RSS)": lambda site: [reverse("articles:tag_feed", args=[t.slug]) for t in site.topics],
    "topic (Atom)": lambda site: [reverse("articles:tag_feed_atom", args=[t.slug]) for t in site.topics],
    "author (RSS)": lambda site: [reverse("articles:author_feed", args=[a.slug]) for a in site.authors],
    "author (Atom)": lambda site: [reverse("articles:author_feed_atom", args=[a.slug]) for a in site.authors],
}


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_send_every_payload_as_text_never_as_html(client, xss_site, db, feed):
    feeds = {}
    for url in FEEDS[feed](xss_site):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        feeds[url] = response.content

    problems = {url: feed_problems(xml) for url, xml in feeds.items()}
    shown = set().union(*(markers_in(xml.decode()) for xml in feeds.values()))

    assert not any(problems.values()), report({url: p for url, p in problems.items() if p})
    assert shown == EVERY_PAYLOAD, f"never in the feed: {sorted(EVERY_PAYLOAD - shown)}"


def test_the_sitemap_stays_well_formed_and_lists_only_our_own_addresses(client, xss_site, db):
    response = client.get(reverse("sitemap"))

    addresses = [loc.text for loc in ET.fromstring(response.content).findall(".//{*}loc")]

    assert {a.get_absolute_url() for a in xss_site.articles} <= {
        url.removeprefix("http://testserver") for url in addresses
    }
    assert all(url.startswith("http://testserver/") for url in addresses)
