"""The admin index is each role's desk: an author sees their own articles by status with the latest review
note and what happens next; an editor sees the review queue, replies waiting, medical reviews due or out of
date, and scheduled articles with their times. Each costs a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PendingVersion
from replies.models import Reply
from tests.factories import make_article, make_author

DRAFT, IN_REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED


def section(html, heading_id):
    """The text of the dashboard section whose heading has `heading_id`."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return match.group(1)


def index(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def own_articles(author_user):
    pen = author_user.author_profile
    return {
        "draft": make_article("My draft", author=pen, status=DRAFT, review_note="Please cite the trial."),
        "in_review": make_article("Waiting one", author=pen, status=IN_REVIEW),
        "scheduled": make_article("Coming soon", author=pen, published_at=timezone.now() + timedelta(days=3)),
        "live": make_article("Out there", author=pen),
    }


def test_an_author_sees_their_own_articles_by_status_with_the_note_and_next_step(
    client, author_user, other_author_user, own_articles
):
    make_article("Someone else's draft", author=other_author_user.author_profile, status=DRAFT)

    html = index(client, author_user)
    desk = section(html, "desk-author")

    drafts = desk[desk.index("Drafts (1)") : desk.index("In review (1)")]
    assert "My draft" in drafts and "Please cite the trial." in drafts
    assert "Submit for review" in drafts
    assert reverse("admin:articles_article_change", args=[own_articles["draft"].pk]) in drafts
    review = desk[desk.index("In review (1)") : desk.index("Scheduled (1)")]
    assert "Waiting one" in review and "Waiting for an editor" in review
    scheduled = desk[desk.index("Scheduled (1)") : desk.index("Published (1)")]
    when = timezone.localtime(own_articles["scheduled"].published_at)
    assert "Coming soon" in scheduled and f"{when:%Y-%m-%d %H:%M}" in scheduled
    assert "Out there" in desk[desk.index("Published (1)") :]
    assert "Someone else" not in html and "Review queue" not in html


def test_an_editor_sees_the_queue_replies_reviews_and_schedule(client, editor):
    older = make_article("Submitted first", status=IN_REVIEW, author=make_author("Early Bird"))
    Article.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    newer = make_article("Submitted second", status=IN_REVIEW)
    Article.objects.filter(pk=newer.pk).update(submitted_at=timezone.now())
    live = make_article("Never reviewed")
    Reply.objects.create(article=live, name="Reader at jo@mail.example", text="Thanks")
    Reply.objects.create(article=live, name="Approved One", text="Ok", status=Reply.Status.APPROVED)
    soon = make_article("Tomorrow's", published_at=timezone.now() + timedelta(days=1))

    html = index(client, editor)

    queue = section(html, "desk-queue")
    assert "Review queue (2)" in queue
    assert queue.index("Submitted first") < queue.index("Submitted second")  # oldest first
    assert "Early Bird" in queue
    replies = section(html, "desk-replies")
    assert "(1)" in replies and "Never reviewed" in replies
    assert "jo@mail.example" not in replies and "Approved One" not in replies
    reviews = section(html, "desk-reviews")
    assert "Never reviewed" in reviews and "review due" in reviews
    scheduled = section(html, "desk-scheduled")
    when = timezone.localtime(soon.published_at)
    assert "Tomorrow&#x27;s" in scheduled and f"{when:%Y-%m-%d %H:%M}" in scheduled


def test_an_empty_desk_says_so(client, editor):
    html = index(client, editor)

    assert "No article waits for review." in html and "Nothing is scheduled." in html


def test_the_author_desk_leads_to_the_change_being_prepared_of_a_live_article(
    client, author_user, own_articles
):
    change = PendingVersion.start(own_articles["live"], author_user)

    live = section(index(client, author_user), "desk-author").split("Published (", 1)[1]

    assert reverse("admin:articles_pendingversion_change", args=[change.pk]) in live
    assert "change being prepared (draft)" in live


def test_the_editor_desk_lists_changes_to_published_articles_waiting_for_review(client, editor):
    waiting = PendingVersion.start(make_article("Live story", author=make_author("Pen Name")), editor)
    waiting.title, waiting.status, waiting.submitted_at = "Live story, corrected", IN_REVIEW, timezone.now()
    waiting.save()
    PendingVersion.start(make_article("Still being edited"), editor)  # a draft change: not waiting

    changes = section(index(client, editor), "desk-changes")

    assert "Live story, corrected" in changes and "Pen Name" in changes
    assert reverse("admin:articles_pendingversion_change", args=[waiting.pk]) in changes
    assert "Still being edited" not in changes


@pytest.mark.parametrize("size", [2, 30])
def test_the_editor_desk_costs_a_fixed_number_of_queries(client, editor, size, django_assert_max_num_queries):
    for n in range(size):
        article = make_article(f"Queued {n}", status=IN_REVIEW)
        make_article(f"Scheduled {n}", published_at=timezone.now() + timedelta(days=n + 1))
        Reply.objects.create(article=make_article(f"Live {n}"), name=f"Reader {n}", text="Hi")
        change = PendingVersion.start(make_article(f"Changed {n}"), editor)
        change.status = PendingVersion.Status.IN_REVIEW
        change.save()
        assert article
    client.force_login(editor)

    with django_assert_max_num_queries(17):  # 5 more counts once a list is longer than shown
        assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("size", [1, 30])
def test_the_author_desk_costs_a_fixed_number_of_queries(
    client, author_user, size, django_assert_num_queries
):
    for n in range(size):
        make_article(f"Mine {n}", author=author_user.author_profile, status=DRAFT)
    client.force_login(author_user)
    client.get(reverse("admin:index"))  # the session and permission caches warm

    with django_assert_num_queries(9):
        assert client.get(reverse("admin:index")).status_code == 200
