"""Uploaded pictures are stored re-encoded from their pixels: upright, without metadata (GPS position,
camera, text, XMP), as a still picture, under a random name that ends as their real format."""

from io import BytesIO

import pytest
from PIL import Image, PngImagePlugin

from authors.models import Author
from tests.factories import make_article, make_author
from tests.sample_pictures import GPS_IFD, animation, photo_with_gps, picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def stored(field_file):
    return Image.open(field_file.path)


def test_the_test_photo_really_carries_gps():
    assert Image.open(BytesIO(photo_with_gps())).getexif().get_ifd(GPS_IFD)


def test_avatar_is_stored_without_exif_and_upright():
    author = make_author("Camera Shy", avatar=upload(photo_with_gps(), "me.jpg"))
    with stored(author.avatar) as image:
        assert not image.getexif()
        assert image.size == (20, 40)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_hero_image_is_stored_without_exif(fmt):
    article = make_article(hero_image=upload(photo_with_gps(fmt), "pool.img"))
    with stored(article.hero_image) as image:
        assert image.format == fmt
        assert not image.getexif()


def test_png_text_and_xmp_are_not_stored():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Realname")
    text.add_text("XML:com.adobe.xmp", "<x:xmpmeta>Jane Realname</x:xmpmeta>")
    article = make_article(hero_image=upload(picture("PNG", pnginfo=text)))
    with open(article.hero_image.path, "rb") as file:
        assert b"Realname" not in file.read()


def test_jpeg_xmp_and_comments_are_not_stored():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Jane Realname</x:xmpmeta>'
    article = make_article(hero_image=upload(picture("JPEG", xmp=xmp, comment=b"Jane Realname"), "a.jpg"))
    with open(article.hero_image.path, "rb") as file:
        assert b"Realname" not in file.read()


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_an_animation_is_stored_as_its_first_frame(fmt):
    article = make_article(hero_image=upload(animation(fmt), f"moving.{fmt.lower()}"))
    with stored(article.hero_image) as image:
        assert image.format == fmt
        assert getattr(image, "n_frames", 1) == 1
        red, green, blue = image.convert("RGB").getpixel((4, 4))
        assert red > 200 and green < 60 and blue < 60


def test_the_stored_name_ends_as_the_real_format_whatever_the_upload_was_called():
    author = make_author(avatar=upload(picture("PNG"), "Jane_Realname.jpg"))
    assert author.avatar.name.endswith(".png") and "Jane" not in author.avatar.name


def test_saving_again_does_not_re_encode_the_stored_file():
    author = make_author("Saver", avatar=upload(photo_with_gps(), "me.jpg"))
    name = author.avatar.name
    author.bio = "changed"
    author.save()
    assert author.avatar.name == name
    assert Author.objects.get(pk=author.pk).avatar.name == name
