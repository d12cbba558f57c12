"""Two-factor authentication for staff: editors and superusers reach nothing in the admin before giving a
one-time code (when required), set up an authenticator app from the admin, and recovery codes work once."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import two_factor
from tests.admin.conftest import change_url, make_user
from tests.factories import make_article, make_author
from tests.settings_process import settings_in_new_process


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_EDITORS = True


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor")


@pytest.fixture
def author_user(db):
    user = make_user("writer", "Author")
    make_author("Own Pen", user=user)
    return user


def app_for(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_from(device, steps_ahead=0):
    """What the authenticator app shows now (or `steps_ahead` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    accepted = {code_from(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in accepted)


def recovery_codes_for(user):
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in ("abcd2345", "efgh6789")
    )
    return ["abcd2345", "efgh6789"]


def log_in(client, username, code="", password="pw"):
    data = {"username": username, "password": password, "otp_token": code, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data)


def sent_to_two_factor(response):
    return response.status_code == 302 and response.url.startswith(reverse("admin:two_factor"))


def admin_pages():
    article = make_article(status="draft")
    return [
        reverse("admin:index"),
        reverse("admin:app_list", args=["articles"]),
        reverse("admin:articles_article_changelist"),
        change_url(article),
        reverse("admin:articles_article_revisions", args=[article.pk]),
        reverse("admin:authors_author_changelist"),
        reverse("admin:password_change"),
        f"{reverse('admin:autocomplete')}?app_label=articles&model_name=article&field_name=author",
        reverse("admin:view_on_site", args=[1, article.pk]),
    ]


# Who must give a code


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_an_unverified_editor_or_superuser_reaches_no_admin_page(client, required, editor, role):
    user = editor if role == "editor" else make_user("root", is_superuser=True)
    client.force_login(user)

    responses = {url: client.get(url) for url in admin_pages()}

    assert {url: sent_to_two_factor(response) for url, response in responses.items()} == dict.fromkeys(
        responses, True
    )


def test_an_unverified_editor_may_still_log_out(client, required, editor):
    client.force_login(editor)

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_unverified_editor_is_sent_on_to_set_up_and_back_where_they_were_going(client, required, editor):
    client.force_login(editor)
    url = reverse("admin:articles_article_changelist")

    response = client.get(url)

    assert response.url == f"{reverse('admin:two_factor')}?next={url.replace('/', '%2F')}"
    page = client.get(response.url)
    assert page.status_code == 200 and 'class="qr-code"' in page.content.decode()


def test_an_author_without_a_device_uses_the_admin_without_a_code(client, required, author_user):
    client.force_login(author_user)

    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_with_two_factor_not_required_an_editor_without_a_device_logs_in_with_a_password(
    client, settings, editor
):
    settings.TWO_FACTOR_REQUIRED_FOR_EDITORS = False

    response = log_in(client, "ed")

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def setting_in(**env):
    return settings_in_new_process(
        "settings.TWO_FACTOR_REQUIRED_FOR_EDITORS", SECRET_KEY="x" * 50, **env
    ).stdout


def test_two_factor_is_required_of_editors_unless_debug_or_turned_off():
    assert setting_in(DEBUG="0").strip() == "True"
    assert setting_in(DEBUG="1").strip() == "False"  # make run: the demo logins need no device
    assert setting_in(DEBUG="0", TWO_FACTOR_REQUIRED="0").strip() == "False"


# Setting up an authenticator app


def test_an_editor_sets_up_an_app_and_then_reaches_the_admin(client, required, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    html = page.content.decode()
    assert 'class="qr-code"><svg' in html and two_factor.key_text(device) in html

    response = client.post(reverse("admin:two_factor"), {"action": "confirm", "code": code_from(device)})

    codes = re.findall(r"<code>([a-z2-7]{8})</code>", response.content.decode())
    assert response.status_code == 200 and len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)) == set(codes)
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    assert not re.findall(r"[a-z2-7]{8}</code>", client.get(reverse("admin:two_factor")).content.decode())


