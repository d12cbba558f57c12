"""Staff reset a forgotten password by e-mail from the admin login page; the answer never tells whether an
address has a login, and a new password also lifts a login lockout."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from tests.admin.conftest import make_user
from tests.settings_process import settings_in_new_process

NEW_PASSWORD = "a-new-long-passphrase-42"


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor")


def ask_for_reset(client, email):
    return client.post(reverse("admin_password_reset"), {"email": email})


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def set_new_password(client, link, password=NEW_PASSWORD):
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_the_login_page_offers_a_password_reset(client, db):
    html = client.get(reverse("admin:login")).content.decode()

    assert "Forgotten your password or username?" in html
    assert f'href="{reverse("admin_password_reset")}"' in html


def test_the_reset_pages_have_the_admin_look(client, db):
    html = client.get(reverse("admin_password_reset")).content.decode()

    assert 'id="site-name"' in html and "fibrosite editorial desk" in html


def test_a_staff_member_resets_a_password_by_e_mail(client, editor):
    response = ask_for_reset(client, "ED@example.org")

    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ed@example.org"] and message.from_email == settings.DEFAULT_FROM_EMAIL
    done = set_new_password(client, reset_link(message))
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)


def test_a_reset_link_works_once(client, editor):
    ask_for_reset(client, "ed@example.org")
    link = reset_link(mail.outbox[0])
    set_new_password(client, link)

    again = client.get(link, follow=True)

    assert "new_password1" not in again.content.decode()
    assert "invalid" in again.content.decode().lower()


@pytest.mark.parametrize("address", ["nobody@example.org", "reader@example.org"])
def test_the_answer_is_the_same_for_an_address_without_a_staff_login(client, editor, address):
    User.objects.create_user("reader", "reader@example.org", "pw")  # a login without staff status
    known = ask_for_reset(client, "ed@example.org")
    mail.outbox.clear()

    unknown = ask_for_reset(client, address)

    assert (unknown.status_code, unknown.url) == (known.status_code, known.url)
    assert mail.outbox == []


def test_a_new_password_lifts_the_login_lockout(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "ed", "password": "wrong"})
    assert client.post(reverse("admin:login"), {"username": "ed", "password": "pw"}).status_code == 429

    ask_for_reset(client, "ed@example.org")
    set_new_password(client, reset_link(mail.outbox[0]))
    response = client.post(reverse("admin:login"), {"username": "ed", "password": NEW_PASSWORD})

    assert response.status_code == 302 and response.wsgi_request.user == editor


def mail_settings(**env):
    printed = "settings.EMAIL_BACKEND, settings.DEFAULT_FROM_EMAIL"
    return settings_in_new_process(printed, SECRET_KEY="x" * 50, **env).stdout


def test_mail_goes_to_the_console_under_make_run_and_its_sender_comes_from_the_environment():
    assert mail_settings(DEBUG="1").startswith("django.core.mail.backends.console.EmailBackend")
    assert mail_settings(DEBUG="0").startswith("django.core.mail.backends.smtp.EmailBackend")
    assert mail_settings(DEFAULT_FROM_EMAIL="desk@fibro.example").split()[-1] == "desk@fibro.example"
