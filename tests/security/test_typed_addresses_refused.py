"""Payloads typed where an address goes are refused by the admin's own forms, with a form error that
keeps what was typed: an article's, a topic's or an author's slug, and a source's URL."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils.html import escape

from articles.models import Article, Source, Tag
from authors.models import Author
from tests.factories import make_author
from tests.security.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db

SLUG_PAYLOADS = [p for p in PAYLOADS if p.context in ("html", "attribute", "address")][::4]
ADDRESS_PAYLOADS = [
    "javascript:window.__xss=57",
    "JaVaScRiPt:alert('xss-14')",
    "data:text/html,<script>window.__xss=17</script>",
    "vbscript:msgbox('xss-19')",
    ' javascript:window.__xss=15"',
]


@pytest.fixture
def editor_client(client, db):
    editor = User.objects.create_user("slug-editor", "slug-editor@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    return client


def form_data(html):
    """What a browser would send for the page's main form as it stands (before the user types)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=lambda i: i and i.endswith("_form"))
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            data[name] = [o.get("value", "") for o in field.find_all("option", selected=True)]
        else:
            data[name] = field.get("value", "")
    return data


def submit(client, url, **typed):
    data = {**form_data(client.get(url).content.decode()), **typed}
    return client.post(url, data)


def assert_refused(response, field, typed):
    """A form error on `field`, with the typed text shown back (escaped) for correcting."""
    assert response.status_code == 200, "the form was accepted"
    assert field in response.context["adminform"].form.errors
    assert escape(typed) in response.content.decode()


@pytest.mark.parametrize("payload", SLUG_PAYLOADS, ids=[f"payload-{p.number}" for p in SLUG_PAYLOADS])
def test_an_article_slug_with_markup_is_refused(editor_client, payload):
    author = make_author("Slug Tester")
    url = reverse("admin:articles_article_add")

    response = submit(
        editor_client, url, title="Plain title", slug=payload.text, author=author.pk, body="Text."
    )

    assert_refused(response, "slug", payload.text)
    assert not Article.objects.exists()


@pytest.mark.parametrize("payload", SLUG_PAYLOADS, ids=[f"payload-{p.number}" for p in SLUG_PAYLOADS])
def test_a_topic_slug_with_markup_is_refused(editor_client, payload):
    response = submit(editor_client, reverse("admin:articles_tag_add"), name="Plain topic", slug=payload.text)

    assert_refused(response, "slug", payload.text)
    assert not Tag.objects.filter(name="Plain topic").exists()


@pytest.mark.parametrize("payload", SLUG_PAYLOADS, ids=[f"payload-{p.number}" for p in SLUG_PAYLOADS])
def test_an_author_slug_with_markup_is_refused(editor_client, payload):
    response = submit(
        editor_client, reverse("admin:authors_author_add"), pseudonym="Plain Pen", slug=payload.text
    )

    assert_refused(response, "slug", payload.text)
    assert not Author.objects.filter(pseudonym="Plain Pen").exists()


@pytest.mark.parametrize("address", ADDRESS_PAYLOADS)
def test_a_source_address_that_would_run_script_is_refused(editor_client, address):
    author = make_author("Source Tester")
    url = reverse("admin:articles_article_add")

    response = submit(
        editor_client,
        url,
        title="Plain title",
        author=author.pk,
        body="Text.",
        **{"sources-0-title": "A study", "sources-0-url": address},
    )

    assert response.status_code == 200, "the source was accepted"
    sources = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "sources")
    assert sources.formset.errors[0].get("url")
    assert escape(address) in response.content.decode()
    assert not Source.objects.exists()