def test_a_wrong_first_code_does_not_turn_two_factor_on(client, required, editor):
    client.force_login(editor)
    client.get(reverse("admin:two_factor"))
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(reverse("admin:two_factor"), {"action": "confirm", "code": wrong_code(device)})

    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.get(user=editor).confirmed
    assert sent_to_two_factor(client.get(reverse("admin:index")))


def test_an_unverified_session_cannot_replace_an_existing_app(client, required, editor):
    device = app_for(editor)
    client.force_login(editor)

    client.post(reverse("admin:two_factor"), {"action": "start"})

    assert list(TOTPDevice.objects.filter(user=editor)) == [device]
    page = client.get(reverse("admin:two_factor")).content.decode()
    assert 'class="qr-code"' not in page and 'value="verify"' in page


def test_an_unverified_session_proves_itself_with_a_code(client, required, editor):
    device = app_for(editor)
    client.force_login(editor)

    response = client.post(reverse("admin:two_factor"), {"action": "verify", "code": code_from(device)})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


# Logging in with a code


def test_the_login_page_asks_for_the_code(client, db):
    html = client.get(reverse("admin:login")).content.decode()

    assert 'name="otp_token"' in html and "Two-factor code" in html


def test_a_login_with_a_device_needs_the_right_code(client, required, editor):
    device = app_for(editor)

    without = log_in(client, "ed")
    wrong = log_in(client, "ed", wrong_code(device))

    assert (
        without.status_code == 200
        and "Enter the code from your authenticator app" in without.content.decode()
    )
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    right_at_once = log_in(client, "ed", code_from(device))
    assert right_at_once.status_code == 200 and "wait a moment" in right_at_once.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # as after the wait (one second after one wrong code, doubling with each)
    assert log_in(client, "ed", code_from(device)).status_code == 302
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200


def test_an_author_who_opted_in_needs_the_code_too(client, author_user):
    device = app_for(author_user)

    assert log_in(client, "writer").status_code == 200
    assert "_auth_user_id" not in client.session
    assert log_in(client, "writer", code_from(device)).status_code == 302


def test_a_recovery_code_works_once(client, required, editor):
    app_for(editor)
    code = recovery_codes_for(editor)[0]

    first = log_in(client, "ed", code.upper())
    assert first.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    second = log_in(client, "ed", code)

    assert second.status_code == 200 and "_auth_user_id" not in client.session
    assert StaticToken.objects.filter(device__user=editor).count() == 1


def test_someone_elses_code_does_not_log_in(client, required, editor):
    other = make_user("other", "Editor")
    app_for(editor)
    other_codes = recovery_codes_for(other)

    assert log_in(client, "ed", other_codes[0]).status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_verified_editor_makes_new_recovery_codes_and_the_old_ones_stop_working(client, required, editor):
    device = app_for(editor)
    old = recovery_codes_for(editor)
    log_in(client, "ed", code_from(device))

    response = client.post(reverse("admin:two_factor"), {"action": "codes"})

    new = re.findall(r"<code>([a-z2-7]{8})</code>", response.content.decode())
    assert len(new) == 10 and not set(old) & set(new)
    assert not StaticToken.objects.filter(token__in=old).exists()


def test_a_verified_editor_moves_to_a_new_app(client, required, editor):
    old_app = app_for(editor)
    log_in(client, "ed", code_from(old_app))

    client.post(reverse("admin:two_factor"), {"action": "start"})
    new_app = TOTPDevice.objects.get(user=editor, confirmed=False)
    client.post(reverse("admin:two_factor"), {"action": "confirm", "code": code_from(new_app)})

    assert list(TOTPDevice.objects.filter(user=editor)) == [new_app]
    assert TOTPDevice.objects.get(pk=new_app.pk).confirmed
