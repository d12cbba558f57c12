"""Uploads are checked before they are decoded: size, format and pixel count from the header; a
picture that cannot be read is a form error on its field, never a server error."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.forms import modelform_factory
from PIL import Image

from articles.models import Article
from authors.images import MAX_BYTES, TOO_HEAVY, TOO_MANY_PIXELS, UNREADABLE
from authors.models import Author
from tests.sample_pictures import UNREADABLE_FILES, picture, png_bomb, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

ProfileForm = modelform_factory(Author, fields=("pseudonym", "avatar"))


@pytest.fixture(scope="module")
def bomb():
    return png_bomb()


def profile_form(file):
    return ProfileForm({"pseudonym": "Typed Pen"}, {"avatar": file})


@pytest.mark.parametrize("name, content", UNREADABLE_FILES.values(), ids=list(UNREADABLE_FILES))
def test_a_form_built_from_the_picture_field_refuses_what_it_cannot_read(name, content):
    form = profile_form(upload(content, name))
    assert not form.is_valid()
    assert form.errors["avatar"] == [UNREADABLE]
    assert form["pseudonym"].value() == "Typed Pen"


def test_a_picture_over_10_mb_is_refused_before_pillow_opens_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("Pillow opened a file that was too large")

    monkeypatch.setattr(Image, "open", never)
    form = profile_form(upload(picture("PNG") + b"\0" * MAX_BYTES))
    assert not form.is_valid()
    assert form.errors["avatar"] == [TOO_HEAVY]


def test_a_picture_of_more_than_40_megapixels_is_refused_without_decoding_it(monkeypatch, bomb):
    def never(*args, **kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", never)
    form = profile_form(upload(bomb, "small.png"))
    assert not form.is_valid()
    assert form.errors["avatar"] == [TOO_MANY_PIXELS]


@pytest.mark.parametrize(
    "warnings",
    [
        pytest.param(
            "ignored", marks=pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
        ),
        pytest.param("error", marks=pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")),
    ],
)
def test_an_image_between_the_pixel_limit_and_twice_it_is_refused_too(warnings):
    # Pillow raises above twice its limit, and only warns between: a refusal whether the warning
    # is an error (as authors/images.py makes it in the site's processes) or not (as under pytest).
    form = profile_form(upload(png_bomb(8_000, 6_000)))
    assert not form.is_valid()
    assert form.errors["avatar"] == [TOO_MANY_PIXELS]


def test_the_article_form_field_is_the_checked_one():
    name, content = UNREADABLE_FILES["xpm"]
    form = modelform_factory(Article, fields=("hero_image",))({}, {"hero_image": upload(content, name)})
    assert form.errors["hero_image"] == [UNREADABLE]


def test_the_field_asks_the_browser_for_the_accepted_formats_only():
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in str(profile_form(None)["avatar"])


# The bomb is refused in a child process whose peak memory is compared with a child that only
# starts Django: today's code decoded and re-encoded it, which took more than 1 GB.
CHILD = """
import json, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from authors.models import Author
refused = None
if sys.argv[1] != "baseline":
    field = Author._meta.get_field("avatar")
    author = Author(pseudonym="Bomb")
    try:
        author.avatar = field.formfield().clean(SimpleUploadedFile("bomb.png", open(sys.argv[1], "rb").read()))
        field.pre_save(author, add=True)  # where the picture used to be re-encoded
        refused = False
    except ValidationError:
        refused = True
print(json.dumps({"refused": refused, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def run_child(argument, media):
    env = {"DJANGO_SETTINGS_MODULE": "fibrosite.settings", "SECRET_KEY": "child", "MEDIA_ROOT": str(media)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, argument],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_refusing_a_decompression_bomb_takes_less_than_300_mb_of_memory(tmp_path, media_root, bomb):
    bomb_file = tmp_path / "bomb.png"
    bomb_file.write_bytes(bomb)
    baseline = run_child("baseline", media_root)
    refusing = run_child(str(bomb_file), media_root)
    assert refusing["refused"] is True
    assert (refusing["peak_kb"] - baseline["peak_kb"]) / 1024 < 300
