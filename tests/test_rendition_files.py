"""Renditions and share images never outlive their picture: replacing, clearing or deleting it, or
taking its author down, deletes them once committed; the orphan command finds those no row leads
to; they are served only to those who may see their article or author."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from authors.renditions import renditions
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_draft
from tests.sample_pictures import picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def files_of(picture_name, width=None, height=None):
    """The picture's renditions (hero size given) as stored names."""
    return [r.name for sized in renditions(picture_name, width, height).values() for r in sized]


def hero_upload(colour="teal"):
    return upload(picture("JPEG", (1000, 500), colour=colour), "a.jpg")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_replacing_a_hero_deletes_its_renditions_and_makes_the_new_ones(committed):
    with committed():
        article = make_article(hero_image=hero_upload(), hero_alt="x")
    old = files_of(article.hero_image.name, 1000, 500)
    old_card = Article.objects.get(pk=article.pk).share_image.name
    assert old and all(default_storage.exists(name) for name in [*old, old_card])
    with committed():
        article.hero_image = hero_upload("red")
        article.save()
    article.refresh_from_db()
    assert not any(default_storage.exists(name) for name in [*old, old_card])
    assert all(default_storage.exists(name) for name in files_of(article.hero_image.name, 1000, 500))
    assert default_storage.exists(article.share_image.name)


def test_clearing_a_hero_deletes_its_renditions_and_draws_a_card(committed):
    with committed():
        article = make_article(hero_image=hero_upload(), hero_alt="x")
    old = files_of(article.hero_image.name, 1000, 500)
    with committed():
        article.hero_image = ""
        article.save()
    article.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    assert article.share_image and default_storage.exists(article.share_image.name)


def test_deleting_an_article_deletes_its_hero_renditions_and_card(committed):
    with committed():
        article = make_article(hero_image=hero_upload(), hero_alt="x")
    article.refresh_from_db()
    every = [article.hero_image.name, article.share_image.name, *files_of(article.hero_image.name, 1000, 500)]
    with committed():
        article.delete()
    assert not any(default_storage.exists(name) for name in every)


def test_replacing_an_avatar_deletes_its_squares(committed):
    with committed():
        author = make_author(avatar=upload(picture("JPEG", (200, 200)), "me.jpg"))
    old = files_of(author.avatar.name)
    with committed():
        author.avatar = upload(picture("JPEG", (200, 200), colour="red"), "me.jpg")
        author.save()
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in files_of(author.avatar.name))


def test_takedown_deletes_the_avatars_squares_and_the_cards_naming_the_pseudonym(client, committed):
    with committed():
        author = make_author("Leaving Pen", avatar=upload(picture("JPEG", (200, 200)), "me.jpg"))
        kept = make_article(author=author)
        unpublished = make_article(author=author)
    squares = files_of(author.avatar.name)
    cards = list(Article.objects.filter(author=author).values_list("share_image", flat=True))
    client.force_login(make_user("ed", "Editor"))
    with committed():
        client.post(
            reverse("admin:authors_author_changelist"),
            {"action": "take_down", "_selected_action": [author.pk], "articles": "unpublish"},
        )
    assert not any(default_storage.exists(name) for name in [*squares, *cards])
    assert not Article.objects.get(pk=unpublished.pk).share_image
    assert not Article.objects.get(pk=kept.pk).share_image  # both were unpublished


def test_a_kept_article_of_a_taken_down_author_gets_a_card_with_the_neutral_name(client, committed):
    with committed():
        author = make_author("Leaving Pen")
        article = make_article(author=author)
    old = Article.objects.get(pk=article.pk).share_image.name
    client.force_login(make_user("ed", "Editor"))
    with committed():
        client.post(
            reverse("admin:authors_author_changelist"),
            {"action": "take_down", "_selected_action": [author.pk], "articles": "keep"},
        )
    new = Article.objects.get(pk=article.pk).share_image.name
    assert new != old and default_storage.exists(new) and not default_storage.exists(old)


def aged(name, hours=2):
    then = time.time() - hours * 3600
    os.utime(default_storage.path(name), (then, then))
    return name


def test_the_orphan_command_finds_renditions_and_cards_no_row_leads_to(media_root, committed, capsys):
    with committed():
        article = make_article(hero_image=hero_upload(), hero_alt="x")
    article.refresh_from_db()
    kept = [article.hero_image.name, article.share_image.name, *files_of(article.hero_image.name, 1000, 500)]
    for name in kept:
        aged(name)
    left = [
        aged(default_storage.save(name, ContentFile(picture())))
        for name in ("articles/0123abcd/480x240.webp", "cards/0123abcd.jpg", "avatars/f0/0123abcd/48x48.jpg")
    ]
    call_command("delete_orphan_pictures", "--dry-run")
    out = capsys.readouterr().out
    assert sorted(out.split()[:3]) == sorted(left) and "3 file(s) would be deleted." in out
    assert all(default_storage.exists(name) for name in left)
    call_command("delete_orphan_pictures")
    assert "3 file(s) deleted." in capsys.readouterr().out
    assert not any(default_storage.exists(name) for name in left)
    assert all(default_storage.exists(name) for name in kept)


@pytest.mark.parametrize("extension", ["webp", "jpg"])
def test_a_drafts_renditions_are_served_to_its_previewers_only(client, committed, extension):
    with committed():
        article = make_draft(hero_image=hero_upload(), hero_alt="x")
    rendition = renditions(article.hero_image.name, 1000, 500)[extension][0].name
    url = default_storage.url(rendition)
    assert client.get(url).status_code == 404
    client.force_login(make_user("ed", "Editor"))
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == f"image/{'jpeg' if extension == 'jpg' else 'webp'}"


def test_a_published_articles_renditions_are_public(client, committed):
    with committed():
        article = make_article(hero_image=hero_upload(), hero_alt="x")
    url = default_storage.url(renditions(article.hero_image.name, 1000, 500)["webp"][0].name)
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=86400"
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get(url).status_code == 404


def test_a_private_authors_avatar_squares_are_404(client, committed):
    with committed():
        author = make_author(avatar=upload(picture("JPEG", (200, 200)), "me.jpg"))
        make_draft(author=author)
    assert client.get(default_storage.url(files_of(author.avatar.name)[0])).status_code == 404


def test_a_rendition_of_a_hero_stored_as_jpeg_before_names_were_chosen_is_served(client):
    make_article(hero_image="articles/legacy.jpeg", hero_width=960, hero_height=480, hero_alt="x")
    name = default_storage.save("articles/legacy/480x240.jpg", ContentFile(picture("JPEG")))
    assert client.get(default_storage.url(name)).status_code == 200
