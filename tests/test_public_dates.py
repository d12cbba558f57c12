"""The dates the public sees (the page's "Updated" line, the feed's updated date, the JSON-LD's
dateModified, the sitemap's lastmod) move only when what readers read changes, never for an
editorial save (a review note, a medical review, a round trip through the workflow)."""

import datetime
import json
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Source
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLISHED = (timezone.now() - datetime.timedelta(days=30)).replace(microsecond=0)  # as the admin shows it
CHANGED = PUBLISHED + datetime.timedelta(days=10)  # a later day on which someone changed it


@contextmanager
def on(moment):
    """Everything inside runs as if the clock read `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@pytest.fixture
def editor():
    return make_user("desk", "Editor", first_name="Desk", last_name="Editor")


@pytest.fixture
def article(editor):
    """An article written and published a month ago and never touched since."""
    with on(PUBLISHED):
        return make_article("Pacing", body="Rest before you are tired.", published_at=PUBLISHED)


def page_dates(article):
    """Every date the public is shown for `article`: the page's "Updated" line (None when it has
    none), its modified time for sharing, the Atom feed's updated, JSON-LD dateModified and
    datePublished, and the sitemap's lastmod."""
    public = Client()
    page = BeautifulSoup(public.get(article.get_absolute_url()).content, "html.parser")
    meta = " ".join(page.select_one(".meta").text.split())
    updated_line = meta.split("Updated ")[1].split(" ·")[0] if "Updated " in meta else None
    json_ld = json.loads(page.find("script", type="application/ld+json").string)
    json_ld = json_ld.get("mainEntity", json_ld)  # inside a MedicalWebPage once medically reviewed
    feed = ET.fromstring(public.get(reverse("articles:feed_atom")).content)
    entry = next(e for e in feed.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == article.title)
    sitemap = ET.fromstring(public.get(reverse("sitemap")).content)
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in sitemap}
    return {
        "updated line": updated_line,
        "modified time": page.find("meta", property="article:modified_time")["content"],
        "feed updated": entry.findtext(f"{ATOM}updated"),
        "dateModified": json_ld["dateModified"],
        "datePublished": json_ld["datePublished"],
        "lastmod": lastmod[f"http://testserver{article.get_absolute_url()}"],
    }


def saved_by(client, editor, article, **changes):
    """`article` after `editor` saved the admin's change form with `changes` (today)."""
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]
    return Article.objects.get(pk=article.pk)


def test_a_month_old_article_shows_no_update(article):
    assert page_dates(article)["updated line"] is None
    assert page_dates(article)["dateModified"] == page_dates(article)["datePublished"]


# Editorial saves leave every public date as it was


def test_saving_a_review_note_leaves_the_public_dates_alone(client, editor, article):
    before = page_dates(article)
    saved_by(client, editor, article, review_note="Could you add a source for the second claim?")
    assert page_dates(article) == before


def test_recording_a_medical_review_leaves_the_public_dates_alone(client, editor, article):
    before = page_dates(article)
    reviewed = saved_by(client, editor, article, record_review="on")
    assert reviewed.review_is_current
    assert page_dates(article) == before


def test_a_round_trip_through_the_workflow_leaves_no_date_of_its_own(client, editor, article):
    # Taken down, changes requested, submitted unchanged and scheduled again, all twenty days ago:
    # once it is back, the public dates are those of its new publication, not of the editing.
    editing, back = PUBLISHED + datetime.timedelta(days=5), PUBLISHED + datetime.timedelta(days=10)
    with on(editing):
        article = saved_by(client, editor, article, _transition="unpublish")
        article = saved_by(client, editor, article, _transition="submit")
        article = saved_by(client, editor, article, _transition="request_changes", review_note="Fine as is?")
        article = saved_by(client, editor, article, _transition="submit")
        article = saved_by(
            client, editor, article, _transition="schedule",
            published_at_0=f"{back:%Y-%m-%d}", published_at_1=f"{back:%H:%M:%S}",
        )  # fmt: skip
    assert article.status == Article.Status.PUBLISHED and article.body == "Rest before you are tired."
    dates = page_dates(article)
    assert dates["updated line"] is None
    assert dates["dateModified"] == dates["datePublished"]
    assert dates["feed updated"].startswith(f"{back:%Y-%m-%dT%H:%M:%S}")
    assert dates["modified time"].startswith(f"{back:%Y-%m-%dT%H:%M:%S}")
    assert dates["lastmod"] == f"{back:%Y-%m-%d}"


# What readers read changing moves every public date to the day it changed


def assert_updated_on(day, dates):
    assert dates["updated line"] == f"{day:%-d %B %Y}"
    expected = f"{day:%Y-%m-%dT%H:%M:%S}"
    assert dates["feed updated"].startswith(expected)
    assert dates["dateModified"].startswith(expected)
    assert dates["modified time"].startswith(expected)
    assert dates["lastmod"] == f"{day:%Y-%m-%d}"


def test_changing_the_body_dates_the_article_updated(client, editor, article):
    with on(CHANGED):
        saved_by(client, editor, article, body="Rest before you are tired, and pace the good days too.")
    assert_updated_on(CHANGED, page_dates(article))


def test_changing_the_disclosure_dates_the_article_updated(client, editor, article):
    with on(CHANGED):
        saved_by(client, editor, article, disclosure="The clinic paid for my sessions.")
    assert_updated_on(CHANGED, page_dates(article))


def test_a_source_added_alone_dates_the_article_updated(article):
    # Sources saved without the article (by code, or the admin's inline after the article) count too.
    with on(CHANGED):
        Source.objects.create(article=article, title="A pacing trial", url="https://example.net/pacing")
    assert_updated_on(CHANGED, page_dates(article))


def test_a_source_added_in_the_admin_dates_the_article_updated(client, editor, article):
    sources = {"sources-TOTAL_FORMS": "1", "sources-0-title": "A pacing trial", "sources-0-position": "0"}
    with on(CHANGED):
        saved_by(client, editor, article, **sources)
    assert_updated_on(CHANGED, page_dates(article))


# The model's rule


def test_only_the_public_content_dates_a_revision():
    with on(PUBLISHED):
        article = make_article(body="Words.", published_at=PUBLISHED)
    article.review_note, article.hero_alt = "A private note.", "A walk in the park."
    article.save()
    assert Article.objects.get(pk=article.pk).revised_at == PUBLISHED
    article.disclosure = "Sponsored."
    article.save()
    assert Article.objects.get(pk=article.pk).revised_at > PUBLISHED


def test_an_article_loaded_without_its_public_content_still_notices_a_change():
    with on(PUBLISHED):
        article = make_article(body="Words.", published_at=PUBLISHED)
    partial = Article.objects.only("pk", "title", "summary", "body").get(pk=article.pk)
    partial.disclosure = "Sponsored."
    partial.save()
    assert Article.objects.get(pk=article.pk).revised_at > PUBLISHED


def test_a_loaded_article_tells_whether_it_was_revised_without_asking_the_database(
    django_assert_num_queries,
):
    article = Article.objects.get(pk=make_article().pk)
    article.review_note = "Private."
    with django_assert_num_queries(0):
        assert article.note_revision() is False


@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_existing_articles_by_their_last_save():
    before = [("articles", "0011_review_covers_content")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    author = old.get_model("authors", "Author").objects.create(pseudonym="Historic", slug="historic")
    old.get_model("articles", "Article").objects.create(title="Old", slug="old", body="b", author=author)
    saved = old.get_model("articles", "Article").objects.get(slug="old").updated_at
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Article.objects.get(slug="old").revised_at == saved
