"""A change makes stale only the cached pages that show it (pagecache, articles/invalidation.py).

Every test runs with the page cache on, on LocMemCache and, where REDIS_URL is set, on Redis.
"""

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import authors.models
import pagecache.store
from articles.models import Article
from pagecache import registry
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_draft, make_tag

pytestmark = pytest.mark.django_db

APPROVED = "approved"  # a reply's status once an editor approved it (replies are moving apps)


@pytest.fixture
def site():
    """Two articles by two authors on two topics, and the addresses of the public pages."""
    fern, oak = make_author("Calm Fern"), make_author("Quiet Oak")
    sleep, exercise = make_tag("Sleep", description="Nights and naps."), make_tag("Exercise")
    a = make_article("Warm baths at night", author=fern, tags=[sleep])
    b = make_article("Gentle stretching", author=oak, tags=[exercise])
    return {
        "a": a,
        "b": b,
        "pages": {
            "home": reverse("home"),
            "list": reverse("articles:list"),
            "topics": reverse("articles:tags"),
            "a": a.get_absolute_url(),
            "b": b.get_absolute_url(),
            "sleep": sleep.get_absolute_url(),
            "exercise": exercise.get_absolute_url(),
            "fern": fern.get_absolute_url(),
            "oak": oak.get_absolute_url(),
            "feed": reverse("articles:feed"),
            "sitemap": reverse("sitemap"),
        },
    }


def warm(client, pages):
    for url in pages.values():
        client.get(url)
        assert client.get(url).page_cache == "hit", url


def stale_pages(client, pages):
    """The names of the pages no longer served from the cache."""
    return {name for name, url in pages.items() if client.get(url).page_cache != "hit"}


def test_a_reply_approved_on_one_article_makes_only_that_articles_page_stale(client, page_cache, site):
    reply = site["a"].replies.create(name="Kind Reader", text="Baths help me too.")
    warm(client, site["pages"])

    reply.status = APPROVED
    reply.save()

    assert stale_pages(client, site["pages"]) == {"a"}
    assert "Baths help me too." in client.get(site["pages"]["a"]).content.decode()


def test_a_reply_approved_in_bulk_makes_only_that_articles_page_stale(client, page_cache, site):
    site["b"].replies.create(name="Kind Reader", text="Stretching helps.")
    warm(client, site["pages"])

    registry.update(site["b"].replies.all(), status=APPROVED)  # as the moderation action does

    assert stale_pages(client, site["pages"]) == {"b"}


def test_publishing_an_article_makes_its_topic_author_and_the_listings_stale_not_other_articles(
    client, page_cache, site
):
    draft = make_draft(title="Pacing my days", author=site["a"].author, tags=site["a"].tags.all())
    warm(client, site["pages"])

    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    draft.save()

    stale = stale_pages(client, site["pages"])
    assert {"home", "list", "topics", "sleep", "fern", "feed", "sitemap"} <= stale
    assert "b" not in stale and "oak" not in stale
    assert "Pacing my days" in client.get(site["pages"]["sleep"]).content.decode()


def test_a_scheduled_article_appears_in_the_list_at_its_time_with_no_change_made(client, page_cache, site):
    when = timezone.now() + timedelta(minutes=5)
    scheduled = make_article("Coming soon", published_at=when)
    warm(client, {"list": site["pages"]["list"]})

    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    with mock.patch("pagecache.store.time.time", return_value=when.timestamp() + 1):
        response = client.get(site["pages"]["list"])

    assert response.page_cache == "miss" and "Coming soon" in response.content.decode()


def test_a_topic_description_edit_makes_stale_its_page_only(client, page_cache, site):
    # Its articles' pages show its name, not its description.
    warm(client, site["pages"])
    sleep = site["a"].tags.get()

    sleep.description = "Nights, naps and waking up tired."
    sleep.save()

    assert stale_pages(client, site["pages"]) == {"sleep"}
    assert "waking up tired" in client.get(site["pages"]["sleep"]).content.decode()


def test_renaming_a_topic_makes_stale_its_articles_pages_which_show_the_new_name(client, page_cache, site):
    warm(client, site["pages"])
    sleep = site["a"].tags.get()

    sleep.name = "Sleep and rest"
    sleep.save()

    stale = stale_pages(client, site["pages"])
    assert {"a", "sleep", "topics", "list", "home"} <= stale and "b" not in stale
    page = client.get(site["pages"]["a"]).content.decode()
    assert "Sleep and rest" in page and 'content="Sleep"' not in page  # the topic links and meta tags


def test_renaming_an_author_makes_stale_their_profile_their_articles_and_the_lists(client, page_cache, site):
    warm(client, site["pages"])
    fern = site["a"].author

    fern.pseudonym = "Bright Fern"
    fern.save()

    stale = stale_pages(client, site["pages"])
    assert {"fern", "a", "home", "list", "feed", "sleep"} <= stale
    assert not {"b", "oak"} & stale  # topic pages show every pseudonym: all of them are stale
    assert "Bright Fern" in client.get(site["pages"]["a"]).content.decode()


