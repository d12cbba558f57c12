"""What a reader searches for is theirs: no shared cache (the page cache, the fragment cache, or
an HTTP cache in front of the site) keeps an answer to it, and search engines do not index it.

The tests using `page_cache` run on LocMemCache and, where REDIS_URL is set, on Redis."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.cache import get_max_age

from pagecache.middleware import PageCacheMiddleware
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db

PHRASE = "overdose amitriptyline"
UNSEEN = "zebrafinch"  # a word of a query that appears in no article


@pytest.fixture
def articles():
    topic = make_tag("Medication")
    make_article("Amitriptyline at night", tags=[topic], body="An overdose of amitriptyline is dangerous.")
    make_article("Tapering off", tags=[topic], body="Amitriptyline, slowly, and never an overdose.")


def search_url(q=PHRASE, **params):
    query = "&".join([f"q={q}", *(f"{name}={value}" for name, value in params.items())])
    return f"{reverse('articles:search')}?{query}"


def stored():
    """Every key in the cache with its raw stored value, whatever the backend."""
    if isinstance(cache._cache, dict):  # LocMemCache keeps pickled values in a dict
        return dict(cache._cache)
    client = cache._cache.get_client()
    return {key.decode(): client.get(key) or b"" for key in client.scan_iter()}


SEARCHES = {
    "results": search_url(),
    "results in a topic": search_url(tag="medication"),
    "second page": search_url(page=1),
    "no match": search_url(q=f"{UNSEEN}+overdose"),
    "no words": search_url(q="%21%21"),
    "empty": reverse("articles:search"),
    "page out of range": search_url(page=99),
}


@pytest.mark.parametrize("search", SEARCHES)
def test_a_second_reader_searching_the_same_phrase_is_not_served_from_the_cache(
    page_cache,
    articles,
    search,
):
    url = SEARCHES[search]
    first = Client().get(url)

    second = Client().get(url)

    assert second.status_code == first.status_code
    assert (first.page_cache, second.page_cache) == ("bypass", "bypass")
    assert second.templates, "rendered for this reader, not copied from the cache"


def test_a_search_leaves_nothing_in_the_cache(client, page_cache, articles):
    client.get(reverse("articles:list"))  # an ordinary page is cached, with its fragments
    before = stored()

    for url in SEARCHES.values():
        client.get(url)

    after = stored()
    assert after.keys() == before.keys()
    assert not [key for key, value in after.items() if UNSEEN.encode() in value]


@pytest.mark.parametrize("search", SEARCHES)
def test_search_answers_tell_every_shared_cache_not_to_keep_them(client, articles, search):
    response = client.get(SEARCHES[search])

    directives = {d.strip().split("=")[0] for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert get_max_age(response) == 0


def test_search_results_ask_search_engines_not_to_index_them(client, articles):
    page = BeautifulSoup(client.get(search_url()).content, "html.parser")

    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"


@pytest.mark.parametrize("cache_control", ["private", "no-store", "no-cache", "max-age=0, private"])
def test_the_page_cache_keeps_no_response_that_asks_to_stay_private(page_cache, cache_control):
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse(f"answer {len(calls)}")
        response["Cache-Control"] = cache_control
        return response

    middleware = PageCacheMiddleware(view)
    answers = [middleware(RequestFactory().get("/anything/")) for _ in range(2)]

    assert [a.content for a in answers] == [b"answer 1", b"answer 2"]
    assert [a.page_cache for a in answers] == ["bypass", "bypass"]


def test_a_public_response_is_still_kept(page_cache):
    middleware = PageCacheMiddleware(lambda request: HttpResponse("the same for everyone"))

    answers = [middleware(RequestFactory().get("/anything/")) for _ in range(2)]

    assert [a.page_cache for a in answers] == ["miss", "hit"]
