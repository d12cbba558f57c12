"""Renditions: once a picture's save is committed, heroes have WebP copies 480, 960 and 1600 pixels
wide with a JPEG (PNG for pictures that may be transparent) fallback, avatars two squares; made
through the storage, never larger than the picture; `make_pictures` makes those missing."""

from io import BytesIO, StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from authors.renditions import renditions
from tests.factories import make_article, make_author
from tests.sample_pictures import picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def stored(name):
    """(format, size) of the stored picture `name`."""
    with default_storage.open(name, "rb") as file, Image.open(BytesIO(file.read())) as image:
        return image.format, image.size


def hero_article(size=(2000, 1000), fmt="JPEG", name="photo.jpg", **fields):
    return make_article(hero_image=upload(picture(fmt, size), name), hero_alt="A teal wall", **fields)


def test_a_heros_renditions_are_made_once_its_save_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = hero_article()
    assert (article.hero_width, article.hero_height) == (2000, 1000)
    made = renditions(article.hero_image.name, 2000, 1000)
    assert [(r.width, r.height) for r in made["webp"]] == [(480, 240), (960, 480), (1600, 800)]
    assert [stored(r.name) for r in made["webp"]] == [("WEBP", (w, w // 2)) for w in (480, 960, 1600)]
    assert [stored(r.name) for r in made["jpg"]] == [("JPEG", (w, w // 2)) for w in (480, 960, 1600)]


def test_renditions_are_not_made_before_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        article = hero_article()
    first = renditions(article.hero_image.name, 2000, 1000)["webp"][0].name
    assert not default_storage.exists(first)


def test_a_png_hero_falls_back_to_png_and_is_never_made_larger(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = hero_article(size=(700, 350), fmt="PNG", name="drawing.png")
    made = renditions(article.hero_image.name, article.hero_width, article.hero_height)
    assert set(made) == {"webp", "png"}
    assert [stored(r.name) for r in made["png"]] == [("PNG", (480, 240)), ("PNG", (700, 350))]
    assert [stored(r.name) for r in made["webp"]] == [("WEBP", (480, 240)), ("WEBP", (700, 350))]


def test_an_avatar_has_two_squares(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        author = make_author(avatar=upload(picture("JPEG", (300, 200)), "me.jpg"))
    made = renditions(author.avatar.name)
    assert [stored(r.name) for r in made["webp"]] == [("WEBP", (48, 48)), ("WEBP", (96, 96))]
    assert [stored(r.name) for r in made["jpg"]] == [("JPEG", (48, 48)), ("JPEG", (96, 96))]


def test_a_rotated_photo_stores_its_upright_size():
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # turned on its side: stored upright, so 100 wide and 300 high
    Image.new("RGB", (300, 100), "teal").save(buffer, format="JPEG", exif=exif)
    article = make_article(hero_image=upload(buffer.getvalue(), "side.jpg"), hero_alt="x")
    assert (article.hero_width, article.hero_height) == (100, 300)


def test_clearing_the_hero_clears_its_size():
    article = hero_article()
    article.hero_image = ""
    article.save()
    assert Article.objects.filter(pk=article.pk, hero_width=None, hero_height=None).exists()


def test_make_pictures_makes_missing_renditions_and_sizes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = hero_article()
        author = make_author(avatar=upload(picture("JPEG", (300, 200)), "me.jpg"))
    every = [
        *renditions(article.hero_image.name, 2000, 1000)["webp"],
        *renditions(author.avatar.name)["jpg"],
    ]
    for rendition in every:
        default_storage.delete(rendition.name)
    Article.objects.filter(pk=article.pk).update(hero_width=None, hero_height=None)
    call_command("make_pictures", stdout=StringIO())
    assert all(default_storage.exists(r.name) for r in every)
    assert Article.objects.filter(pk=article.pk, hero_width=2000, hero_height=1000).exists()


def test_make_pictures_makes_missing_share_images(django_capture_on_commit_callbacks):
    article = hero_article()  # its save's commit never came: no share image yet
    draft = make_article(status=Article.Status.DRAFT)
    call_command("make_pictures", stdout=StringIO())
    assert stored(Article.objects.get(pk=article.pk).share_image.name) == ("JPEG", (1200, 630))
    assert not Article.objects.get(pk=draft.pk).share_image
