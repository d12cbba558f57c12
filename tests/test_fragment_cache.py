"""With the page cache off, the expensive parts of public pages are cached as fragments for the
current content (pagecache/templatetags/fragments.py): a repeated visit costs few SQL queries, and
the next visit after any change shows it."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pagecache.store
from articles import search
from replies.models import Reply
from tests.factories import make_article, make_author, make_draft, make_tag, reply_data, reply_url
from tests.test_page_cache import (
    DEAD_REDIS,
    PUBLIC_PAGES,
    add_topic,
    edit_bio,
    edit_pseudonym,
    edit_title,
    rename_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    topics = [make_tag("Exercise"), make_tag("Sleep"), make_tag("Heat")]
    author = make_author("Calm Fern", bio="Writes about gentle movement.")
    make_article("Warm baths", author=author, tags=topics)
    return make_article("Gentle stretching", author=author, tags=topics[:1])


def three_topics(article):
    return f"{reverse('articles:list')}?tag=exercise&tag=sleep&tag=heat"


def topic(article):
    return article.tags.get(name="Exercise").get_absolute_url()


# Pages and the most SQL queries a repeated visit may cost (the lookups that decide 404 or the page).
REPEAT_QUERIES = {
    "home": (PUBLIC_PAGES["home"], 0),
    "article list": (PUBLIC_PAGES["article list"], 1),
    # The scheduled articles (read once per request: a topic is public by its stored count less
    # these), the topics, then the page's ids (an index walk).
    "three-topic filter": (three_topics, 3),
    "article": (PUBLIC_PAGES["article"], 0),
    "topic": (topic, 3),  # as the filter: the scheduled articles, the topic, the page's ids
    "topics": (PUBLIC_PAGES["topics"], 1),  # the page's rows (100 at most), which decide a 404
    "author": (PUBLIC_PAGES["author"], 3),
}


@pytest.mark.parametrize("page", REPEAT_QUERIES)
def test_a_repeated_visit_reads_the_fragments_and_shows_the_same_page(
    client, fragments, article, page, django_assert_max_num_queries
):
    url, most = REPEAT_QUERIES[page]
    url = url(article)
    first = client.get(url)
    assert first.status_code == 200 and first.page_cache == "bypass"
    with django_assert_max_num_queries(most):
        second = client.get(url)
    strip = lambda page: page.content.decode().split('name="token"')[0]  # noqa: E731 (tokens differ)
    assert strip(second) == strip(first)


@pytest.mark.parametrize(
    ("change", "page"),
    [
        (edit_title, "article"),
        (edit_title, "article list"),
        (edit_title, "home"),
        (edit_title, "topic"),
        (add_topic, "article"),
        (add_topic, "topics"),
        (rename_topic, "article"),
        (rename_topic, "topics"),
        (rename_topic, "home"),
        (edit_pseudonym, "article"),
        (edit_pseudonym, "article list"),
        (edit_bio, "author"),
    ],
)
def test_the_next_visit_after_a_content_change_shows_it(client, fragments, article, change, page):
    make_tag("Nap")  # "Sleep" exists; the change functions add or rename topics
    url = {**PUBLIC_PAGES, "topic": topic}[page](article)
    client.get(url)
    client.get(url)
    shown = change(article)
    assert shown in client.get(url).content.decode()


def test_an_approved_reply_appears_and_a_pending_one_does_not(client, fragments, article):
    url = article.get_absolute_url()
    client.get(url)
    writer = Client()
    posted = writer.post(reply_url(article), reply_data(text="Warm baths help me."))
    assert posted.status_code == 302
    thanked = writer.get(posted["Location"]).content.decode()
    assert "waiting for review" in thanked and "Warm baths help me." not in thanked
    assert "waiting for review" not in client.get(url).content.decode()  # the message is the writer's
    reply = Reply.objects.get()
    reply.status = Reply.Status.APPROVED
    reply.save()
    assert "Warm baths help me." in client.get(url).content.decode()


def test_a_scheduled_article_appears_in_every_fragment_at_its_time(client, fragments, article):
    when = timezone.now() + timedelta(minutes=5)
    scheduled = make_article("Coming soon", published_at=when, tags=list(article.tags.all()))
    pages = [reverse("home"), reverse("articles:list"), topic(article), article.get_absolute_url()]
    for url in pages:
        assert "Coming soon" not in client.get(url).content.decode()
    # Its time comes: nothing is saved (no version bump), only the clock moves past it.
    later = timezone.now() + timedelta(minutes=6)
    with (
        mock.patch("pagecache.store.time.time", return_value=later.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=later),
    ):
        for url in pages:
            assert "Coming soon" in client.get(url).content.decode(), url
        assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_a_staff_preview_of_a_draft_never_reaches_the_public(client, fragments, admin_client):
    draft = make_draft(title="Unfinished thoughts")
    preview = admin_client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "Unfinished thoughts" in preview.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_reply_with_errors_keeps_what_the_reader_typed(client, fragments, article):
    url = article.get_absolute_url()
    client.get(url)  # the empty form, rendered once
    response = client.post(reply_url(article), reply_data(text="My words", name=""))
    page = response.content.decode()
    assert response.status_code == 200 and "My words" in page and "This field is required" in page


def test_pages_are_served_when_the_cache_is_down(client, settings, article):
    settings.PAGE_CACHE_SECONDS = 0
    settings.CACHES = DEAD_REDIS
    for page in ("home", "article list", "article", "topics", "author"):
        response = client.get(PUBLIC_PAGES[page](article))
        shown = "Exercise" if page == "topics" else "Gentle stretching"
        assert response.status_code == 200 and shown in response.content.decode()


def test_after_a_cache_failure_pages_read_past_the_cache_for_a_while(client, settings, article):
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = DEAD_REDIS
    url = article.get_absolute_url()
    assert client.get(url).page_cache == "unavailable"  # tried, failed: paused
    dead = pagecache.store.cache
    with mock.patch.object(pagecache.store, "cache", wraps=dead) as spy:
        paused = client.get(url)
        assert paused.status_code == 200 and "Gentle stretching" in paused.content.decode()
        assert spy.method_calls == []  # neither the page nor its fragments and counts
        later = time.time() + pagecache.store.OUTAGE_PAUSE_SECONDS + 1
        with mock.patch("pagecache.store.time.time", return_value=later):
            assert client.get(url).status_code == 200
        assert spy.get_many.called  # tried again once the pause was over


# Search ranks the newest RESULT_LIMIT matches at most


def test_a_word_in_very_many_articles_ranks_the_newest_ones_and_says_so(client, monkeypatch):
    monkeypatch.setattr(search, "RESULT_LIMIT", 3)
    articles = [make_article(f"Pacing note {n}", days_ago=n) for n in range(1, 6)]
    response = client.get(reverse("articles:search"), {"q": "pacing"})
    found = {hit.article.pk for hit in response.context["hits"]}
    assert found == {a.pk for a in articles[2:]}  # the newest three (by when they were added)
    assert response.context["paginator"].count == 3 and response.context["capped"]
    assert "At least 3 articles contain" in response.content.decode()


def test_fewer_matches_than_the_limit_are_all_ranked_and_counted(client, monkeypatch):
    monkeypatch.setattr(search, "RESULT_LIMIT", 3)
    make_article("Pacing one")
    make_article("Pacing two")
    response = client.get(reverse("articles:search"), {"q": "pacing"})
    assert response.context["paginator"].count == 2 and not response.context["capped"]
    assert "2 articles found" in response.content.decode()
