"""The whole-page cache for anonymous readers: fast (one round trip, no SQL), never stale, never shared
with logged-in staff, per-reader form tokens, and a site that keeps answering when the cache is down.

Every test using the `page_cache` fixture runs on LocMemCache and, where REDIS_URL is set, on Redis.
"""

import hashlib
import os
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
import redis
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.signing import b62_decode
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pagecache.store
from articles.models import Article, Tag
from replies.models import Reply
from replies.tokens import TOKEN_PLACEHOLDER
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article, make_author, make_draft, make_tag, reply_data, reply_url

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {
        "BACKEND": "pagecache.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def dead_cache(settings):
    """The page cache switched on, with the cache server unreachable."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = DEAD_REDIS


@pytest.fixture
def author():
    return make_author("Calm Fern", bio="Writes about gentle movement.")


@pytest.fixture
def article(author):
    return make_article("Gentle stretching", author=author, tags=[make_tag("Exercise")])


@pytest.fixture
def editor():
    return make_user("ed", "Editor", first_name="Erin", last_name="Reviewer")


@pytest.fixture
def editor_client(editor):
    desk = Client()
    desk.force_login(editor)
    return desk


def state(response):
    """What the page cache did: set on the response for tests, never sent as a header by default."""
    return response.page_cache


def text(response):
    return response.content.decode()


def page_key(path):
    """The key the middleware stores a page under: a hash of its absolute address."""
    return "page:" + hashlib.sha256(f"http://testserver{path}".encode()).hexdigest()


def reply_token(response):
    return BeautifulSoup(response.content, "html.parser").find("input", {"name": "token"})["value"]


def without_tokens(content):
    return re.sub(rb'name="token" value="[^"]*"', b"", content)


def warm(client, url):
    """Visit `url` until it is served from the cache."""
    first = client.get(url)
    assert (first.status_code, state(first)) == (200, "miss")
    assert state(client.get(url)) == "hit"


def assert_fresh(client, url, shows=(), hides=()):
    response = client.get(url)
    assert state(response) == "miss"
    for words in shows:
        assert words in text(response)
    for words in hides:
        assert words not in text(response)
    return response


PUBLIC_PAGES = {
    "home": lambda article: reverse("home"),
    "article list": lambda article: reverse("articles:list"),
    "article": lambda article: article.get_absolute_url(),
    "topics": lambda article: reverse("articles:tags"),
    "topic": lambda article: article.tags.get().get_absolute_url(),
    "authors": lambda article: reverse("authors:list"),
    "author": lambda article: article.author.get_absolute_url(),
}


# Fast


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_second_anonymous_visit_is_served_from_the_cache_without_sql(
    client, page_cache, article, page, django_assert_num_queries
):
    url = PUBLIC_PAGES[page](article)
    first = client.get(url)
    assert (first.status_code, state(first)) == (200, "miss")

    with django_assert_num_queries(0):
        second = client.get(url)

    assert (second.status_code, state(second)) == (200, "hit")
    assert without_tokens(second.content) == without_tokens(first.content)
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_costs_one_cache_round_trip_the_page_with_the_versions_of_what_it_shows(
    client, page_cache, article
):
    url = article.get_absolute_url()
    client.get(url)
    real = pagecache.store.cache

    with mock.patch.object(pagecache.store, "cache", wraps=real) as spy:
        response = client.get(url)

    assert state(response) == "hit"
    assert [name for name, _args, _kwargs in spy.method_calls] == ["get_many"]


@pytest.mark.redis
def test_a_hit_on_redis_reuses_the_processs_redis_client(client, settings, article):
    # Django's own backend builds a redis.Redis (copying its response callbacks) on every call.
    settings.CACHES = {
        "default": {"BACKEND": "pagecache.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    url = article.get_absolute_url()
    client.get(url)
    built = mock.Mock(wraps=redis.Redis.__init__)

    with mock.patch.object(redis.Redis, "__init__", lambda *args, **kwargs: built(*args, **kwargs)):
        responses = [client.get(url) for _ in range(3)]

    assert [state(response) for response in responses] == ["hit"] * 3
    assert built.call_count == 0


def test_a_process_that_never_saw_the_page_reads_it_in_two_trips_then_one(
    client, page_cache, article, monkeypatch
):
    url = article.get_absolute_url()
    client.get(url)
    monkeypatch.setattr(pagecache.store, "_seen_deps", {})  # as another app server: stored elsewhere
    real = pagecache.store.cache

    with mock.patch.object(pagecache.store, "cache", wraps=real) as spy:
        first, second = client.get(url), client.get(url)

    assert (state(first), state(second)) == ("hit", "hit")
    assert [name for name, _args, _kwargs in spy.method_calls] == ["get_many"] * 3


# Never stale


def edit_title(article):
    article.title = "Stretching, slowly"
    article.save()
    return "Stretching, slowly"


def add_topic(article):
    article.tags.add(Tag.objects.get(name="Sleep"))
    return "Sleep"


def rename_topic(article):
    tag = article.tags.get(name="Exercise")
    tag.name = "Movement"
    tag.save()
    return "Movement"


def edit_pseudonym(article):
    article.author.pseudonym = "Quiet Oak"
    article.author.save()
    return "Quiet Oak"


def edit_bio(article):
    article.author.bio = "Now also writes about sleep."
    article.author.save()
    return "Now also writes about sleep."


@pytest.mark.parametrize(
    ("change", "page"),
    [
        (edit_title, "article"),
        (edit_title, "article list"),
        (edit_title, "home"),
        (add_topic, "article"),
        (add_topic, "topics"),
        (rename_topic, "article"),
        (rename_topic, "topics"),
        (edit_pseudonym, "article"),
        (edit_pseudonym, "authors"),
        (edit_bio, "author"),
    ],
)
def test_the_next_visit_after_a_content_change_shows_it(client, page_cache, article, change, page):
    make_tag("Sleep")  # exists before the page is cached: creating a topic is a change too
    url = PUBLIC_PAGES[page](article)
    warm(client, url)

    shown = change(article)

    assert_fresh(client, url, shows=[shown])


def test_an_article_published_in_the_admin_appears_on_the_next_visit(client, page_cache, editor_client):
    draft = make_draft(title="Pacing my days")
    url = reverse("articles:list")
    warm(client, url)
    assert "Pacing my days" not in text(client.get(url))

    response = editor_client.post(change_url(draft), form_data(draft, _transition="publish"))

    assert response.status_code == 302
    assert_fresh(client, url, shows=["Pacing my days"])
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_an_article_unpublished_in_the_admin_disappears_on_the_next_visit(
    client, page_cache, article, editor_client
):
    url = reverse("articles:list")
    warm(client, url)
    warm(client, article.get_absolute_url())

    response = editor_client.post(change_url(article), form_data(article, _transition="unpublish"))

    assert response.status_code == 302
    assert_fresh(client, url, hides=["Gentle stretching"])
    gone = client.get(article.get_absolute_url())
    assert (gone.status_code, state(gone)) == (404, "miss")


def test_a_reply_approved_in_bulk_appears_on_the_next_visit(client, page_cache, article, editor_client):
    reply = Reply.objects.create(article=article, name="Kind Reader", text="Warm baths help me.")
    url = article.get_absolute_url()
    warm(client, url)
    assert "Warm baths help me." not in text(client.get(url))

    response = editor_client.post(
        reverse("admin:replies_reply_changelist"), {"action": "approve", "_selected_action": [reply.pk]}
    )

    assert response.status_code == 302
    assert_fresh(client, url, shows=["Warm baths help me.", "1 reply"])


def test_a_pending_reply_from_a_reader_leaves_the_cached_page_in_place(client, page_cache, article):
    url = article.get_absolute_url()
    warm(client, url)
    writer = Client()

    posted = writer.post(reply_url(article), reply_data(text="Waiting for the editors."))

    assert posted.status_code == 302
    assert Reply.objects.get().status == Reply.Status.PENDING
    again = client.get(url)
    assert state(again) == "hit"
    assert "Waiting for the editors." not in text(again)
    # The writer sees their thank-you message on a fresh page, which is not stored for others.
    thanked = writer.get(posted["Location"])
    assert state(thanked) == "bypass" and "waiting for review" in text(thanked)
    assert "waiting for review" not in text(client.get(url))


def test_a_scheduled_article_appears_at_its_time(client, page_cache):
    make_article("Already out")
    when = timezone.now() + timedelta(minutes=5)  # sooner than PAGE_CACHE_SECONDS
    scheduled = make_article("Coming soon", published_at=when)
    url = reverse("articles:list")
    stored_at = time.time()
    first = client.get(url)
    assert state(first) == "miss" and "Coming soon" not in text(first)

    entry = cache.get(page_key(url))
    assert entry["until"] < stored_at + 600
    assert state(client.get(url)) == "hit"

    # Its time comes: no save (so no version bump), only the clock moves past the publication.
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    with mock.patch("pagecache.store.time.time", return_value=when.timestamp() + 1):
        response = client.get(url)

    assert state(response) == "miss"
    assert "Coming soon" in text(response)
    # The stored page was good until the publication, and not a moment longer.
    assert entry["until"] <= when.timestamp()


# Never shared with staff or with one reader's state


def test_logged_in_users_get_a_fresh_page_that_is_not_stored(client, page_cache, article, editor_client):
    url = article.get_absolute_url()

    seen_by_editor = editor_client.get(url)

    assert state(seen_by_editor) == "bypass"
    assert state(editor_client.get(url)) == "bypass"
    assert state(client.get(url)) == "miss"


def test_an_editors_draft_preview_is_never_served_to_others(client, page_cache, editor_client):
    draft = make_draft(title="Unfinished thoughts")
    url = draft.get_absolute_url()

    preview = editor_client.get(url)

    assert (preview.status_code, state(preview)) == (200, "bypass")
    assert "Unfinished thoughts" in text(preview) and "Preview" in text(preview)
    for _ in range(2):
        public = client.get(url)
        assert (public.status_code, state(public)) == (404, "miss")
        assert "Unfinished thoughts" not in text(public)


def test_a_reader_with_a_message_to_see_gets_a_fresh_page(client, page_cache, article):
    url = article.get_absolute_url()
    warm(client, url)
    client.cookies["messages"] = "something"

    assert state(client.get(url)) == "bypass"


def test_posts_are_never_served_from_or_stored_in_the_cache(client, page_cache, article):
    url = article.get_absolute_url()
    warm(client, url)

    response = client.post(reply_url(article), reply_data(text=""))  # invalid: the form is shown again, 200

    assert (response.status_code, state(response)) == (200, "bypass")
    assert "This field is required" in text(response)
    assert "This field is required" not in text(client.get(url))


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/", "/healthz"])
def test_admin_and_health_check_are_never_cached(client, page_cache, url):
    for _ in range(2):
        assert state(client.get(url)) == "bypass"


def test_error_pages_are_not_stored(client, page_cache):
    url = "/articles/no-such-article/"

    for _ in range(2):
        response = client.get(url)
        assert (response.status_code, state(response)) == (404, "miss")
    assert cache.get(page_key(url)) is None


# Nothing tells one reader what others looked at


@pytest.mark.parametrize(
    "url",
    [
        *(PUBLIC_PAGES[page] for page in PUBLIC_PAGES),
        lambda article: reverse("articles:feed"),
        lambda article: reverse("articles:search") + "?q=stretching",
        lambda article: "/articles/no-such-article/",
    ],
    ids=[*PUBLIC_PAGES, "feed", "search", "not found"],
)
def test_no_response_says_what_the_page_cache_did(client, page_cache, article, url):
    url = url(article)

    answers = [client.get(url) for _ in range(2)]

    assert {state(answer) for answer in answers} <= {"miss", "hit", "bypass"}
    assert [answer.has_header("X-Page-Cache") for answer in answers] == [False, False]


def test_a_test_server_may_send_what_the_page_cache_did_as_a_header(client, page_cache, article, settings):
    settings.PAGE_CACHE_DEBUG_HEADER = True
    url = article.get_absolute_url()

    assert [client.get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]


# Per-reader parts


def test_each_cached_article_page_carries_its_own_fresh_reply_token(client, page_cache, article):
    url = article.get_absolute_url()
    now = time.time()
    stored = client.get(url)
    hits = []
    for seconds_ago in (30, 20):  # two readers, ten seconds apart
        with mock.patch("time.time", return_value=now - seconds_ago):
            hits.append(client.get(url))

    assert [state(hit) for hit in hits] == ["hit", "hit"]
    tokens = [reply_token(hit) for hit in hits]
    assert tokens[0] != tokens[1]
    # Each is signed when its page is served, not when the page was stored.
    assert [b62_decode(token.split(":")[1]) for token in tokens] == [int(now - 30), int(now - 20)]
    for response in [stored, *hits]:
        assert TOKEN_PLACEHOLDER.encode() not in response.content


def test_a_reply_sent_with_the_token_of_a_cached_page_is_accepted(page_cache, article):
    reader = Client(enforce_csrf_checks=True)
    url = article.get_absolute_url()
    reader.get(url)
    with mock.patch("time.time", return_value=time.time() - 30):  # the reader took 30 s to write
        page = reader.get(url)
    assert state(page) == "hit"

    response = reader.post(reply_url(article), reply_data(token=reply_token(page)))

    assert response.status_code == 302, text(response)
    assert Reply.objects.get().text == "This helped me too."


def test_the_article_page_sets_no_cookie_and_has_no_csrf_token(client, page_cache, article):
    url = article.get_absolute_url()

    for expected in ("miss", "hit"):
        response = client.get(url)
        assert state(response) == expected
        assert not response.cookies
        assert "csrfmiddlewaretoken" not in text(response)


@pytest.mark.parametrize("expected", ["miss", "hit", "bypass"])
def test_content_length_matches_the_body_sent(client, page_cache, article, expected):
    # A proxy or server honouring a wrong Content-Length cuts the page short.
    url = article.get_absolute_url()
    if expected == "hit":
        client.get(url)
    if expected == "bypass":
        client.cookies["messages"] = "something"

    response = client.get(url)

    assert state(response) == expected
    if response.has_header("Content-Length"):
        assert int(response["Content-Length"]) == len(response.content)


def test_a_cached_page_carries_the_same_security_headers_as_a_fresh_one(client, page_cache, article):
    url = article.get_absolute_url()
    names = ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")
    fresh = client.get(url)

    hit = client.get(url)

    assert state(hit) == "hit"
    assert {name: hit.get(name) for name in names} == {name: fresh.get(name) for name in names}


# The cache is down


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_pages_still_answer_when_the_cache_is_down(client, dead_cache, article, page):
    response = client.get(PUBLIC_PAGES[page](article))

    assert (response.status_code, state(response)) == (200, "unavailable")
    assert TOKEN_PLACEHOLDER not in text(response)


def test_content_can_still_be_edited_when_the_cache_is_down(client, dead_cache, article):
    article.title = "Saved anyway"
    article.save()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert "Saved anyway" in text(response)


def test_with_the_cache_turned_off_the_page_cache_reads_and_asks_nothing(client, settings):
    # CACHE_DISABLED=1 with the page cache left on: nothing could be kept, so nothing is read, and
    # the next publication time (which only bounds how long a page is kept) is not asked for.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.PAGE_CACHE_SECONDS = 600
    article = make_article(tags=[make_tag("Sleep")])

    with mock.patch.object(pagecache.store, "_next_publication_time") as asking:
        response = client.get(article.get_absolute_url())

    assert (response.status_code, state(response)) == (200, "bypass")
    assert asking.call_count == 0 and article.title in text(response)
