"""In a real browser, under the site's Content-Security-Policy: the admin's scripts work and the
public pages show what readers need."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from tests.factories import make_article, make_tag

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def editor_page(page, live_server):
    user = User.objects.create_user("ed", "ed@example.org", "pw-in-browser", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw-in-browser")
    page.click("input[type=submit]")
    return page


def test_slug_is_filled_from_the_title_as_the_editor_types(editor_page, live_server):
    editor_page.goto(f"{live_server.url}/admin/articles/article/add/")
    editor_page.type("#id_title", "Warm baths at night")
    assert editor_page.input_value("#id_slug") == "warm-baths-at-night"
    assert editor_page.blocked == []


def test_topics_are_found_by_autocomplete(editor_page, live_server):
    make_tag("sleep")
    make_tag("diet")
    article = make_article("Nights", tags=[])
    editor_page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    editor_page.click(".field-tags .select2-selection")
    editor_page.keyboard.type("sle")
    expect(editor_page.locator(".select2-results__option")).to_have_text(["sleep"])  # waits for the answer
    assert editor_page.blocked == []


def test_reader_sees_the_article_with_its_contents_and_reply_form(page, live_server):
    article = make_article("Gentle stretching", body="## Morning\n\nSlowly.\n\n## Evening\n\nSlower.")
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Gentle stretching"
    assert page.locator("nav.toc a").all_inner_texts() == ["Morning", "Evening"]
    assert page.locator("#reply-form textarea").is_visible()
    honeypot = page.locator("#reply-form input[name=website]").bounding_box()
    assert honeypot["x"] + honeypot["width"] < 0  # off-screen: people never fill it in, bots do
    assert page.blocked == []
