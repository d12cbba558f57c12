"""The workflow's transitions: one table on the model, read by the admin's buttons and actions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from articles.models import Article
from articles.workflow import TransitionNotAllowed
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED


@pytest.fixture
def people():
    writer = make_user("writer", "Author")
    return {
        "editor": make_user("ed", "Editor"),
        "author": writer,
        "other author": make_user("other", "Author"),
        "anonymous": AnonymousUser(),
        "profile": make_author("Pen", user=writer),
    }


def names(article, user):
    return [t.name for t in article.allowed_transitions(user)]


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (DRAFT, "author", ["submit"]),
        (DRAFT, "editor", ["submit", "publish", "schedule"]),
        (DRAFT, "other author", []),
        (DRAFT, "anonymous", []),
        (IN_REVIEW, "author", []),
        (IN_REVIEW, "editor", ["publish", "schedule", "request_changes"]),
        (PUBLISHED, "author", []),
        (PUBLISHED, "editor", ["unpublish"]),
    ],
)
def test_allowed_transitions_by_status_and_role(people, status, role, expected):
    article = make_article(author=people["profile"], status=status)
    assert names(article, people[role]) == expected


def test_submit_records_when(people):
    article = make_article(author=people["profile"], status=DRAFT)
    article.apply_transition("submit", people["author"])
    assert article.status == IN_REVIEW and article.submitted_at is not None


def test_publish_sets_the_date_to_now_and_unpublish_clears_it(people):
    article = make_article(author=people["profile"], status=IN_REVIEW)
    article.apply_transition("publish", people["editor"])
    assert article.status == PUBLISHED
    assert abs(article.published_at - timezone.now()) < timedelta(seconds=5)
    article.apply_transition("unpublish", people["editor"])
    assert (article.status, article.published_at) == (DRAFT, None)


def test_schedule_uses_the_given_date(people):
    article = make_article(author=people["profile"], status=IN_REVIEW)
    when = timezone.now() + timedelta(days=3)
    article.apply_transition("schedule", people["editor"], when=when)
    article.save()
    assert (article.status, article.published_at) == (PUBLISHED, when)
    assert not Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.parametrize("name", ["publish", "schedule", "request_changes", "unpublish", "fly"])
def test_an_author_cannot_apply_editor_transitions(people, name):
    article = make_article(author=people["profile"], status=IN_REVIEW)
    with pytest.raises(TransitionNotAllowed):
        article.apply_transition(name, people["author"])
    assert article.status == IN_REVIEW


def test_review_due_flags_published_articles_unreviewed_or_reviewed_over_a_year_ago(people):
    now = timezone.now()
    never = make_article("never reviewed")
    old = make_article("reviewed long ago", reviewed_at=now - timedelta(days=400))
    fresh = make_article("reviewed lately", reviewed_at=now - timedelta(days=30))
    draft = make_article("draft", status=DRAFT)
    due = {a.title: a.review_due for a in Article.objects.with_editorial_state()}
    assert due == {never.title: True, old.title: True, fresh.title: False, draft.title: False}


def test_editorial_state_tells_scheduled_from_live(people):
    live = make_article("live")
    scheduled = make_article("scheduled", published_at=timezone.now() + timedelta(days=2))
    state = {a.title: a.is_live for a in Article.objects.with_editorial_state()}
    assert state == {live.title: True, scheduled.title: False}
