"""In Chromium, under the CSP: the article form's toolbar formats the selection, the preview shows what
readers will get with a word count, and work left unsaved comes back after the tab is closed."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article
from authors.models import Author
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_toolbar_preview_count_and_autosave_restore(chromium, log_in, live_server):
    user = User.objects.create_user("writer", "writer@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Author"))
    pen = Author.objects.create(pseudonym="Own Pen", user=user)
    draft = make_article("My draft", author=pen, status=Article.Status.DRAFT, body="Saved text.")
    versions = Version.objects.count()
    change = f"{live_server.url}{reverse('admin:articles_article_change', args=[draft.pk])}"

    page = log_in(user)
    page.goto(change)
    body = page.locator("#id_body")
    body.fill("I tried warm water")
    body.press("Control+a")
    page.get_by_role("button", name="Bold (Ctrl+B)").click()
    expect(body).to_have_value("**I tried warm water**")
    preview = page.locator(".writing-preview-body")
    expect(preview.locator("strong")).to_have_text("I tried warm water")
    expect(page.locator(".writing-count")).to_have_text("4 words · about 1 min read")
    body.press("End")
    body.type("\n\n<script>alert(1)</script>")
    expect(page.locator(".writing-count")).to_have_text("4 words · about 1 min read")
    assert preview.locator("script").count() == 0
    expect(page.locator(".writing-status")).to_contain_text("Your unsaved work is kept", timeout=12_000)
    page.close()

    again = log_in(user)
    again.goto(change)
    expect(again.locator("#id_body")).to_have_value("Saved text.")
    again.get_by_role("button", name="Restore it").click()
    expect(again.locator("#id_body")).to_have_value("**I tried warm water**\n\n<script>alert(1)</script>")
    draft.refresh_from_db()
    assert draft.body == "Saved text." and Version.objects.count() == versions
    assert again.blocked == []
