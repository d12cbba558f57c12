"""Unpublished things look exactly like missing ones: for every public URL pattern with a slug, and
for the topic filters, a draft's, a scheduled article's, a drafts-only topic's and an unpublished
author's slug give the same status and the same page as a slug that never existed."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.security.urlconf import CONVERTER, ROUTES

MISSING = "never-existed-slug"
SLUG_ROUTES = [route for route in ROUTES if CONVERTER.search(route)]
HIDDEN = {
    "draft": lambda site: site.draft.slug,
    "scheduled article": lambda site: site.scheduled.slug,
    "topic with only drafts": lambda site: site.drafts_only_topic.slug,
    "author with only drafts": lambda site: site.unpublished_author.slug,
}


def answer(client, url, slug):
    """Status and body of `url`, with `slug` written as a placeholder (the page names its own address)."""
    response = client.get(url)
    body = response.content.decode() if not response.streaming else ""
    return response.status_code, re.sub(re.escape(slug), "SLUG", body, flags=re.IGNORECASE)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("route", SLUG_ROUTES)
def test_a_hidden_slug_answers_like_a_missing_one_on_every_slug_pattern(client, fuzz_site, db, route, hidden):
    slug = HIDDEN[hidden](fuzz_site)

    def url(value):
        return "/" + CONVERTER.sub(value, route)

    assert answer(client, url(slug), slug) == answer(client, url(MISSING), MISSING)


FILTERS = {
    "article list": lambda topic: f"{reverse('articles:list')}?{urlencode({'tag': topic})}",
    "article list, page 2": lambda topic: (
        f"{reverse('articles:list')}?{urlencode({'tag': topic, 'page': 2})}"
    ),
    "article list, with a real topic": lambda topic: (
        f"{reverse('articles:list')}?{urlencode({'tag': ['botox', topic]}, doseq=True)}"
    ),
    "search": lambda topic: f"{reverse('articles:search')}?{urlencode({'q': 'fibromyalgia', 'tag': topic})}",
}


@pytest.mark.parametrize("page", FILTERS)
def test_a_topic_with_only_drafts_filters_like_a_missing_topic(client, fuzz_site, db, page):
    slug = fuzz_site.drafts_only_topic.slug

    assert answer(client, FILTERS[page](slug), slug) == answer(client, FILTERS[page](MISSING), MISSING)
