"""Logins for each editorial role, and helpers to drive the admin's real URLs."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author


def make_user(username, group=None, **fields):
    user = User.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor", first_name="Erin", last_name="Reviewer")


@pytest.fixture
def author_user(db):
    user = make_user("writer", "Author")
    make_author("Own Pen", user=user)
    return user


@pytest.fixture
def other_author_user(db):
    user = make_user("otherwriter", "Author")
    make_author("Other Pen", user=user)
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def log_in(client, request):
    """log_in(role) logs the test client in as that role's user (nobody for "anonymous") and returns it."""

    def log_in(role):
        if role == "anonymous":
            client.logout()
            return None
        user = request.getfixturevalue(role)
        client.force_login(user)
        return user

    return log_in


@pytest.fixture
def own_draft(author_user):
    return make_article("Own draft", author=author_user.author_profile, status=Article.Status.DRAFT)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **overrides):
    """What the admin change form posts for `article`, as an editor sees it, with `overrides`."""
    article.refresh_from_db()
    data = {
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "tags": [tag.pk for tag in article.tags.all()],
        "base_version": article.version,
        "published_at_0": "",
        "published_at_1": "",
        "review_note": article.review_note,
        "disclosure": article.disclosure,
        "hero_alt": article.hero_alt,
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    if article.published_at:
        data["published_at_0"] = f"{article.published_at:%Y-%m-%d}"
        data["published_at_1"] = f"{article.published_at:%H:%M:%S}"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
