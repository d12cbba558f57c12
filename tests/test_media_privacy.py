"""Uploaded pictures are served only to those who may see the article or author they belong to:
everyone for published articles and public authors, the article's author and editors for previews;
anything else, unknown files and crafted paths included, is 404 in the site's template."""

import pytest
from django.conf import settings as project_settings
from django.urls import reverse

from articles.models import Article
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_draft, make_in_review, make_scheduled
from tests.sample_pictures import picture, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NOT_FOUND_PAGE = "We couldn't find that page"


@pytest.fixture
def writer():
    user = make_user("writer", "Author")
    make_author("Own Pen", user=user)
    return user


@pytest.fixture
def users(writer):
    return {
        "anonymous": None,
        "the article's author": writer,
        "another author": make_user("otherwriter", "Author"),
        "an editor": make_user("ed", "Editor"),
    }


def get(client, field_file, user=None):
    if user:
        client.force_login(user)
    return client.get(field_file.url)


def test_media_are_served_by_the_site_even_with_debug_off():
    assert not project_settings.DEBUG and project_settings.SERVE_MEDIA
    assert reverse("picture", args=["articles/x.png"]) == "/media/articles/x.png"


def test_a_published_articles_picture_is_served_to_everyone_and_cached_for_a_day(
    client, django_assert_max_num_queries
):
    article = make_article(hero_image=upload(picture()))
    with django_assert_max_num_queries(1):
        response = get(client, article.hero_image)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content) == article.hero_image.open("rb").read()


@pytest.mark.parametrize(
    "make", [make_draft, make_in_review, make_scheduled], ids=["draft", "in review", "scheduled"]
)
def test_an_unpublished_articles_picture_is_404_in_the_sites_template_for_the_public(client, make):
    article = make(hero_image=upload(picture()))
    response = get(client, article.hero_image)
    assert response.status_code == 404
    assert NOT_FOUND_PAGE in response.content.decode()


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 404), ("the article's author", 200), ("another author", 404), ("an editor", 200)],
)
def test_a_drafts_picture_is_previewed_by_its_author_and_editors_only_and_never_kept(
    client, users, writer, role, status
):
    article = make_draft(author=writer.author_profile, hero_image=upload(picture()))
    response = get(client, article.hero_image, users[role])
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "role, status",
    [("anonymous", 404), ("the article's author", 200), ("another author", 404), ("an editor", 200)],
)
def test_the_avatar_of_an_author_who_has_not_published_is_private(client, users, writer, role, status):
    author = writer.author_profile
    author.avatar = upload(picture())
    author.save()
    make_draft(author=author)
    assert get(client, author.avatar, users[role]).status_code == status


def test_an_avatar_is_public_from_the_authors_first_published_article(client):
    author = make_author(avatar=upload(picture()))
    make_article(author=author)
    response = get(client, author.avatar)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=86400"


def test_a_file_no_row_names_is_404(client, media_root):
    (media_root / "articles").mkdir(parents=True)
    (media_root / "articles" / "left-behind.png").write_bytes(picture())
    assert client.get("/media/articles/left-behind.png").status_code == 404
    assert client.get("/media/articles/never-existed.png").status_code == 404


def test_a_row_whose_file_is_gone_is_404(client):
    article = make_article(hero_image=upload(picture()))
    article.hero_image.storage.delete(article.hero_image.name)
    assert get(client, article.hero_image).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/articles/../../manage.py",
        "/media/%2e%2e/%2e%2e/manage.py",
        "/media/articles/..%2f..%2fmanage.py",
        "/media//etc/passwd",
        "/media/%2Fetc%2Fpasswd",
        "/media/articles/%00.png",
        "/media/articles\\..\\..\\manage.py",
    ],
)
def test_no_path_leaves_the_media_folder(client, path):
    make_article(hero_image="articles/../../manage.py")  # even a crafted row
    response = client.get(path)
    assert response.status_code == 404
    assert b"execute_from_command_line" not in response.content and b"root:" not in response.content


def test_a_picture_with_an_unexpected_extension_is_only_ever_downloaded(client, media_root):
    (media_root / "articles").mkdir(parents=True)
    (media_root / "articles" / "old.html").write_bytes(b"<script>alert(1)</script>")
    make_article(hero_image="articles/old.html")  # from before formats were checked
    response = client.get("/media/articles/old.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"


def test_only_reading_is_allowed(client):
    article = make_article(hero_image=upload(picture()))
    assert client.post(article.hero_image.url).status_code == 405


def test_the_page_cache_never_serves_a_picture_once_it_is_unpublished(client, settings, cache_backend):
    settings.PAGE_CACHE_SECONDS = 600
    article = make_article(hero_image=upload(picture()))
    assert get(client, article.hero_image).status_code == 200
    assert get(client, article.hero_image).status_code == 200
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)  # no signal, no new version
    assert get(client, article.hero_image).status_code == 404


def test_the_page_cache_never_serves_a_preview_to_the_public(client, settings, cache_backend):
    settings.PAGE_CACHE_SECONDS = 600
    article = make_draft(hero_image=upload(picture()))
    assert get(client, article.hero_image, make_user("ed", "Editor")).status_code == 200
    client.logout()
    assert get(client, article.hero_image).status_code == 404
