"""Every admin save keeps a revision; editors compare any two and restore one as a new revision."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.revisions import record_revision
from tests.admin.conftest import change_url, form_data
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client, editor):
    """An article saved three times in the admin: created, retitled with a new topic, body changed."""
    client.force_login(editor)
    sleep, pain = make_tag("sleep"), make_tag("pain")
    article = make_article(
        "First title", body="Line one\n\nLine two", tags=[sleep], status=Article.Status.DRAFT
    )
    record_revision(article, editor, "Created")
    for changes in (
        {"title": "Second title", "tags": [sleep.pk, pain.pk]},
        {"body": "Line one\n\nLine 2 <b>"},
    ):
        response = client.post(change_url(article), form_data(article, **changes))
        assert response.status_code == 302
    return article


def versions(article):
    return list(Version.objects.get_for_object(article))  # newest first


def revisions_url(article, **query):
    url = reverse("admin:articles_article_revisions", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_each_admin_save_keeps_a_revision_with_who_and_tags(edited, editor):
    newest, middle = versions(edited)[:2]
    assert newest.revision.user == editor
    assert middle.field_dict["title"] == "Second title"
    tagged = [v for v in middle.revision.version_set.all() if v.content_type.model == "taggedarticle"]
    assert len(tagged) == 2


def test_revision_list_shows_every_version(client, edited):
    response = client.get(revisions_url(edited))
    assert response.status_code == 200
    assert [v.revision.comment for v in response.context["versions"]] == ["Changed", "Changed", "Created"]


def test_diff_between_two_revisions_is_readable_and_escaped(client, edited):
    newer, older = versions(edited)[:2]
    html = client.get(revisions_url(edited, a=older.pk, b=newer.pk)).content.decode()
    assert "<del>Line two</del>" in html
    assert "<ins>Line 2 &lt;b&gt;</ins>" in html


def test_diff_shows_topic_changes(client, edited):
    all_versions = versions(edited)
    diff = client.get(revisions_url(edited, a=all_versions[-1].pk, b=all_versions[0].pk)).context["diff"]
    rows = {label: (changed, str(html)) for label, changed, html in diff}
    assert rows["Title"][0] and rows["Topics"][0]
    assert "<del>sleep</del>" in rows["Topics"][1] and "<ins>pain, sleep</ins>" in rows["Topics"][1]


def test_restore_brings_back_content_as_a_new_revision(client, edited):
    before = len(versions(edited))
    oldest = versions(edited)[-1]
    response = client.post(reverse("admin:articles_article_restore", args=[edited.pk, oldest.pk]))
    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.title, edited.body, list(edited.tags.names())) == (
        "First title",
        "Line one\n\nLine two",
        ["sleep"],
    )
    assert len(versions(edited)) == before + 1  # nothing destroyed
    assert "Restored" in versions(edited)[0].revision.comment


def test_restore_keeps_the_workflow_status(client, editor, edited):
    Article.objects.filter(pk=edited.pk).update(status=Article.Status.IN_REVIEW)
    oldest = versions(edited)[-1]
    client.post(reverse("admin:articles_article_restore", args=[edited.pk, oldest.pk]))
    edited.refresh_from_db()
    assert edited.status == Article.Status.IN_REVIEW


def test_restore_needs_a_post(client, edited):
    oldest = versions(edited)[-1]
    client.get(reverse("admin:articles_article_restore", args=[edited.pk, oldest.pk]))
    edited.refresh_from_db()
    assert edited.title == "Second title" and edited.body.endswith("Line 2 <b>")


def test_another_author_cannot_see_or_restore_revisions(client, edited, other_author_user):
    client.force_login(other_author_user)
    assert client.get(revisions_url(edited)).status_code == 404
    oldest = versions(edited)[-1]
    assert (
        client.post(reverse("admin:articles_article_restore", args=[edited.pk, oldest.pk])).status_code == 404
    )
    edited.refresh_from_db()
    assert edited.body.endswith("Line 2 <b>")
