"""Digests to editors: replies waiting for moderation (at most one message per 30 minutes, listing what
came since the last one, readers' contact details masked) and the weekly medical review digest that
`manage.py send_digests` sends."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications.digests import send_reply_digest, send_review_digest
from notifications.models import Preferences
from replies.models import Reply
from tests.factories import make_article, make_author, reply_data, reply_url


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver.example"


@pytest.fixture
def article(db):
    return make_article("Warm water exercise", author=make_author("Fibro Warrior"))


def post_reply(client, article, **fields):
    return client.post(reply_url(article), reply_data(article=article, **fields))


def later(minutes):
    return timezone.now() + timedelta(minutes=minutes)


def test_a_waiting_reply_mails_the_editors_at_once(client, commit, editor, second_editor, article):
    with commit():
        post_reply(
            client, article, name="Kind Reader", email="reader@mail.example", text="Call me on 0612345678!"
        )

    assert sorted(m.to[0] for m in mail.outbox) == ["ed2@example.org", "ed@example.org"]
    message = mail.outbox[0]
    reply = Reply.objects.get()
    assert message.subject == "1 new reply waiting for moderation"
    assert 'Kind Reader on "Warm water exercise"' in message.body
    assert f"http://testserver.example/admin/replies/reply/{reply.pk}/change/" in message.body
    assert "/admin/replies/reply/?status__exact=pending" in message.body
    for text in (message.body, message.alternatives[0][0]):
        assert "reader@mail.example" not in text and "0612345678" not in text  # nor any reader's contact


def test_replies_within_30_minutes_wait_for_the_next_message_which_lists_only_them(
    client, commit, editor, article
):
    with commit():
        post_reply(client, article, name="First Reader")
    with commit():
        post_reply(client, article, name="Second Reader", REMOTE_ADDR="10.0.0.2")
        post_reply(client, article, name="Third Reader", REMOTE_ADDR="10.0.0.3")
    assert len(mail.outbox) == 1  # throttled

    assert send_reply_digest(now=later(29)) is False
    assert send_reply_digest(now=later(31)) is True

    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert digest.subject == "2 new replies waiting for moderation"
    assert "Second Reader" in digest.body and "Third Reader" in digest.body
    assert "First Reader" not in digest.body and "(3 waiting in all)" in digest.body
    assert send_reply_digest(now=later(90)) is False  # nothing new: no message


def test_replies_already_moderated_are_not_listed(commit, editor, article):
    Reply.objects.create(article=article, name="Spammer", text="Buy", status=Reply.Status.SPAM)

    assert send_reply_digest() is False and mail.outbox == []


def test_an_editor_who_turned_reply_mail_off_gets_none(client, commit, editor, second_editor, article):
    Preferences.objects.create(user=second_editor, replies=False)

    with commit():
        post_reply(client, article)

    assert [m.to for m in mail.outbox] == [["ed@example.org"]]


def test_a_failed_reply_digest_is_tried_again_with_the_same_replies(
    client, commit, editor, article, settings
):
    settings.EMAIL_BACKEND = "tests.mail_failure.FailingBackend"
    with commit():
        response = post_reply(client, article, name="Patient Reader")
    assert response.status_code == 302 and Reply.objects.count() == 1  # the reader's reply is kept

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_reply_digest() is True
    assert "Patient Reader" in mail.outbox[0].body


def reviewed(article, days_ago):
    article.record_review(None, when=timezone.now() - timedelta(days=days_ago))
    article.save()
    return article


def test_send_digests_mails_the_weekly_review_digest_once_a_week(editor, second_editor, db):
    never = make_article("Never reviewed")
    old = reviewed(make_article("Reviewed long ago"), days_ago=400)
    changed = reviewed(make_article("Changed since"), days_ago=10)
    changed.body = "New claims."
    changed.save()
    reviewed(make_article("Reviewed recently"), days_ago=10)
    make_article("A draft", status="draft")
    output = StringIO()

    call_command("send_digests", stdout=output)

    assert "Medical review digest: sent" in output.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == ["ed2@example.org", "ed@example.org"]
    message = mail.outbox[0]
    assert message.subject == "Medical reviews due: 3 articles"
    for article in (never, old, changed):
        assert f'"{article.title}"' in message.body
        assert f"/admin/articles/article/{article.pk}/change/" in message.body
    assert '"Changed since" by' in message.body and "text changed since the review" in message.body
    assert "Reviewed recently" not in message.body and "A draft" not in message.body

    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == 2  # a week has not passed
    assert send_review_digest(now=timezone.now() + timedelta(days=7)) is True


def test_send_digests_sends_nothing_when_nothing_waits(editor, db):
    output = StringIO()

    call_command("send_digests", stdout=output)

    assert mail.outbox == []
    assert "Replies digest: nothing to send" in output.getvalue()
