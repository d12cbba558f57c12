"""A backup restores into an empty database with the same content and media files."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article, Reply, Tag
from articles.search import search
from authors.models import Author
from tests.factories import make_article, make_author

pytestmark = pytest.mark.django_db(transaction=True)


def png():
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def content():
    return {
        "articles": sorted(
            Article.objects.values_list("slug", "title", "status", "body_html", "author__pseudonym")
        ),
        "tags": sorted((a.slug, tuple(sorted(a.tags.names()))) for a in Article.objects.all()),
        "topics": sorted(Tag.objects.values_list("name", "description")),
        "authors": sorted(Author.objects.values_list("pseudonym", "bio", "user__username", "avatar")),
        "replies": sorted(Reply.objects.values_list("name", "email", "text", "status")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
    }


def test_backup_round_trips_content_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = User.objects.create_user("writer", "w@example.org", "pw")
    author = make_author("Pen", user=user, avatar=SimpleUploadedFile("me.png", png(), "image/png"))
    article = make_article(
        "Sleep and pacing", author=author, tags=["sleep", "pacing"], body="## Nights\n\nRest."
    )
    Reply.objects.create(article=article, name="R", email="r@example.org", text="Thanks", status="approved")
    before = content()
    avatar_bytes = author.avatar.read()
    backup = tmp_path / "site.tar.gz"

    call_command("backup", str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    (settings.MEDIA_ROOT / author.avatar.name).unlink()
    assert not Article.objects.exists()
    call_command("restore", str(backup), verbosity=0)

    assert content() == before
    assert (settings.MEDIA_ROOT / author.avatar.name).read_bytes() == avatar_bytes
    assert User.objects.get(username="writer").check_password("pw")
    assert [entry.article.title for entry in search("pacing").entries] == ["Sleep and pacing"]


def test_restore_refuses_a_database_that_has_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_article("Existing")
    backup = tmp_path / "site.tar.gz"
    call_command("backup", str(backup), verbosity=0)
    with pytest.raises(CommandError, match="empty database"):
        call_command("restore", str(backup), verbosity=0)
    assert Article.objects.count() == 1


def test_restore_of_a_missing_file_says_so(tmp_path):
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "nope.tar.gz"), verbosity=0)
