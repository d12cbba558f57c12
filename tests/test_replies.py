"""Readers' replies: moderated, private, plain text, defended against spam and abuse."""

import pytest
from django.urls import reverse

from articles.models import Article
from replies.models import Reply
from replies.tokens import form_token
from tests.factories import aged_token, make_article, make_draft, reply_data, reply_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("Gentle stretching")


def approve_all():
    """As an editor does: each reply saved (a bulk update would not tell the page cache)."""
    for reply in Reply.objects.all():
        reply.status = Reply.Status.APPROVED
        reply.save()


def post(client, article, **overrides):
    return client.post(reply_url(article), reply_data(**overrides))


def test_reply_waits_for_moderation_then_appears_when_approved(client, article):
    response = post(client, article)
    assert response.status_code == 302 and response["Location"].endswith("#leave-reply")
    page = client.get(response["Location"]).content.decode()
    assert "waiting for review" in page
    assert "This helped me too." not in page
    approve_all()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "This helped me too." in page and "Kind Reader" in page and "1 reply" in page


def test_approved_replies_are_oldest_first_and_spam_is_never_shown(client, article):
    for text, status in [
        ("first", "approved"),
        ("spammy", "spam"),
        ("second", "approved"),
        ("waiting", "pending"),
    ]:
        Reply.objects.create(article=article, name="R", text=text, status=status)
    replies = client.get(article.get_absolute_url()).context["article"].approved_replies
    assert [r.text for r in replies] == ["first", "second"]


def test_reply_email_never_appears_on_the_page(client, article):
    post(client, article)
    approve_all()
    assert "Kind Reader" in client.get(article.get_absolute_url()).content.decode()
    assert "reader@example.org" not in client.get(article.get_absolute_url()).content.decode()


def test_reply_text_is_escaped_with_line_breaks_and_links_not_clickable(client, article):
    Reply.objects.create(article=article, name="<b>Bo</b>", text="<script>x()</script>\nsee https://example.org",
                         status=Reply.Status.APPROVED)  # fmt: skip
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>x()</script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Bo&lt;/b&gt;" in html
    assert "<br>see https://example.org" in html and 'href="https://example.org"' not in html


