"""Editors curate topics (rename, merge with redirects) and take authors down on request."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Article, Tag
from authors.models import Author
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return {name: make_tag(name) for name in ("sleep", "insomnia", "rest")}


def merge(client, tags, target):
    return client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_topics", "_selected_action": [t.pk for t in tags], "target": target.pk},
    )


def test_merge_asks_which_topic_to_keep_first(client, editor, topics):
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_topics", "_selected_action": [topics["sleep"].pk, topics["insomnia"].pk]},
    )
    assert "Keep which topic?" in response.content.decode()
    assert Tag.objects.count() == 3


def test_merge_keeps_every_topic_of_every_article_without_duplicates(client, editor, topics):
    both = make_article("Both", tags=[topics["sleep"], topics["insomnia"]])
    only_old = make_article("Only insomnia", tags=[topics["insomnia"], topics["rest"]])
    client.force_login(editor)
    merge(client, [topics["sleep"], topics["insomnia"]], target=topics["sleep"])
    assert sorted(both.tags.names()) == ["sleep"]
    assert sorted(only_old.tags.names()) == ["rest", "sleep"]
    assert not Tag.objects.filter(name="insomnia").exists()


def test_merged_topic_address_redirects_to_the_kept_one(client, editor, topics):
    make_article(tags=[topics["insomnia"], topics["sleep"]])
    client.force_login(editor)
    merge(client, [topics["sleep"], topics["insomnia"]], target=topics["sleep"])
    client.logout()
    response = client.get(reverse("articles:tag", kwargs={"slug": "insomnia"}))
    assert response.status_code == 301
    assert response["Location"] == topics["sleep"].get_absolute_url()


def test_merging_twice_keeps_the_first_redirect_working(client, editor, topics):
    make_article(tags=[topics["rest"]])
    client.force_login(editor)
    merge(client, [topics["sleep"], topics["insomnia"]], target=topics["insomnia"])
    merge(client, [topics["insomnia"], topics["rest"]], target=topics["rest"])
    response = client.get(reverse("articles:tag", kwargs={"slug": "sleep"}))
    assert response["Location"] == topics["rest"].get_absolute_url()


def test_renaming_a_topics_address_redirects_the_old_one(client, editor, topics):
    make_article(tags=[topics["sleep"]])
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_tag_change", args=[topics["sleep"].pk]),
        {"name": "Sleep and rest", "slug": "sleep-and-rest", "description": "Nights."},
    )
    assert response.status_code == 302
    assert client.get(reverse("articles:tag", kwargs={"slug": "sleep"}))["Location"].endswith(
        "/sleep-and-rest/"
    )


def test_an_author_cannot_merge_topics(client, author_user, topics):
    client.force_login(author_user)
    merge(client, [topics["sleep"], topics["insomnia"]], target=topics["sleep"])
    assert Tag.objects.count() == 3


@pytest.fixture
def writer(author_user):
    author = author_user.author_profile
    author.bio = "I live by the sea."
    author.save()
    make_article("Kept story", author=author)
    return author


def take_down(client, author, articles):
    return client.post(
        reverse("admin:authors_author_changelist"),
        {"action": "take_down", "_selected_action": [author.pk], "articles": articles},
    )


def test_takedown_keeping_articles_shows_them_under_a_neutral_name(client, editor, writer):
    old_url = writer.get_absolute_url()
    client.force_login(editor)
    take_down(client, writer, "keep")
    writer.refresh_from_db()
    assert writer.pseudonym == f"Former author {writer.pk}"
    assert (writer.bio, writer.user, bool(writer.avatar)) == ("", None, False)
    client.logout()
    assert client.get(old_url).status_code == 404
    article = Article.objects.get(title="Kept story")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Former author" in html and "Own Pen" not in html


def test_takedown_can_unpublish_the_articles(client, editor, writer):
    client.force_login(editor)
    take_down(client, writer, "unpublish")
    article = Article.objects.get(title="Kept story")
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_takedown_is_recorded_in_the_admin_log(client, editor, writer):
    client.force_login(editor)
    take_down(client, writer, "keep")
    entry = LogEntry.objects.get(object_id=str(writer.pk), content_type__model="author")
    assert "Taken down on request" in entry.get_change_message()
    assert entry.user == editor


def test_an_author_cannot_take_anyone_down(client, author_user, writer):
    other = make_author("Someone Else")
    client.force_login(author_user)
    take_down(client, other, "keep")
    take_down(client, writer, "keep")
    assert set(Author.objects.values_list("pseudonym", flat=True)) == {"Own Pen", "Someone Else"}


def test_takedown_needs_the_right_to_unpublish_too(client, writer):
    manager = make_user("manager")
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_author", "change_author", "manage_authors"])
    )
    client.force_login(manager)
    response = take_down(client, writer, "unpublish")
    assert response.status_code in (200, 302)
    writer.refresh_from_db()
    assert writer.pseudonym == "Own Pen" and Article.objects.get(title="Kept story").status == "published"
