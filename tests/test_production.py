"""Production mode: deploy checks pass, HTTPS is enforced behind the proxy, security headers and a
script-free CSP, an honest health check, friendly error pages, and hashed static files."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from replies.models import Reply
from tests.admin.conftest import change_url, make_user
from tests.factories import make_article, make_author, make_tag

ROOT = Path(__file__).resolve().parent.parent
DEAD_REDIS = {
    "default": {
        "BACKEND": "pagecache.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
HTTPS = {"x-forwarded-proto": "https"}  # what the TLS-terminating load balancer adds


@pytest.fixture
def article(db):
    article = make_article(
        "Gentle stretching", author=make_author("Calm Fern"), tags=[make_tag("Exercise")], summary="Slowly."
    )
    Reply.objects.create(article=article, name="R", text="Thank you.", status=Reply.Status.APPROVED)
    return article


@pytest.fixture
def editor_client(db):
    desk = Client()
    desk.force_login(make_user("ed", "Editor", first_name="Erin", last_name="Reviewer"))
    return desk


PUBLIC_PAGES = {
    "home": lambda article: reverse("home"),
    "article list": lambda article: reverse("articles:list"),
    "article": lambda article: article.get_absolute_url(),
    "admin login": lambda article: reverse("admin:login"),
}


# Deploy checks


def test_deploy_check_passes_with_production_settings():
    unset = {"SECRET_KEY", "DEBUG", "TESTING", "SECURE_SSL_REDIRECT", "PAGE_CACHE_SECONDS", "ALLOWED_HOSTS"}
    env = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("SECURE_")}
    env.update(SECRET_KEY=secrets.token_urlsafe(60), DEBUG="0", ALLOWED_HOSTS="fibro.example")

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
    assert "WARNING" not in output


# HTTPS behind the load balancer


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/articles/?page=1")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/articles/?page=1"


@pytest.mark.django_db
def test_https_reported_by_the_load_balancer_is_served(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/", headers=HTTPS)

    assert response.status_code == 200


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz")

    assert response.status_code == 200


# Security headers and no inline script


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_pages_carry_the_security_headers(client, settings, article, page):
    settings.SECURE_HSTS_SECONDS = 31536000

    response = client.get(PUBLIC_PAGES[page](article), headers=HTTPS)

    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_hsts_is_only_sent_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000

    assert not client.get("/").has_header("Strict-Transport-Security")


DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def inline_code(html):
    """The inline scripts and inline event handlers in `html`: what a script-src 'self' CSP blocks."""
    soup = BeautifulSoup(html, "html.parser")
    found = [
        str(script)[:120]
        for script in soup.find_all("script")
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES
    ]
    found += [
        f"<{tag.name} {name}=…>"
        for tag in soup.find_all(True)
        for name in tag.attrs
        if name.lower().startswith("on")
    ]
    return found


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_have_no_inline_script(client, article, page):
    response = client.get(PUBLIC_PAGES[page](article))

    assert response.status_code == 200
    assert inline_code(response.content) == []


def test_the_article_page_describes_itself_in_json_ld_data(client, article):
    soup = BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")

    assert soup.find("script", {"type": "application/ld+json"}) is not None


ADMIN_PAGES = {
    "index": lambda article: reverse("admin:index"),
    "article list": lambda article: reverse("admin:articles_article_changelist"),
    "article form": lambda article: change_url(article),
    "new article": lambda article: reverse("admin:articles_article_add"),
    "new topic": lambda article: reverse("admin:articles_tag_add"),
    "replies": lambda article: reverse("admin:replies_reply_changelist"),
    "two-factor set-up": lambda article: reverse("admin:two_factor"),
}


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_have_no_inline_script(editor_client, article, page):
    response = editor_client.get(ADMIN_PAGES[page](article))

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert inline_code(response.content) == []


# Health check


@pytest.mark.django_db
def test_health_check_reports_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
@pytest.mark.redis
def test_health_check_reports_ok_with_redis(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_health_check_names_the_cache_when_it_is_down(client, settings):
    settings.CACHES = DEAD_REDIS

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}
    assert "127.0.0.1:1" not in response.content.decode()


@pytest.mark.django_db
def test_health_check_names_the_database_when_it_is_down_without_leaking_details(client, settings):
    dsn = "postgres://fibro:hunter2@db.internal/fibro"
    with mock.patch("fibrosite.views.connection") as connection:
        connection.cursor.side_effect = OperationalError(f"could not connect to {dsn}")
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}
    body = response.content.decode()
    for secret in (settings.SECRET_KEY, dsn, "hunter2", str(settings.DATABASES["default"]["NAME"])):
        assert secret not in body
    if os.environ.get("DATABASE_URL"):
        assert os.environ["DATABASE_URL"] not in body


# Error pages


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)  # as a real visitor: the error page, not the exception


@pytest.mark.parametrize("page", ["home", "article list", "article"])
def test_a_database_outage_shows_a_friendly_503_page(visitor, article, page):
    url = PUBLIC_PAGES[page](article)
    outage = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(CursorWrapper, "execute", side_effect=outage):  # every statement fails
        response = visitor.get(url)

    assert response.status_code == 503
    html = response.content.decode()
    assert "back in a moment" in html.lower()
    assert "Personal experience, not medical advice." in html  # the site's own template
    assert int(response["Retry-After"]) > 0
    assert "Traceback" not in html and "Connection refused" not in html and "OperationalError" not in html


@pytest.mark.parametrize("page", ["home", "article list", "article"])
def test_other_errors_show_the_500_page_in_the_sites_template(visitor, article, page):
    url = PUBLIC_PAGES[page](article)
    with mock.patch.object(CursorWrapper, "execute", side_effect=RuntimeError("secret detail")):
        response = visitor.get(url)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Personal experience, not medical advice." in html
    assert "secret detail" not in html and "Traceback" not in html
    assert not response.has_header("Retry-After")


# Static files


def test_pages_link_hashed_static_files_served_with_long_cache_headers(client, settings, article, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False  # as in production: only what collectstatic wrote
    call_command("collectstatic", interactive=False, verbosity=0)

    html = client.get("/").content.decode()

    css = re.findall(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    assert css, "the page should link the hashed site.css"
    assert re.search(r'src="/static/js/reading\.[0-9a-f]{12}\.js"', html)
    served = client.get(css[0])
    assert served.status_code == 200
    assert "max-age=315360000" in served["Cache-Control"] and "immutable" in served["Cache-Control"]
    assert b"".join(served.streaming_content)


@pytest.mark.django_db
def test_health_check_says_the_cache_is_off_when_it_is_turned_off(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }  # CACHE_DISABLED=1

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "off"}
