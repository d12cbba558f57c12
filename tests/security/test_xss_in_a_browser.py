"""Once in Chromium: every public page type and the admin article form, with the XSS corpus in every
field, open no dialog, set no `window.__xss`, log no marker and trip no Content-Security-Policy
report (an injected inline script that the policy blocked is still an injection)."""

from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import make_editor
from tests.security.xss_payloads import MARKER_RE, PAYLOADS
from tests.security.xss_site import build_xss_site

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def public_pages(site):
    topic = site.topics[0]
    return [
        reverse("home"),
        reverse("articles:list"),
        f"{reverse('articles:list')}?{urlencode({'tag': [topic.slug, PAYLOADS[0].text]}, doseq=True)}",
        site.showcase.get_absolute_url(),
        site.title_articles[-1].get_absolute_url(),
        reverse("articles:tags"),
        topic.get_absolute_url(),
        reverse("authors:list"),
        site.authors[0].get_absolute_url(),
        f"{reverse('articles:search')}?{urlencode({'q': 'window'})}",
        f"{reverse('articles:search')}?{urlencode({'q': PAYLOADS[26].text})}",
        reverse("articles:detail", args=["placeholder"]).replace("placeholder", quote(PAYLOADS[2].text)),
    ]


def watch(page):
    """Collect the dialogs the page opens (dismissing them) and its console messages."""
    page.dialogs, page.console = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: page.console.append(message.text))
    return page


def injections(page, url):
    page.goto(url)
    found = [f"dialog: {message}" for message in page.dialogs]
    if page.evaluate("typeof window.__xss") != "undefined":
        found.append(f"window.__xss = {page.evaluate('window.__xss')}")
    found += [f"console: {text}" for text in page.console if MARKER_RE.search(text)]
    found += [f"blocked by the policy: {text}" for text in page.blocked]
    page.dialogs.clear(), page.console.clear(), page.blocked.clear()
    return found


def test_no_payload_runs_in_chromium_on_public_pages_or_the_admin_form(
    page, log_in, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    editor = make_editor("xss-browser-editor")
    editor.set_password("pw")
    editor.save()
    site = build_xss_site(Client(), editor)
    reader, editor_page = watch(page), watch(log_in(editor))
    admin_form = reverse("admin:articles_article_change", args=[site.showcase.pk])

    found = {url: injections(reader, f"{live_server.url}{url}") for url in public_pages(site)}
    found[admin_form] = injections(editor_page, f"{live_server.url}{admin_form}")

    assert {url: problems for url, problems in found.items() if problems} == {}
