"""Every public page type, and the admin pages we template, is valid HTML: the Nu Html Checker
(vnu.jar from the npm registry, run on Debian's Java) reports no error."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article
from articles.views import ArticleListView
from tests.public_pages import load_public_pages

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_html_checker_errors(pages):
    """{page name: [message, ...]} for the errors vnu finds in each {page name: HTML}."""
    java = shutil.which("java")
    assert java and VNU_JAR.exists(), "make test installs Java (Debian) and vnu.jar (npm ci): run it once"
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for name, html in pages.items():
            files[name] = Path(folder) / f"{name}.html"
            files[name].write_text(html)
        checker = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        run = subprocess.run(
            [*checker, *map(str, files.values())],
            capture_output=True,
            text=True,
            timeout=300,
        )
    messages = json.loads(run.stdout)["messages"]
    by_file = {path.name: name for name, path in files.items()}
    errors = {}
    for message in messages:
        page = by_file.get(Path(message.get("url", "")).name, "?")
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine')}: {message['message']} [{message.get('extract', '').strip()}]"
        )
    return errors


def test_the_checker_finds_an_error_when_there_is_one():
    errors = nu_html_checker_errors(
        {"broken": "<!doctype html><html lang=en><title>x</title><p><span aria-label=x>1</span>"}
    )
    assert errors["broken"], "vnu should report aria-label on a plain span"


@pytest.mark.django_db
def test_every_public_page_type_is_valid_html(client):
    pages = {}
    for name, url in load_public_pages().items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), name
        pages[name] = response.content.decode()
    assert nu_html_checker_errors(pages) == {}


@pytest.mark.django_db
def test_the_article_page_with_a_refused_reply_is_valid_html(client):
    url = load_public_pages()["article"]
    response = client.post(url + "reply/", {"name": "", "text": "", "token": "x"})
    assert response.status_code in (200, 400), response.status_code
    assert b"is-invalid" in response.content or b"alert" in response.content
    assert nu_html_checker_errors({"refused-reply": response.content.decode()}) == {}


@pytest.mark.django_db
def test_a_later_page_of_a_list_and_the_error_pages_are_valid_html(client, rf, monkeypatch):
    monkeypatch.setattr(ArticleListView, "paginate_by", 2)
    load_public_pages()
    later_page = client.get(reverse("articles:list") + "?page=2").content.decode()
    assert 'rel="prev"' in later_page and 'rel="next"' in later_page
    pages = {"later-page": later_page}
    for template in ("500.html", "503.html"):
        pages[template.removesuffix(".html")] = render_to_string(template, request=rf.get("/"))
    assert nu_html_checker_errors(pages) == {}


@pytest.mark.django_db
def test_the_admin_article_form_is_valid_html(client):
    pages = load_public_pages()
    editor = User.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    seed = Article.objects.get(slug=pages["article"].strip("/").split("/")[-1])
    forms = {
        "admin-new-article": client.get(reverse("admin:articles_article_add")),
        "admin-article": client.get(reverse("admin:articles_article_change", args=[seed.pk])),
    }
    assert [response.status_code for response in forms.values()] == [200, 200]
    assert nu_html_checker_errors({name: response.content.decode() for name, response in forms.items()}) == {}
