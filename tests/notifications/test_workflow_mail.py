"""Each step of the editorial workflow mails the people concerned: the editors when an article waits for
review, the author when changes are requested or their article is scheduled, published or unpublished.
Plain text and HTML, links to the admin page, never a login name or anyone's address; a failing mail
server never fails the editor's action."""

import logging
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from notifications.models import Preferences
from tests.admin.conftest import change_url, form_data
from tests.factories import make_article

DRAFT, IN_REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED


@pytest.fixture
def article(author_user):
    return make_article("Pacing with a heart-rate monitor", author=author_user.author_profile, status=DRAFT)


def author_post(client, author_user, article, **posted):
    client.force_login(author_user)
    data = form_data(article, **posted)
    data.pop("author")
    return client.post(change_url(article), data)


def editor_post(client, editor, article, **posted):
    client.force_login(editor)
    return client.post(change_url(article), form_data(article, **posted))


def admin_link(article):
    return f"http://testserver.example{change_url(article)}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def assert_private(message):
    """Nobody's login name or address appears in what is sent, only the addressee's own in `to`."""
    html = message.alternatives[0][0]
    for text in (message.subject, message.body, html):
        assert "@example.org" not in text
        assert not re.search(r"\b(writer|ed|ed2)\b", text)  # the logins' usernames


def test_submitting_mails_every_editor_but_not_the_author(
    client, commit, author_user, editor, second_editor, article
):
    with commit():
        response = author_post(client, author_user, article, _transition="submit")

    assert response.status_code == 302
    assert recipients() == ["ed2@example.org", "ed@example.org"]
    message = mail.outbox[0]
    assert len(message.to) == 1  # one message each: editors do not see each other's addresses
    assert message.subject == "Submitted for review: Pacing with a heart-rate monitor"
    assert "Own Pen submitted" in message.body and admin_link(article) in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="{admin_link(article)}"' in html
    assert_private(message)


def test_requesting_changes_mails_the_author_with_the_note(
    client, commit, author_user, editor, second_editor, article
):
    Article.objects.filter(pk=article.pk).update(status=IN_REVIEW)

    with commit():
        editor_post(
            client,
            editor,
            article,
            _transition="request_changes",
            review_note="Cite the trial <b>please</b>.",
        )

    (message,) = mail.outbox
    assert message.to == ["writer@example.org"]
    assert message.subject == "Changes requested: Pacing with a heart-rate monitor"
    assert "Erin Reviewer asked for changes" in message.body
    assert "Cite the trial <b>please</b>." in message.body
    assert "Cite the trial &lt;b&gt;please&lt;/b&gt;." in message.alternatives[0][0]  # escaped in HTML
    assert admin_link(article) in message.body
    assert "turn this kind of e-mail off" not in message.body.lower()  # essential: always sent
    assert_private(message)


def test_scheduling_mails_the_author_the_time(client, commit, author_user, editor, article):
    Article.objects.filter(pk=article.pk).update(status=IN_REVIEW)

    with commit():
        editor_post(
            client,
            editor,
            article,
            _transition="schedule",
            published_at_0="2031-05-04",
            published_at_1="09:30:00",
        )

    (message,) = mail.outbox
    assert message.to == ["writer@example.org"] and message.subject.startswith("Scheduled: ")
    assert "4 May 2031, 09:30" in message.body
    assert "turn this kind of e-mail off" in message.body.lower()


def test_publishing_mails_the_author(client, commit, author_user, editor, article):
    with commit():
        editor_post(client, editor, article, _transition="publish")

    (message,) = mail.outbox
    assert message.to == ["writer@example.org"]
    assert message.subject == "Published: Pacing with a heart-rate monitor"
    assert "readers can see it now" in message.body


def test_unpublishing_in_bulk_mails_the_author(client, commit, author_user, editor, article):
    Article.objects.filter(pk=article.pk).update(status=PUBLISHED, published_at=timezone.now())
    client.force_login(editor)

    with commit():
        client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "bulk_unpublish", "_selected_action": [article.pk]},
        )

    (message,) = mail.outbox
    assert message.to == ["writer@example.org"]
    assert message.subject == "Unpublished: Pacing with a heart-rate monitor"


def test_a_save_without_a_workflow_step_sends_nothing(client, commit, author_user, editor, article):
    with commit():
        editor_post(client, editor, article, title="A new title")

    assert Article.objects.get(pk=article.pk).title == "A new title"
    assert mail.outbox == []


def test_an_author_who_turned_publication_mail_off_still_hears_of_requested_changes(
    client, commit, author_user, editor, article
):
    Preferences.objects.create(user=author_user, published=False)
    Article.objects.filter(pk=article.pk).update(status=IN_REVIEW)

    with commit():
        editor_post(client, editor, article, _transition="publish")
    assert mail.outbox == []

    Article.objects.filter(pk=article.pk).update(status=IN_REVIEW, published_at=None)
    with commit():
        editor_post(client, editor, article, _transition="request_changes", review_note="One more source.")
    assert recipients() == ["writer@example.org"]


def test_an_editor_who_turned_submissions_off_gets_none(
    client, commit, author_user, editor, second_editor, article
):
    Preferences.objects.create(user=second_editor, submitted=False)

    with commit():
        author_post(client, author_user, article, _transition="submit")

    assert recipients() == ["ed@example.org"]


def test_each_person_chooses_on_their_preferences_page(client, author_user, editor):
    client.force_login(author_user)
    page = client.get(reverse("notifications:preferences")).content.decode()
    client.post(reverse("notifications:preferences"), {})  # every box unticked

    assert 'name="published"' in page and 'name="replies"' not in page  # authors get no editors' mail
    assert Preferences.objects.get(user=author_user).published is False

    client.force_login(editor)
    client.post(reverse("notifications:preferences"), {"submitted": "on", "published": "on"})
    choices = Preferences.objects.get(user=editor)
    assert (choices.submitted, choices.replies, choices.review_digest) == (True, False, False)


def test_the_preferences_page_is_for_staff_only(client, db):
    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_a_failing_mail_server_is_logged_and_the_article_still_published(
    client, commit, author_user, editor, article, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.mail_failure.FailingBackend"

    with caplog.at_level(logging.ERROR, logger="notifications.mail"), commit():
        response = editor_post(client, editor, article, _transition="publish")

    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == PUBLISHED
    assert "Could not send 1 e-mail(s) from notifications/email/published" in caplog.text
    assert "writer@example.org" not in caplog.text
