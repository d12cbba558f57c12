"""Uploaded photos are stored without their metadata (GPS position, camera, dates)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from authors.models import Author
from tests.factories import make_article

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def photo_with_gps(fmt="JPEG"):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotated, so the stored image must be turned upright
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    buffer = BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, format=fmt, exif=exif)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_test_photo_really_carries_gps():
    assert Image.open(BytesIO(photo_with_gps())).getexif().get_ifd(GPS_IFD)


def test_avatar_is_stored_without_exif_and_upright():
    author = Author.objects.create(
        pseudonym="Camera Shy", avatar=SimpleUploadedFile("me.jpg", photo_with_gps(), "image/jpeg")
    )
    with Image.open(author.avatar.path) as stored:
        assert not stored.getexif()
        assert stored.size == (20, 40)


def test_hero_image_is_stored_without_exif():
    article = make_article(hero_image=SimpleUploadedFile("pool.png", photo_with_gps("PNG"), "image/png"))
    with Image.open(article.hero_image.path) as stored:
        assert stored.format == "PNG"
        assert not stored.getexif()


def test_saving_again_does_not_re_encode_the_stored_file():
    author = Author.objects.create(
        pseudonym="Saver", avatar=SimpleUploadedFile("me.jpg", photo_with_gps(), "image/jpeg")
    )
    name = author.avatar.name
    author.bio = "changed"
    author.save()
    assert author.avatar.name == name