def test_renaming_a_medical_reviewer_makes_stale_only_the_articles_they_reviewed(client, page_cache, site):
    reviewer = make_user("rev", "Editor", first_name="Erin", last_name="Reviewer")
    site["a"].record_review(reviewer)
    site["a"].save()
    warm(client, site["pages"])

    reviewer.last_name = "Careful"
    reviewer.save()

    assert stale_pages(client, site["pages"]) == {"a"}
    assert "Erin Careful" in client.get(site["pages"]["a"]).content.decode()


def test_a_login_a_user_save_an_admin_log_entry_and_a_draft_edit_make_nothing_stale(client, page_cache, site):
    draft = make_draft(title="Unfinished", author=site["a"].author, tags=site["a"].tags.all())
    warm(client, site["pages"])
    editor = make_user("ed", "Editor")

    Client().force_login(editor)  # a login saves the user's last_login
    editor.is_active = True
    editor.save()
    LogEntry.objects.create(
        user=editor,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(draft.pk),
        object_repr=draft.title,
        action_flag=CHANGE,
    )
    draft.title = "Still unfinished"
    draft.body = "More words."
    draft.save()

    assert stale_pages(client, site["pages"]) == set()


def test_a_missing_article_writes_nothing_to_the_cache(client, page_cache, site):
    client.get(site["pages"]["home"])  # the next publication time is read once
    with mock.patch.object(pagecache.store, "cache", wraps=pagecache.store.cache) as spy:
        for _ in range(2):
            assert client.get(reverse("articles:detail", args=["no-such-article"])).status_code == 404
    assert not [name for name, _args, _kwargs in spy.method_calls if name in {"set", "add", "incr"}]


def test_with_only_fragments_cached_a_missing_article_writes_nothing(client, cache_backend, settings, site):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(site["pages"]["a"])
    with mock.patch.object(pagecache.store, "cache", wraps=pagecache.store.cache) as spy:
        assert client.get(reverse("articles:detail", args=["no-such-article"])).status_code == 404
    assert not [name for name, _args, _kwargs in spy.method_calls if name in {"set", "add", "incr"}]


def test_editing_a_published_articles_title_makes_stale_its_page_and_the_listings_not_other_articles(
    client, page_cache, site
):
    warm(client, site["pages"])

    site["a"].title = "Warm baths before bed"
    site["a"].save()

    stale = stale_pages(client, site["pages"])
    assert {"a", "home", "list", "sleep", "fern", "feed", "sitemap"} <= stale
    assert not {"b", "exercise", "oak"} & stale


def test_a_source_added_to_an_article_makes_its_page_stale_not_another_articles(client, page_cache, site):
    warm(client, site["pages"])

    site["b"].sources.create(title="A trial of stretching")

    stale = stale_pages(client, site["pages"])
    assert "b" in stale and "a" not in stale
    assert "A trial of stretching" in client.get(site["pages"]["b"]).content.decode()


def test_merging_a_topic_makes_its_articles_and_the_target_stale(client, page_cache, site):
    warm(client, site["pages"])
    sleep, exercise = site["a"].tags.get(), site["b"].tags.get()

    sleep.merge_into(exercise)

    stale = stale_pages(client, {name: url for name, url in site["pages"].items() if name != "sleep"})
    assert {"a", "exercise", "topics", "list"} <= stale
    assert "Exercise" in client.get(site["pages"]["a"]).content.decode()


def test_the_pagecache_app_imports_no_other_app_of_ours():
    sources = Path(pagecache.store.__file__).parent.rglob("*.py")
    imports = [line for path in sources for line in path.read_text().splitlines() if "import" in line]
    ours = ("articles", "authors", "replies", "fibrosite", "staff")
    assert not [
        line for line in imports if any(f"from {app}" in line or f"import {app}" in line for app in ours)
    ]


def test_the_authors_app_imports_none_of_the_apps_built_on_it():
    # `articles` depends on `authors`, `replies` on `articles`: never the other way round
    # (docs/architecture.md); authors reach articles through the relation `author.articles`.
    sources = Path(authors.models.__file__).parent.rglob("*.py")
    imports = [line for path in sources for line in path.read_text().splitlines() if "import" in line]
    above = ("articles", "replies", "fibrosite", "staff", "notifications", "writing", "invitations")
    assert not [
        line for line in imports if any(f"from {app}" in line or f"import {app}" in line for app in above)
    ]


def test_a_staff_preview_shows_a_draft_edit_at_once_though_the_edit_touches_nothing(cache_backend, site):
    # Draft edits touch no key, so logged-in visitors get fragments rendered afresh.
    draft = make_draft(title="Unfinished", author=site["a"].author)
    editor = Client()
    editor.force_login(make_user("ed", "Editor"))
    assert "Unfinished" in editor.get(draft.get_absolute_url()).content.decode()

    draft.title = "Nearly finished"
    draft.save()

    assert "<h1>Nearly finished</h1>" in editor.get(draft.get_absolute_url()).content.decode()
