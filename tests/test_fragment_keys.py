"""A fragment's key is made from the values it renders ({% fragment %} in pagecache), and what a
fragment was made from stays with the page that shows it when the fragment comes from the cache."""

from unittest import mock

import pytest
from django.http import QueryDict
from django.urls import reverse

import pagecache.templatetags.fragments
from articles.filters import TagFilter
from tests.factories import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    fatigue, sleep = make_tag("Fatigue"), make_tag("Sleep")
    fern, oak = make_author("Calm Fern"), make_author("Quiet Oak")
    a = make_article("Warm baths at night", author=fern, tags=[fatigue, sleep])
    b = make_article("Gentle stretching", author=oak, tags=[fatigue])
    return {"a": a, "b": b, "fatigue": fatigue, "sleep": sleep}


def fragment_names(client, url):
    """{fragment name: the whole key it was looked up under} for one visit of `url`."""
    seen = {}
    real = pagecache.templatetags.fragments.cached

    def spy(name, compute, **kwargs):
        seen[name.split("\x1f")[2]] = name
        return real(name, compute, **kwargs)

    with mock.patch.object(pagecache.templatetags.fragments, "cached", side_effect=spy):
        assert client.get(url).status_code == 200
    return seen


def list_of(*slugs):
    return reverse("articles:list") + "?" + "&".join(f"tag={slug}" for slug in slugs)


@pytest.mark.parametrize(
    ("fragment", "first", "second"),
    [
        ("article", lambda s: s["a"].get_absolute_url(), lambda s: s["b"].get_absolute_url()),
        ("article-head", lambda s: s["a"].get_absolute_url(), lambda s: s["b"].get_absolute_url()),
        ("article-cards", lambda s: list_of("fatigue"), lambda s: list_of("fatigue", "sleep")),
        ("article-cards", lambda s: s["fatigue"].get_absolute_url(), lambda s: s["sleep"].get_absolute_url()),
        ("narrowing", lambda s: list_of(), lambda s: list_of("fatigue")),
        (
            "author-cards",
            lambda s: s["a"].author.get_absolute_url(),
            lambda s: s["b"].author.get_absolute_url(),
        ),
    ],
)
def test_each_fragment_rendered_with_two_inputs_is_kept_as_two_entries(
    client, fragments, site, fragment, first, second
):
    one = fragment_names(client, first(site))[fragment]
    other = fragment_names(client, second(site))[fragment]

    assert one != other
    assert fragment_names(client, first(site))[fragment] == one  # the same input finds it again


def test_the_narrowing_key_is_the_whole_normalised_query_unknown_topics_included(site):
    def key(query):
        return TagFilter(QueryDict(query)).cache_key()

    assert key("tag=fatigue") != key("tag=fatigue&tag=no-such-topic")
    assert key("tag=fatigue") != key("tag=fatigue&tag=sleep")
    assert key("tag=fatigue&tag=fatigue") == key("tag=fatigue") == key("tag=+fatigue+")


def test_a_visit_with_an_unknown_topic_leaves_the_known_topics_narrowing_box_intact(client, fragments, site):
    client.get(list_of("fatigue", "no-such-topic"))

    page = client.get(list_of("fatigue")).content.decode()

    assert "Narrow further" in page and "?tag=fatigue&amp;tag=sleep" in page


def test_a_page_made_from_cached_fragments_keeps_what_they_were_made_from(client, fragments, site, settings):
    # The article's topics are declared inside its fragment only: kept with it, and with the page.
    url = site["b"].get_absolute_url()
    client.get(url)  # the fragments are stored, with the page cache off
    settings.PAGE_CACHE_SECONDS = 600
    assert client.get(url).page_cache == "miss"  # the page, from the stored fragments
    assert client.get(url).page_cache == "hit"

    site["fatigue"].name = "Tiredness"
    site["fatigue"].save()

    again = client.get(url)
    assert again.page_cache == "miss" and "Tiredness" in again.content.decode()
