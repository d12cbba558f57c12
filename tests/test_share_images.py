"""Share images: once its save is committed, every published article has a 1,200 x 630 JPEG, its
hero cropped or a card drawn from its title and pseudonym, named by og:image (with its size and
description), twitter:card and the JSON-LD; it is made again when they change, the previous one
deleted, and it is as private as its article."""

import json
import re
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article
from articles.share_cards import draw_card, font
from tests.factories import make_article, make_author, make_draft
from tests.sample_pictures import picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def opened(name):
    with default_storage.open(name, "rb") as file:
        image = Image.open(BytesIO(file.read()))
        image.load()
        return image


def committed(capture, make, **fields):
    with capture(execute=True):
        article = make(**fields)
    article.refresh_from_db()
    return article


def meta(html, prop):
    found = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', html)
    return found and found.group(1)


def test_an_article_without_a_hero_gets_a_drawn_card(django_capture_on_commit_callbacks):
    article = committed(django_capture_on_commit_callbacks, make_article, title="Pacing my days")
    image = opened(article.share_image.name)
    assert (image.format, image.size) == ("JPEG", (1200, 630))
    assert article.share_image.name.startswith("cards/")


def test_an_article_with_a_hero_gets_the_hero_cropped(django_capture_on_commit_callbacks):
    hero = upload(picture("PNG", (2000, 2000), colour="red"), "red.png")
    article = committed(django_capture_on_commit_callbacks, make_article, hero_image=hero, hero_alt="Red")
    image = opened(article.share_image.name)
    assert (image.format, image.size) == ("JPEG", (1200, 630))
    red, green, blue = image.convert("RGB").getpixel((600, 315))
    assert red > 240 and green < 15 and blue < 15


def test_a_draft_has_no_share_image(django_capture_on_commit_callbacks):
    assert not committed(django_capture_on_commit_callbacks, make_draft).share_image


@pytest.mark.parametrize("hero", [False, True], ids=["drawn card", "hero"])
def test_the_article_page_names_the_share_image(client, django_capture_on_commit_callbacks, hero):
    fields = {"hero_image": upload(picture("JPEG", (1600, 900)), "a.jpg"), "hero_alt": "A teal wall"}
    author = make_author("Fibro Warrior")
    article = committed(
        django_capture_on_commit_callbacks,
        make_article,
        title="Botox",
        author=author,
        **(fields if hero else {}),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    url = f"http://testserver{article.share_image.url}"
    assert meta(html, "og:image") == url
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "og:image:alt") == ("A teal wall" if hero else "Botox, by Fibro Warrior")
    assert meta(html, "twitter:card") == "summary_large_image"
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    entity = data.get("mainEntity", data)
    assert entity["image"] == {"@type": "ImageObject", "url": url, "width": 1200, "height": 630}


def test_a_new_title_makes_a_new_card_and_deletes_the_old(django_capture_on_commit_callbacks):
    article = committed(django_capture_on_commit_callbacks, make_article, title="First title")
    old = article.share_image.name
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Second title"
        article.save()
    article.refresh_from_db()
    assert article.share_image.name != old and default_storage.exists(article.share_image.name)
    assert not default_storage.exists(old)


def test_saving_without_a_change_keeps_the_card(django_capture_on_commit_callbacks):
    article = committed(django_capture_on_commit_callbacks, make_article)
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert Article.objects.get(pk=article.pk).share_image.name == article.share_image.name


def test_a_new_pseudonym_makes_new_cards(django_capture_on_commit_callbacks):
    author = make_author("Old Pen")
    article = committed(django_capture_on_commit_callbacks, make_article, author=author)
    old = article.share_image.name
    with django_capture_on_commit_callbacks(execute=True):
        author.pseudonym = "New Pen"
        author.save()
    article.refresh_from_db()
    assert article.share_image.name != old and not default_storage.exists(old)


def test_unpublishing_deletes_the_card(django_capture_on_commit_callbacks):
    article = committed(django_capture_on_commit_callbacks, make_article)
    old = article.share_image.name
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()
    assert not Article.objects.get(pk=article.pk).share_image and not default_storage.exists(old)


def test_a_card_is_served_only_while_its_article_is_public(client, django_capture_on_commit_callbacks):
    article = committed(django_capture_on_commit_callbacks, make_article)
    response = client.get(article.share_image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)  # the card is still there
    assert client.get(article.share_image.url).status_code == 404


def test_a_card_is_drawn_with_pillows_own_font_when_dejavu_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr("articles.share_cards.FONT_FOLDER", tmp_path)
    assert font(40).getlength("x") > 0
    assert Image.open(BytesIO(draw_card("A title " * 40, "Pen"))).size == (1200, 630)


def test_a_card_deleted_by_saving_a_stale_copy_of_the_article_is_made_again(
    django_capture_on_commit_callbacks,
):
    article = committed(django_capture_on_commit_callbacks, make_article, title="Same title")
    stale = Article.objects.get(pk=article.pk)
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "New title"
        article.save()
    with django_capture_on_commit_callbacks(execute=True):
        stale.save()  # writes back the old title and the old card's name, whose file is gone
    name = Article.objects.get(pk=article.pk).share_image.name
    assert name and default_storage.exists(name)


def test_a_page_shown_before_its_card_was_made_names_it_once_made(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        article = make_article(title="Shown early")
    assert meta(client.get(article.get_absolute_url()).content.decode(), "twitter:card") == "summary"
    for callback in waiting:
        callback()
    html = client.get(article.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == f"http://testserver{Article.objects.get(pk=article.pk).share_image.url}"
