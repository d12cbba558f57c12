"""In a real browser: a reader's reply waits for an editor, and a reply sent too fast is refused
without losing what the reader typed."""

import pytest
from playwright.sync_api import expect

from replies.models import Reply
from replies.tokens import MIN_SECONDS_TO_WRITE
from tests.factories import make_article

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WRITING_TIME_MS = (MIN_SECONDS_TO_WRITE + 0.5) * 1000  # the form's token refuses anything quicker

TEXT = "Stretching before bed helped me too."


@pytest.fixture
def article_page(page, live_server):
    article = make_article("Gentle stretching")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    return page


def write_reply(page, name="Kind Reader", email="reader@example.org", text=TEXT):
    form = page.locator("#leave-reply")
    form.get_by_label("Your name").fill(name)
    form.get_by_label("E-mail (optional)").fill(email)
    form.get_by_label("Your reply").fill(text)


def send_reply(page):
    page.locator("#leave-reply").get_by_role("button", name="Send reply").click()


def approve(reply):
    reply.status = Reply.Status.APPROVED
    reply.save()  # save(), as the admin does: a bulk update would not tell the page cache


def test_reply_waits_for_review_then_appears_once_an_editor_approves_it(article_page):
    write_reply(article_page)
    article_page.wait_for_timeout(WRITING_TIME_MS)
    expect(article_page.locator("#reply-form input[name=website]")).to_have_value("")  # honeypot untouched

    send_reply(article_page)

    leave_reply = article_page.locator("#leave-reply")
    expect(leave_reply.get_by_role("status")).to_contain_text("Your reply is waiting for review")
    expect(article_page.get_by_role("heading", name="0 replies")).to_be_visible()
    expect(article_page.locator("#replies")).not_to_contain_text(TEXT)
    approve(Reply.objects.get(text=TEXT))
    article_page.reload()
    expect(article_page.get_by_role("heading", name="1 reply")).to_be_visible()
    expect(article_page.locator("#replies .reply")).to_contain_text(["Kind Reader"])
    expect(article_page.locator("#replies .reply-text")).to_have_text([TEXT])
    expect(article_page.locator("#replies")).not_to_contain_text("reader@example.org")


def test_reply_sent_too_fast_is_refused_keeping_the_text_and_can_then_be_sent(article_page):
    write_reply(article_page)

    send_reply(article_page)

    leave_reply = article_page.locator("#leave-reply")
    expect(leave_reply).to_contain_text("That was very quick")
    expect(leave_reply.get_by_label("Your name")).to_have_value("Kind Reader")
    expect(leave_reply.get_by_label("E-mail (optional)")).to_have_value("reader@example.org")
    expect(leave_reply.get_by_label("Your reply")).to_have_value(TEXT)
    assert not Reply.objects.exists()
    # The refused form carries a new token: after a moment to re-read, the same text goes through.
    article_page.wait_for_timeout(WRITING_TIME_MS)
    send_reply(article_page)
    expect(leave_reply.get_by_role("status")).to_contain_text("Your reply is waiting for review")
    assert Reply.objects.get().text == TEXT
    assert article_page.blocked == []
