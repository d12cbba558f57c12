"""Two people editing one article: the second save is refused, shows what changed, keeps their text."""

import pytest

from articles.models import Article
from articles.revisions import record_revision
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_opened(client, editor):
    """An article that two editors opened at version 1; the first has just saved a change."""
    article = make_article("Shared", body="Original paragraph.", status=Article.Status.DRAFT)
    record_revision(article, editor, "Created")
    opened_by_second = form_data(article)
    client.force_login(editor)
    assert (
        client.post(change_url(article), form_data(article, body="First editor's paragraph.")).status_code
        == 302
    )
    return article, opened_by_second


def test_second_save_is_refused_and_changes_nothing(client, both_opened):
    article, opened = both_opened
    client.force_login(make_user("second", "Editor"))
    response = client.post(change_url(article), {**opened, "body": "Second editor's paragraph."})
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.body, article.version) == ("First editor's paragraph.", 2)


def test_refusal_names_who_saved_and_keeps_the_second_editors_text(client, both_opened):
    article, opened = both_opened
    client.force_login(make_user("second", "Editor"))
    html = client.post(
        change_url(article), {**opened, "title": "My new title", "body": "Second text."}
    ).content.decode()
    assert "Erin Reviewer saved this article while you were editing it" in html  # a name, not the login
    assert "Second text." in html and 'value="My new title"' in html


def test_refusal_shows_what_the_other_editor_changed(client, both_opened):
    article, opened = both_opened
    client.force_login(make_user("second", "Editor"))
    response = client.post(change_url(article), {**opened, "body": "Second text."})
    changes = {label: str(html) for label, _, html in response.context["conflict"]}
    assert changes == {"Body": "<del>Original paragraph.</del>\n<ins>First editor&#x27;s paragraph.</ins>"}


def test_saving_again_after_reading_the_changes_succeeds(client, both_opened):
    article, opened = both_opened
    client.force_login(make_user("second", "Editor"))
    refused = client.post(change_url(article), {**opened, "body": "Merged text."})
    resubmitted = refused.context["adminform"].form.data.copy()
    assert resubmitted["base_version"] == 2
    assert client.post(change_url(article), resubmitted).status_code == 302
    article.refresh_from_db()
    assert (article.body, article.version) == ("Merged text.", 3)


def test_a_workflow_step_on_a_stale_form_is_refused_too(client, both_opened, editor):
    article, opened = both_opened
    response = client.post(change_url(article), {**opened, "_transition": "publish"})
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
