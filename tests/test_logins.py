"""Admin logins are throttled: a few wrong passwords for one login from one address lock that pair for a
short while, with a clear page; nobody else is locked out, and a right password starts the count again."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from tests.admin.conftest import make_user

ATTACKER, OFFICE, PROXY = "203.0.113.66", "198.51.100.7", "10.0.0.2"


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor")


def log_in(client, username, password, address=ATTACKER, **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        headers=headers,
    )


def logged_in(response):
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def fail(client, times, username="ed", address=ATTACKER, **headers):
    for _ in range(times):
        assert log_in(client, username, "wrong", address, **headers).status_code in (200, 429)


def test_twelve_wrong_passwords_then_the_right_one_does_not_log_in(client, editor):
    fail(client, 12)

    response = log_in(client, "ed", "pw")

    assert not logged_in(response)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_limit_is_five_wrong_passwords(client, editor):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert logged_in(log_in(client, "ed", "pw"))

    client.logout()
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "ed", "pw").status_code == 429


def test_a_locked_login_gets_a_clear_page_in_the_admin_look(client, editor):
    fail(client, settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "ed", "pw")

    html = response.content.decode()
    assert response.status_code == 429
    assert (
        "Too many failed attempts for this account from here; try again in 15 minutes or reset your password."
        in html
    )
    assert reverse("admin_password_reset") in html
    assert 'id="site-name"' in html  # the admin's header


def test_a_stranger_cannot_lock_an_editor_out_from_elsewhere(client, editor):
    fail(client, 20, address=ATTACKER)

    assert logged_in(log_in(client, "ed", "pw", address=OFFICE))


def test_a_locked_address_may_still_log_in_as_someone_else(client, editor):
    make_user("colleague", "Editor")
    fail(client, 20, username="ed", address=OFFICE)

    assert logged_in(log_in(client, "colleague", "pw", address=OFFICE))


def test_the_lock_ends_after_the_cool_off(client, editor):
    fail(client, 12)
    assert log_in(client, "ed", "pw").status_code == 429

    earlier = AccessAttempt.objects.get(username="ed").attempt_time - settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=earlier - timedelta(seconds=1))

    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert logged_in(log_in(client, "ed", "pw"))


def test_a_right_password_starts_the_count_again(client, editor):
    fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert logged_in(log_in(client, "ed", "pw"))
    client.logout()

    fail(client, settings.AXES_FAILURE_LIMIT - 1)

    assert logged_in(log_in(client, "ed", "pw"))


def test_a_forged_forwarded_for_header_does_not_give_new_tries(client, editor):
    for number in range(12):
        log_in(client, "ed", "wrong", ATTACKER, x_forwarded_for=f"192.0.2.{number}")

    assert log_in(client, "ed", "pw", ATTACKER, x_forwarded_for="192.0.2.200").status_code == 429


def test_behind_a_trusted_proxy_each_client_counts_for_itself(client, editor, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    fail(client, 12, address=PROXY, x_forwarded_for=ATTACKER)

    assert log_in(client, "ed", "pw", PROXY, x_forwarded_for=ATTACKER).status_code == 429
    assert logged_in(log_in(client, "ed", "pw", PROXY, x_forwarded_for=OFFICE))