def test_links_become_clickable_once_an_editor_allows_them(client, article):
    Reply.objects.create(
        article=article, name="R", text="see https://example.org", status="approved", allow_links=True
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://example.org" rel="nofollow">' in html


def test_moderation_screen_shows_the_original_text(client, article, admin_client):
    reply = Reply.objects.create(article=article, name="R", text="call 0171 234 5678")
    html = admin_client.get(reverse("admin:replies_reply_change", args=[reply.pk])).content.decode()
    assert "0171 234 5678" in html


def test_editors_approve_and_mark_spam_in_bulk(admin_client, article):
    replies = [Reply.objects.create(article=article, name="R", text=str(n)) for n in range(3)]
    url = reverse("admin:replies_reply_changelist")
    admin_client.post(url, {"action": "approve", "_selected_action": [replies[0].pk, replies[1].pk]})
    admin_client.post(url, {"action": "mark_spam", "_selected_action": [replies[2].pk]})
    assert sorted(Reply.objects.values_list("status", flat=True)) == ["approved", "approved", "spam"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"website": "http://spam.example"}, "looks automated"),
        ({"token": "forged"}, "could not be checked"),
        ({"token": lambda: form_token(Article.objects.get().pk)}, "very quick"),
        ({"token": lambda: aged_token(2 * 24 * 3600)}, "open for too long"),
        ({"text": "x" * 3001}, "at most 3000 characters"),
        ({"text": ""}, "This field is required"),
        ({"email": "not-an-address"}, "valid email address"),
    ],
    ids=["honeypot", "forged token", "too fast", "stale form", "too long", "empty", "bad email"],
)
def test_rejected_reply_says_why_and_keeps_the_text(client, article, overrides, message):
    overrides = {k: v() if callable(v) else v for k, v in overrides.items()}
    text = overrides.get("text", "This helped me too.")
    response = post(client, article, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if text and len(text) <= 3000:
        assert text in html
    assert Reply.objects.count() == 0


def test_rate_limit_allows_five_replies_per_client_per_ten_minutes(client, article):
    for n in range(5):
        assert post(client, article, text=f"reply {n}").status_code == 302
    response = post(client, article, text="one too many")
    assert "several replies in the last few minutes" in response.content.decode()
    assert "one too many" in response.content.decode()
    assert Reply.objects.count() == 5
    another_client = client.post(reply_url(article), reply_data(), REMOTE_ADDR="10.0.0.9")
    assert another_client.status_code == 302


def test_client_address_is_stored_only_as_a_salted_hash(client, article):
    client.post(reply_url(article), reply_data(), REMOTE_ADDR="203.0.113.7")
    reply = Reply.objects.get()
    assert len(reply.client_hash) == 64 and "203.0.113.7" not in reply.client_hash
    assert not [f for f in Reply._meta.fields if "ip" in f.name]


def test_the_article_page_sends_its_reply_form_to_the_replies_app(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'action="{reply_url(article)}"' in page and reply_url(article) != article.get_absolute_url()
    assert client.post(article.get_absolute_url(), reply_data()).status_code == 405  # GET only
    assert Reply.objects.count() == 0


def test_opening_the_reply_address_leads_to_the_article_and_never_reveals_a_draft(client, article):
    # A refused reply leaves this address in the address bar: opening it again shows the article.
    response = client.get(reply_url(article))
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert client.get(reply_url(make_draft())).status_code == 404


def test_a_refused_reply_is_shown_again_on_the_article_page_with_its_form_sent_to_the_same_place(
    client, article
):
    response = post(client, article, name="")
    page = response.content.decode()
    assert response.status_code == 200 and response.context["article"] == article
    assert "Gentle stretching" in page and "This helped me too." in page
    assert f'action="{reply_url(article)}"' in page


def test_reply_to_unpublished_or_missing_article_is_404_and_stores_nothing(client):
    draft = make_draft()
    assert client.post(reply_url(draft), reply_data()).status_code == 404
    missing = reverse("replies:post", kwargs={"slug": "no-such-article"})
    assert client.post(missing, reply_data()).status_code == 404
    assert Reply.objects.count() == 0


def test_staff_preview_of_a_draft_does_not_accept_replies(admin_client):
    draft = make_draft()
    assert admin_client.post(reply_url(draft), reply_data()).status_code == 404
    assert Reply.objects.count() == 0


def test_a_name_carrying_contact_details_is_masked(client, article):
    Reply.objects.create(article=article, name="jo@mail.example.com", text="Hi", status=Reply.Status.APPROVED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "jo@mail.example.com" not in html and "[e-mail address hidden]" in html


def test_behind_a_trusted_proxy_the_rate_limit_counts_each_reader(client, article, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address stands for our load balancer

    def post_as(reader, n):
        data = reply_data(text=f"r{n}")
        return client.post(reply_url(article), data, headers={"x-forwarded-for": reader})

    for n in range(5):
        post_as("198.51.100.1", n)
    assert post_as("198.51.100.2", 5).status_code == 302
    blocked = post_as("198.51.100.1", 6)
    assert blocked.status_code == 200 and Reply.objects.count() == 6


def test_a_reader_cannot_escape_the_rate_limit_by_sending_x_forwarded_for(client, article, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(5):
        data = reply_data(text=f"r{n}")
        client.post(reply_url(article), data, headers={"x-forwarded-for": f"198.51.100.{n}"})
    spoofed = client.post(reply_url(article), reply_data(), headers={"x-forwarded-for": "198.51.100.9"})
    assert "several replies in the last few minutes" in spoofed.content.decode()
    assert Reply.objects.count() == 5
