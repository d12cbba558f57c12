"""Small factory functions for the test suite."""

import time
from contextlib import contextmanager
from datetime import timedelta
from itertools import count
from unittest import mock

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, settings

from articles.models import Article, Tag
from authors.models import Author
from replies.tokens import form_token

_numbers = count(1)


def make_author(pseudonym=None, **fields):
    return Author.objects.create(pseudonym=pseudonym or f"Author {next(_numbers)}", **fields)


def make_tag(name, **fields):
    return Tag.objects.create(name=name, **fields)


def make_article(title=None, *, author=None, tags=(), status=Article.Status.PUBLISHED, days_ago=1, **fields):
    """An article; published `days_ago` days ago unless a status or published_at says otherwise."""
    if "published_at" not in fields:
        published = status == Article.Status.PUBLISHED
        fields["published_at"] = timezone.now() - timedelta(days=days_ago) if published else None
    article = Article.objects.create(
        title=title or f"Article {next(_numbers)}",
        author=author or make_author(),
        status=status,
        body=fields.pop("body", "Some words about a treatment.\n\n## A section\n\nMore words."),
        **fields,
    )
    if tags:
        article.tags.set(list(tags))
    return article


def make_draft(**fields):
    return make_article(status=Article.Status.DRAFT, **fields)


def make_in_review(**fields):
    return make_article(status=Article.Status.IN_REVIEW, **fields)


def make_scheduled(days_ahead=7, **fields):
    return make_article(published_at=timezone.now() + timedelta(days=days_ahead), **fields)


# Property tests of changes to articles: the same examples on every run, each in the test's database.
changes_settings = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@contextmanager
def movable_clock():
    """timezone.now() patched to the list's one item, which the test moves; in a transaction rolled
    back at the end (hypothesis runs many examples in one test's database)."""
    clock = [timezone.now()]
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock[0]), transaction.atomic():
        yield clock
        transaction.set_rollback(True)


def move_publication(article, name, now):
    """Save `article` published an hour before `now` ("publish"), due twelve hours after it
    ("schedule") or back to a draft ("unpublish")."""
    article.status = Article.Status.DRAFT if name == "unpublish" else Article.Status.PUBLISHED
    shift = {"publish": -timedelta(hours=1), "schedule": timedelta(hours=12), "unpublish": None}[name]
    article.published_at = now + shift if shift is not None else None
    article.save()


def aged_token(seconds=30, article=None):
    """A reply form token for `article` (by default the newest article, usually the one the test
    just made) as if its page had been shown `seconds` ago."""
    article = article or Article.objects.order_by("-pk").first()
    with mock.patch("time.time", return_value=time.time() - seconds):
        return form_token(article.pk if article else 0)


def reply_url(article):
    """Where the reply form on `article`'s page is sent."""
    return reverse("replies:post", args=[article.slug])


def reply_data(article=None, **overrides):
    """A reader's reply as posted, with a token for `article` (by default the newest article)."""
    return {"name": "Kind Reader", "email": "reader@example.org", "text": "This helped me too.",
            "website": "", "token": aged_token(article=article), **overrides}  # fmt: skip
