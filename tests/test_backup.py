"""A backup restores into an empty database with the same content and media files."""

import json
import os
import stat
import tarfile
from datetime import timedelta
from io import BytesIO
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from articles.backup import DATA_NAME
from articles.models import Article, Tag
from articles.search import search
from articles.snippets import hits
from authors.models import Author
from replies.models import Reply
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
    assert [hit.article.title for hit in hits(search("pacing").ranked_ids, "pacing")] == ["Sleep and pacing"]


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


# A backup holds every login, e-mail address, real name and password hash.


@pytest.fixture(params=[0o000, 0o022, 0o277], ids=["umask 000", "umask 022", "umask 277"])
def umask(request):
    """The process umask while the test runs (it must not decide a backup's permissions)."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_readable_by_its_owner_only_in_a_folder_only_they_may_open(
    settings, tmp_path, monkeypatch, umask
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.chdir(tmp_path)
    make_article("Private enough")

    call_command("backup", verbosity=0)

    [backup] = (tmp_path / "backups").iterdir()
    assert (mode(tmp_path / "backups"), mode(backup)) == (0o700, 0o600)


def test_an_existing_backups_folder_is_closed_to_others(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "backups").mkdir(mode=0o755)
    (tmp_path / "backups").chmod(0o755)

    call_command("backup", verbosity=0)

    assert mode(tmp_path / "backups") == 0o700


def test_a_backup_file_is_never_open_to_others_even_while_it_is_written(settings, tmp_path, umask):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = tmp_path / "site.tar.gz"
    seen = []
    real_addfile = tarfile.TarFile.addfile

    def addfile(archive, *args, **kwargs):
        seen.append(mode(backup))  # the data is about to be written into the file
        return real_addfile(archive, *args, **kwargs)

    with mock.patch.object(tarfile.TarFile, "addfile", addfile):
        call_command("backup", str(backup), verbosity=0)

    assert seen and set(seen) == {0o600}


def test_a_folder_named_for_a_backup_is_created_closed_to_others(settings, tmp_path, umask):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = tmp_path / "kept" / "nightly" / "site.tar.gz"

    call_command("backup", str(backup), verbosity=0)

    assert (mode(backup.parent), mode(backup)) == (0o700, 0o600)


def test_a_backup_never_writes_over_an_existing_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    existing = tmp_path / "site.tar.gz"
    existing.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing), verbosity=0)

    assert existing.read_bytes() == b"an older backup"


def without_field(backup, model, field, into):
    """A copy of the archive `backup` as older code wrote it: `field` absent from every `model` row."""
    edited(backup, into, lambda obj: obj["fields"].pop(field) if obj["model"] == model else None)


def edited(backup, into, edit):
    """A copy of the archive `backup` with `edit(row)` applied to each row of its data."""
    with tarfile.open(backup, "r:gz") as source, tarfile.open(into, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == DATA_NAME:
                objects = json.loads(data)
                for obj in objects:
                    edit(obj)
                data = json.dumps(objects).encode()
                member.size = len(data)
            target.addfile(member, BytesIO(data) if data is not None else None)


def test_a_backup_from_before_public_dates_restores_the_dates_readers_saw(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    article = make_article("Pacing", days_ago=30)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(days=20))
    call_command("backup", str(tmp_path / "new.tar.gz"), verbosity=0)
    without_field(tmp_path / "new.tar.gz", "articles.article", "revised_at", tmp_path / "old.tar.gz")
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(tmp_path / "old.tar.gz"), verbosity=0)

    restored = Article.objects.get(title="Pacing")
    assert restored.revised_at == restored.updated_at < timezone.now() - timedelta(days=19)


def as_before_replies_moved(backup, into):
    """A copy of the archive `backup` as it was written while replies lived in the articles app."""
    with tarfile.open(backup, "r:gz") as source, tarfile.open(into, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if member.name == DATA_NAME:
                data = data.replace(b'"replies.reply"', b'"articles.reply"')
                data = data.replace(b'"replies", "reply"]', b'"articles", "reply"]')
                assert b'"replies.' not in data and b'"replies",' not in data
                member.size = len(data)
            target.addfile(member, BytesIO(data) if data is not None else None)


def test_a_backup_from_before_replies_had_their_own_app_restores_them_and_their_grants(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    article = make_article("Pacing")
    Reply.objects.create(article=article, name="R", email="r@example.org", text="Thanks", status="approved")
    Reply.objects.create(article=article, name="S", text="Buy now", status="spam")
    moderators = Group.objects.create(name="Reply moderators")
    moderators.permissions.add(Permission.objects.get(codename="change_reply"))
    before = content()
    call_command("backup", str(tmp_path / "new.tar.gz"), verbosity=0)
    as_before_replies_moved(tmp_path / "new.tar.gz", tmp_path / "old.tar.gz")
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(tmp_path / "old.tar.gz"), verbosity=0)

    assert content() == before
    moderator = User.objects.create_user("moderator")
    moderator.groups.add(Group.objects.get(name="Reply moderators"))
    assert moderator.has_perm("replies.change_reply")


def test_a_backup_from_before_stored_topic_counts_restores_the_counts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_article("Pacing", tags=["pacing"])
    make_article("Rest", tags=["pacing"])
    call_command("backup", str(tmp_path / "new.tar.gz"), verbosity=0)
    without_field(tmp_path / "new.tar.gz", "articles.tag", "published_article_count", tmp_path / "old.tar.gz")
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(tmp_path / "old.tar.gz"), verbosity=0)

    assert Tag.objects.get(name="pacing").published_article_count == 2


def test_a_backup_holding_a_published_article_without_a_date_restores_it_as_the_draft_it_looked(
    settings, tmp_path
):
    # Written before the database held the rule (articles 0022): such an article was never public.
    settings.MEDIA_ROOT = tmp_path / "media"
    make_article("Pacing")
    make_article("Undated")
    call_command("backup", str(tmp_path / "new.tar.gz"), verbosity=0)

    def undate(obj):
        if obj["model"] == "articles.article" and obj["fields"]["title"] == "Undated":
            obj["fields"]["published_at"] = None

    edited(tmp_path / "new.tar.gz", tmp_path / "old.tar.gz", undate)
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(tmp_path / "old.tar.gz"), verbosity=0)

    assert dict(Article.objects.values_list("title", "status")) == {"Pacing": "published", "Undated": "draft"}
    assert list(Article.objects.published().values_list("title", flat=True)) == ["Pacing"]
