"""Picture files never outlive their row: replaced, cleared and deleted pictures' files are deleted
once the change is committed; a takedown deletes every picture the author ever uploaded; the
orphan command finds the files that no row names."""

import os
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from articles.models import Article
from articles.revisions import record_revision, versions_of
from authors.models import Author
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article, make_author, make_draft
from tests.sample_pictures import picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def exists(media_root, name):
    return (media_root / name).is_file()


@pytest.fixture
def editor():
    return make_user("ed", "Editor")


def orphan(media_root, name, hours_old=2):
    """A file on disk that no row names, written `hours_old` hours ago."""
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(picture())
    then = time.time() - hours_old * 3600
    os.utime(path, (then, then))
    return name


def test_replacing_an_avatar_deletes_the_old_file_once_committed(
    media_root, django_capture_on_commit_callbacks
):
    author = make_author(avatar=upload(picture()))
    old = author.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        author.avatar = upload(picture(colour="red"))
        author.save()
    assert not exists(media_root, old) and exists(media_root, author.avatar.name)


def test_clearing_a_hero_image_deletes_its_file(media_root, django_capture_on_commit_callbacks):
    article = make_article(hero_image=upload(picture()))
    old = article.hero_image.name
    with django_capture_on_commit_callbacks(execute=True):
        article.hero_image = ""
        article.save()
    assert not exists(media_root, old)


def test_saving_without_changing_the_picture_keeps_its_file(media_root, django_capture_on_commit_callbacks):
    article = make_article(hero_image=upload(picture()))
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(pk=article.pk).save()
    assert exists(media_root, article.hero_image.name)


def test_a_rolled_back_replacement_deletes_nothing(media_root, django_capture_on_commit_callbacks):
    author = make_author(avatar=upload(picture()))
    old = author.avatar.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        author.avatar = upload(picture(colour="red"))
        author.save()
        raise RuntimeError("the save fails after the row was written")
    assert callbacks == [] and exists(media_root, old)


def test_deleting_an_article_or_an_author_deletes_their_pictures(
    media_root, django_capture_on_commit_callbacks
):
    author = make_author(avatar=upload(picture()))
    article = make_draft(author=author, hero_image=upload(picture()))
    names = [author.avatar.name, article.hero_image.name]
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
        author.delete()
    assert not any(exists(media_root, name) for name in names)


def test_a_file_another_row_still_names_is_kept(media_root, django_capture_on_commit_callbacks):
    first = make_article(hero_image=upload(picture()))
    second = make_article(hero_image=first.hero_image.name)  # a copied row
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert exists(media_root, second.hero_image.name)


def test_replacing_the_hero_image_in_the_admin_deletes_the_old_file(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    article = make_draft(hero_image=upload(picture()))
    old = article.hero_image.name
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(article),
            form_data(article, hero_image=upload(picture("JPEG"), "new.jpg"), hero_alt="A teal wall"),
        )
    assert response.status_code == 302
    assert not exists(media_root, old)
    assert exists(media_root, Article.objects.get(pk=article.pk).hero_image.name)


def test_restoring_a_revision_whose_picture_was_replaced_keeps_the_current_picture(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    # Older revisions still name the replaced file, which is deleted all the same (a picture taken
    # down must not come back through history); restoring brings back the text, not the picture.
    article = make_draft(title="First words", hero_image=upload(picture()))
    record_revision(article, editor, "First")
    first_version = versions_of(article).get()
    with django_capture_on_commit_callbacks(execute=True):
        article.title, article.hero_image = "Second words", upload(picture(colour="red"))
        article.save()
    assert not exists(media_root, first_version.field_dict["hero_image"].name)
    client.force_login(editor)
    restore = reverse("admin:articles_article_restore", args=[article.pk, first_version.pk])
    assert client.post(restore).status_code == 302
    article.refresh_from_db()
    assert article.title == "First words" and exists(media_root, article.hero_image.name)
    assert client.get(change_url(article)).status_code == 200


def test_a_new_avatar_goes_to_the_authors_own_random_folder():
    author = make_author("Jane Realname", avatar=upload(picture()))
    assert author.avatar.name.startswith(f"avatars/{author.picture_folder}/")
    assert len(author.picture_folder) == 32 and "jane" not in author.avatar.name.lower()


def test_authors_get_different_folders():
    assert make_author().picture_folder != make_author().picture_folder


def test_takedown_deletes_every_avatar_the_author_ever_uploaded(
    client, editor, media_root, django_capture_on_commit_callbacks
):
    author = make_author("Leaving", avatar=upload(picture()))
    make_article(author=author)
    earlier = orphan(media_root, f"avatars/{author.picture_folder}/earlier.png", hours_old=0)
    from_before_folders = orphan(media_root, "avatars/0123456789abcdef0123456789abcdef.png")
    current = author.avatar.name
    staying = make_author("Staying", avatar=upload(picture()))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:authors_author_changelist"),
            {"action": "take_down", "_selected_action": [author.pk], "articles": "keep"},
        )
    assert not any(exists(media_root, name) for name in (current, earlier, from_before_folders))
    assert exists(media_root, staying.avatar.name)
    author.refresh_from_db()
    assert author.pseudonym.startswith("Former author") and author.picture_folder not in current


def test_a_rolled_back_takedown_deletes_nothing(media_root, django_capture_on_commit_callbacks):
    author = make_author(avatar=upload(picture()))
    avatar = author.avatar.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        author.anonymise()
        raise RuntimeError("the takedown fails")
    assert exists(media_root, avatar)


def test_the_orphan_command_lists_then_deletes_the_files_no_row_names(media_root, capsys):
    named = make_author(avatar=upload(picture())).avatar.name
    old_orphans = [
        orphan(media_root, "avatars/abc/replaced.png"),
        orphan(media_root, "articles/replaced.jpg"),
    ]
    young = orphan(media_root, "articles/being-saved.png", hours_old=0)

    call_command("delete_orphan_pictures", "--dry-run")
    assert sorted(capsys.readouterr().out.split()[: len(old_orphans)]) == sorted(old_orphans)
    assert all(exists(media_root, name) for name in old_orphans)

    call_command("delete_orphan_pictures")
    assert "2 file(s) deleted." in capsys.readouterr().out
    assert not any(exists(media_root, name) for name in old_orphans)
    assert exists(media_root, named) and exists(media_root, young)


def test_the_orphan_command_copes_with_no_media_folder(capsys):
    call_command("delete_orphan_pictures")
    assert "0 file(s) deleted." in capsys.readouterr().out
    assert Author.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_existing_author_a_folder_of_their_own():
    executor = MigrationExecutor(connection)
    executor.migrate([("authors", "0003_random_upload_names")])
    OldAuthor = executor.loader.project_state([("authors", "0003_random_upload_names")]).apps.get_model(
        "authors", "Author"
    )
    for name in ("Before One", "Before Two"):
        OldAuthor.objects.create(pseudonym=name, slug=name.lower().replace(" ", "-"))
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    folders = list(Author.objects.values_list("picture_folder", flat=True))
    assert len(set(folders)) == 2 and all(len(folder) == 32 for folder in folders)
