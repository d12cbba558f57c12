"""A picture the site cannot read is a form error in the admin's article and profile forms, which
keep everything else that was typed; nothing is saved and nothing answers 500."""

import pytest
from django.urls import reverse

from articles.models import Article
from authors.images import TOO_MANY_PIXELS, UNREADABLE
from tests.admin.conftest import change_url, form_data
from tests.factories import make_draft
from tests.sample_pictures import UNREADABLE_FILES, picture, png_bomb, upload

pytestmark = pytest.mark.usefixtures("media_root")

FILES = pytest.mark.parametrize("name, content", UNREADABLE_FILES.values(), ids=list(UNREADABLE_FILES))


@FILES
def test_the_article_form_shows_an_unreadable_picture_as_an_error_and_keeps_the_text(
    client, editor, name, content
):
    article = make_draft(title="Pacing")
    client.force_login(editor)
    data = form_data(article, title="A title typed just now", hero_image=upload(content, name))
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hero_image"] == [UNREADABLE]
    assert "A title typed just now" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Pacing"


def test_the_article_form_refuses_a_decompression_bomb(client, editor):
    article = make_draft()
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, hero_image=upload(png_bomb(), "tiny.png")))
    assert response.context["adminform"].form.errors["hero_image"] == [TOO_MANY_PIXELS]


def test_the_article_form_stores_a_good_picture(client, editor):
    article = make_draft()
    client.force_login(editor)
    response = client.post(
        change_url(article),
        form_data(article, hero_image=upload(picture("JPEG"), "a.jpg"), hero_alt="A teal wall"),
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).hero_image.name.endswith(".jpg")


@pytest.mark.parametrize("alt", ["", "   "])
def test_the_article_form_refuses_a_hero_without_a_description(client, editor, alt):
    article = make_draft()
    client.force_login(editor)
    response = client.post(
        change_url(article), form_data(article, hero_image=upload(picture("JPEG"), "a.jpg"), hero_alt=alt)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hero_alt"] == [
        "Describe the picture in a few words, for readers who cannot see it."
    ]
    assert not Article.objects.get(pk=article.pk).hero_image


def test_the_article_form_refuses_to_keep_a_hero_whose_description_is_removed(client, editor):
    article = make_draft(hero_image=upload(picture()), hero_alt="A teal wall")
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, hero_alt=""))
    assert "hero_alt" in response.context["adminform"].form.errors


@FILES
def test_the_profile_form_shows_an_unreadable_picture_as_an_error_and_keeps_the_text(
    client, author_user, name, content
):
    author = author_user.author_profile
    client.force_login(author_user)
    data = {"pseudonym": author.pseudonym, "bio": "A bio typed just now.", "avatar": upload(content, name)}
    response = client.post(reverse("admin:authors_author_change", args=[author.pk]), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["avatar"] == [UNREADABLE]
    assert "A bio typed just now." in response.content.decode()
