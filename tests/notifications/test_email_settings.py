"""E-mail goes to the console under `make run` and to the SMTP server EMAIL_URL names in production."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from fibrosite.settings import email_server
from tests.settings_process import settings_in_new_process


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://localhost:25", ("localhost", 25, "", "", False, False)),
        ("smtp+tls://desk%40fibro.example:p%3Ass%2Fw@mail.example:2525", ("mail.example", 2525, "desk@fibro.example", "p:ss/w", True, False)),
        ("smtp+tls://u:p@mail.example", ("mail.example", 587, "u", "p", True, False)),
        ("smtps://u:p@mail.example", ("mail.example", 465, "u", "p", False, True)),
    ],
)  # fmt: skip
def test_email_url_names_the_smtp_server(url, expected):
    assert email_server(url) == expected


def test_an_unknown_scheme_is_refused_with_a_message():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with smtp://"):
        email_server("http://mail.example")


def mail_settings(**env):
    printed = "settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT"
    return settings_in_new_process(printed, SECRET_KEY="x" * 50, **env).stdout


def test_make_run_prints_mail_and_production_sends_it_by_smtp():
    assert mail_settings(DEBUG="1").split()[0] == "django.core.mail.backends.console.EmailBackend"
    assert mail_settings(EMAIL_URL="smtp+tls://u:p@mail.example").split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example",
        "587",
    ]
