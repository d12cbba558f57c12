"""In a real browser: an author submits a draft for review with the change form's button, an editor
publishes it, and the public can then read it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.admin.conftest import make_user
from tests.factories import make_author, make_draft

# The live server needs committed data; serialized_rollback keeps the roles the migrations created.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def draft():
    author_user = make_user("writer", "Author")
    return make_draft(title="Warm baths at night", author=make_author("Own Pen", user=author_user))


def open_in_admin(page, live_server, article):
    """The article's change form, reached as people do: from the list of articles."""
    page.goto(f"{live_server.url}{reverse('admin:articles_article_changelist')}")
    page.get_by_role("link", name=article.title, exact=True).click()
    return page.locator(".workflow-state")


def test_author_submits_a_draft_and_an_editor_publishes_it_for_the_public(draft, page, log_in, live_server):
    public_url = f"{live_server.url}{draft.get_absolute_url()}"
    assert page.goto(public_url).status == 404
    author_page = log_in(draft.author.user)
    expect(open_in_admin(author_page, live_server, draft)).to_contain_text("Status: Draft")
    expect(author_page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)  # editors only

    author_page.get_by_role("button", name="Submit for review").click()

    expect(author_page.locator(".messagelist")).to_contain_text("was changed successfully")
    editor_page = log_in(make_user("ed", "Editor"))
    expect(open_in_admin(editor_page, live_server, draft)).to_contain_text("Status: In review")
    editor_page.get_by_role("button", name="Publish", exact=True).click()
    expect(editor_page.locator(".messagelist")).to_contain_text("was changed successfully")
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert page.goto(public_url).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Warm baths at night")
    expect(page.locator(".meta").first).to_contain_text("By Own Pen")
    assert author_page.blocked == editor_page.blocked == page.blocked == []
