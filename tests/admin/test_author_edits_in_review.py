"""An author's edit to an article in review takes it back to draft, whatever way the edit arrives;
editor-only fields stay out of the author's reach (crafted workflow steps: tests/admin/test_permissions.py)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.revisions import record_revision
from tests.admin.conftest import change_url, form_data
from tests.factories import make_article

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED


@pytest.fixture
def in_review(author_user):
    article = make_article(
        "Submitted", author=author_user.author_profile, status=IN_REVIEW, body="As submitted."
    )
    record_revision(article, author_user, "Created")
    return article


def as_author(client, author_user, in_review, **posted):
    client.force_login(author_user)
    data = form_data(in_review, **posted)
    data.pop("author")  # read-only for authors: not in the form they get
    return client.post(change_url(in_review), {**data, **posted})


def test_an_authors_save_takes_the_article_back_to_draft_with_the_edits(client, author_user, in_review):
    response = as_author(client, author_user, in_review, body="Rewritten after submitting.")

    assert response.status_code == 302
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.body) == (DRAFT, "Rewritten after submitting.")
    assert not Article.objects.filter(status=IN_REVIEW).exists()  # gone from the review queue


def test_the_author_is_told_before_and_after_saving_and_an_editor_is_not(
    client, author_user, editor, in_review
):
    note = "Saving takes it back to draft; submit it again when ready."
    client.force_login(editor)
    assert note not in client.get(change_url(in_review)).content.decode()
    client.force_login(author_user)
    assert note in client.get(change_url(in_review)).content.decode()
    saved = as_author(client, author_user, in_review, body="Edited.")
    assert "took the article back to draft" in " ".join(str(m) for m in get_messages(saved.wsgi_request))


@pytest.mark.parametrize(
    "crafted",
    [
        {"status": PUBLISHED},
        {
            "reviewed_by": "1",
            "reviewed_at_0": "2026-01-01",
            "reviewed_at_1": "10:00:00",
            "record_review": "on",
        },
        {"acknowledge_review_changes": "on"},
        {"published_at_0": "2026-01-01", "published_at_1": "10:00:00"},
        {"review_note": "Approved by me"},
    ],
    ids=["status", "reviewed_by", "acknowledgement", "published_at", "review_note"],
)
def test_crafted_editor_fields_are_ignored_and_the_edit_still_goes_back_to_draft(
    client, author_user, editor, in_review, crafted
):
    response = as_author(client, author_user, in_review, body="Edited.", **crafted)

    assert response.status_code == 302
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.body, article.published_at) == (DRAFT, "Edited.", None)
    assert (article.reviewed_by, article.reviewed_at, article.review_note) == (None, None, "")


def test_a_crafted_author_field_does_not_move_the_article(client, author_user, other_author_user, in_review):
    as_author(client, author_user, in_review, author=str(other_author_user.author_profile.pk), body="Edited.")
    article = Article.objects.get(pk=in_review.pk)
    assert (article.author, article.status) == (author_user.author_profile, DRAFT)


def test_restoring_a_revision_as_the_author_takes_the_article_back_to_draft(client, author_user, in_review):
    oldest = Version.objects.get_for_object(in_review).last()
    Article.objects.filter(pk=in_review.pk).update(body="Changed in between.")
    client.force_login(author_user)

    response = client.post(reverse("admin:articles_article_restore", args=[in_review.pk, oldest.pk]))

    assert response.status_code == 302
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.body) == (DRAFT, "As submitted.")
