"""A medical review covers the content it was recorded for: the page, its JSON-LD and the model say
so only while the title, summary, body and sources are still that content."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from articles.models import Article, Source
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db

REVIEW_DAY = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))


@pytest.fixture
def reviewer():
    return make_user("login-of-reviewer", "Editor", first_name="Sam", last_name="Carer")


def reviewed(article, user, when=REVIEW_DAY):
    """`article` with `user`'s medical review of its current content recorded and saved."""
    article.record_review(user, when)
    article.save()
    return article


@pytest.fixture
def article(reviewer):
    article = make_article("Botox and me", summary="What happened.", body="Ask your doctor first.")
    Source.objects.create(article=article, title="A trial", url="https://example.net/trial")
    return reviewed(Article.objects.get(pk=article.pk), reviewer)


def fresh(article):
    return Article.objects.get(pk=article.pk)


def review_line(client, article):
    html = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return " ".join(html.select_one(".review-line").text.split())


def json_ld(client, article):
    html = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")
    return json.loads(html.find("script", type="application/ld+json").string)


# The model: one rule, read by the page, the JSON-LD and the admin


def test_a_recorded_review_covers_the_content_as_it_stands(article):
    article = fresh(article)
    assert (article.review_is_current, article.review_out_of_date) == (True, False)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Botox cured me"},
        {"summary": "Stop your medication."},
        {"body": "Stop all your medication today."},
    ],
    ids=["title", "summary", "body"],
)
def test_changing_the_text_after_a_review_makes_the_review_out_of_date(article, change):
    for field, value in change.items():
        setattr(article, field, value)
    article.save()
    article = fresh(article)
    assert (article.review_is_current, article.review_out_of_date) == (False, True)


def add_source(article):
    Source.objects.create(article=article, title="A blog post")


def delete_source(article):
    Source.objects.get(article=article).delete()


def change_source_url(article):
    source = Source.objects.get(article=article)
    source.url = "https://example.net/other"
    source.save()


@pytest.mark.parametrize("change_sources", [add_source, delete_source, change_source_url])
def test_changing_only_the_sources_in_code_makes_the_review_out_of_date(article, change_sources):
    change_sources(article)
    assert fresh(article).review_out_of_date


def test_topics_picture_and_workflow_do_not_touch_what_was_reviewed(article):
    article.tags.add(make_tag("Botox"))
    article.hero_alt = "A syringe"
    article.status = Article.Status.DRAFT
    article.save()
    assert fresh(article).review_is_current


def test_putting_the_reviewed_text_back_makes_the_review_current_again(article):
    article.body = "Something else."
    article.save()
    article.body = "Ask your doctor first."
    article.save()
    assert fresh(article).review_is_current


def test_a_review_set_without_recording_what_it_covered_is_never_taken_as_current(reviewer):
    article = make_article(reviewed_by=reviewer, reviewed_at=timezone.now())
    Article.objects.filter(pk=article.pk).update(content_digest="")  # as restored from an old backup
    assert fresh(article).review_out_of_date
    assert Article.objects.with_editorial_state().get(pk=article.pk).review_outdated


def test_the_list_annotation_agrees_with_the_model(article, reviewer):
    changed = reviewed(make_article("Changed later"), reviewer)
    changed.body = "New words."
    changed.save()
    make_article("Never reviewed")
    annotated = {a.title: a.review_outdated for a in Article.objects.with_editorial_state()}
    assert annotated == {a.title: a.review_out_of_date for a in Article.objects.all()}
    assert annotated == {"Botox and me": False, "Changed later": True, "Never reviewed": False}


# The public page


def test_the_page_names_the_reviewer_while_the_review_covers_the_text(client, article):
    assert review_line(client, article) == "Medically reviewed by Sam Carer on 4 March 2026."


def test_after_a_change_the_page_says_an_earlier_version_was_reviewed(client, article):
    article.body = "Stop all your medication today."
    article.save()
    line = review_line(client, article)
    assert line == (
        "An earlier version was medically reviewed on 4 March 2026; "
        "the changes since have not been reviewed yet."
    )
    assert "Medically reviewed" not in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page_cache_seconds", [0, 600], ids=["fragments", "page cache"])
def test_a_cached_page_follows_a_source_change_made_in_code(
    cache_backend, settings, article, page_cache_seconds
):
    settings.PAGE_CACHE_SECONDS = page_cache_seconds
    reader = Client()
    assert review_line(reader, article).startswith("Medically reviewed by")  # now cached
    Source.objects.create(article=article, title="A forum thread")
    assert review_line(reader, article).startswith("An earlier version was medically reviewed")


def test_a_reviewer_without_a_full_name_is_shown_as_an_editor_never_by_login(client):
    article = reviewed(make_article(), make_user("secret-login", "Editor"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Medically reviewed by an editor on" in html and "secret-login" not in html


# Structured data


def test_json_ld_claims_the_review_while_it_covers_the_text(client, article):
    data = json_ld(client, article)
    assert data["@type"] == "MedicalWebPage"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Sam Carer"}
    assert data["lastReviewed"] == "2026-03-04"
    assert data["mainEntity"]["@type"] == "Article" and data["mainEntity"]["headline"] == "Botox and me"
    assert data["url"] == data["mainEntity"]["url"] == f"http://testserver{article.get_absolute_url()}"


def test_json_ld_claims_nothing_once_the_text_changed(client, article):
    article.summary = "Stop your medication."
    article.save()
    data = json_ld(client, article)
    assert data["@type"] == "Article"
    text = json.dumps(data)
    assert "reviewedBy" not in text and "lastReviewed" not in text and "MedicalWebPage" not in text


def test_json_ld_names_a_reviewer_without_a_full_name_as_the_editors(client):
    article = reviewed(make_article(), make_user("secret-login", "Editor"))
    data = json_ld(client, article)
    assert data["reviewedBy"] == {"@type": "Organization", "name": "fibrosite editors"}
    assert "secret-login" not in json.dumps(data)


# The edit rule, on the model


def test_an_authors_edit_takes_an_article_in_review_back_to_draft_and_an_editors_does_not(reviewer):
    writer = make_user("pen-login", "Author")
    article = make_article(author=make_author("Pen", user=writer), status=Article.Status.IN_REVIEW)
    assert article.note_edit_by(reviewer) is False and article.status == Article.Status.IN_REVIEW
    assert article.note_edit_by(writer) is True and article.status == Article.Status.DRAFT


# Existing content, when the digests arrive


@pytest.mark.django_db(transaction=True)
def test_the_migration_takes_an_existing_review_to_cover_the_text_as_it_stands():
    before = [("articles", "0010_author_published_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    author = old.get_model("authors", "Author").objects.create(pseudonym="Historic", slug="historic")
    OldArticle = old.get_model("articles", "Article")
    checked = OldArticle.objects.create(title="C", slug="c", body="b", author=author, reviewed_at=REVIEW_DAY)
    old.get_model("articles", "Source").objects.create(
        article=checked, title="A trial", url="https://example.net"
    )
    OldArticle.objects.create(title="U", slug="u", body="b", author=author)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    state = {a.slug: (a.review_is_current, a.review_out_of_date) for a in Article.objects.all()}
    assert state == {"c": (True, False), "u": (False, False)}
    assert (
        Article.objects.get(slug="c").content_digest == Article.objects.get(slug="c").current_content_digest()
    )
