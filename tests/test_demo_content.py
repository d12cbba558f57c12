"""`make run` loads the demo content once, never twice, and creates logins only with DEBUG on."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Tag
from authors.models import Author


def public_titles(client, *tags):
    query = "&".join(f"tag={tag}" for tag in tags)
    response = client.get(f"{reverse('articles:list')}?{query}")
    return {article.title for article in response.context["object_list"]}


def test_loading_twice_duplicates_nothing(demo):
    counts = (Article.objects.count(), Author.objects.count(), Tag.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Article.objects.count(), Author.objects.count(), Tag.objects.count()) == counts


def test_loading_again_keeps_an_editors_changes(demo):
    Article.objects.filter(slug="botox-injections-for-fibromyalgia").update(title="Edited title")
    call_command("load_demo", verbosity=0)
    assert Article.objects.get(slug="botox-injections-for-fibromyalgia").title == "Edited title"


def test_demo_has_enough_published_articles_and_authors(demo):
    published = Article.objects.published()
    assert published.count() >= 7
    assert published.values("author").distinct().count() >= 4


def test_demo_has_one_draft_and_one_scheduled_article_the_public_cannot_see(client, demo):
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    statuses = sorted(article.status for article in hidden)
    assert statuses == ["draft", "published"]  # the published one is scheduled for later
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_filtering_by_one_two_and_three_tags_gives_different_nonempty_results(client, demo):
    one = public_titles(client, "non-medication")
    two = public_titles(client, "non-medication", "pain-relief")
    three = public_titles(client, "non-medication", "pain-relief", "exercise")
    assert one > two > three > set()


def test_seed_article_is_the_newest(client, demo):
    latest = client.get(reverse("home")).context["latest"]
    assert latest[0].title == "Botox Injections for Fibromyalgia"


def test_logins_are_created_with_debug_on(demo, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "'editor'" in output and "'author'" in output
    editor = User.objects.get(username="editor")
    author = User.objects.get(username="author")
    assert editor.is_staff and editor.groups.filter(name="Editor").exists()
    assert author.author_profile.pseudonym == "Fibro Warrior"
    assert author.check_password("fibro-author-demo")


def test_no_login_is_created_with_debug_off(demo, settings):
    settings.DEBUG = False
    call_command("load_demo", verbosity=0)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_roles_exist_in_every_new_database():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Editor", "Author"}
    assert Group.objects.get(name="Editor").permissions.filter(codename="change_article").exists()
