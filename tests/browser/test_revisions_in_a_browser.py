"""In a real browser: each admin save keeps a revision, and an editor compares two of them from the
change form's "Revisions" link."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.admin.conftest import make_user
from tests.factories import make_draft

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def save_with_title(page, title):
    page.get_by_label("Title:", exact=True).fill(title)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_editor_compares_two_saved_versions_and_sees_the_old_and_new_title(log_in, live_server):
    article = make_draft(title="Morning walks")
    editor_page = log_in(make_user("ed", "Editor"))
    editor_page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")
    save_with_title(editor_page, "Short morning walks")
    save_with_title(editor_page, "Slow evening walks")

    editor_page.locator(".object-tools").get_by_role("link", name="Revisions").click()
    editor_page.get_by_role("radio", name="Compare from this version").nth(1).check()  # newest first
    editor_page.get_by_role("radio", name="Compare to this version").nth(0).check()
    editor_page.get_by_role("button", name="Compare selected versions").click()

    title_row = editor_page.locator(".revision-diff tr").filter(
        has=editor_page.locator("th", has_text="Title")
    )
    expect(title_row.locator("del")).to_have_text(["Short morning walks"])
    expect(title_row.locator("ins")).to_have_text(["Slow evening walks"])
    expect(title_row.locator("th")).not_to_contain_text("(same)")
    assert editor_page.blocked == []
