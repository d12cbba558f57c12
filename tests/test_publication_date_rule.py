"""A published article always has its publication date: the workflow sets it, the database holds it,
and the migration that added the rule turned an undated one (never public) into a draft."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_draft

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_published_article_without_a_date_however_it_is_written():
    article = make_article()
    draft = make_draft()

    with pytest.raises(IntegrityError), transaction.atomic():  # past every form and save()
        Article.objects.filter(pk=article.pk).update(published_at=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=draft.pk).update(status=Article.Status.PUBLISHED)

    article.refresh_from_db()
    assert article.published_at is not None and Article.objects.published().filter(pk=article.pk).exists()


def test_a_draft_without_a_date_is_allowed():
    article = make_article()

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT, published_at=None)

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_an_undated_published_article_a_draft_and_leaves_the_others():
    before = [("articles", "0021_author_article_counts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldAuthor, OldArticle = old.get_model("authors", "Author"), old.get_model("articles", "Article")
    writer = OldAuthor.objects.create(pseudonym="Writer", slug="writer")
    now = timezone.now()
    rows = {
        "undated": ("published", None),
        "public": ("published", now - timedelta(days=1)),
        "scheduled": ("published", now + timedelta(days=1)),
        "draft": ("draft", None),
    }
    for slug, (status, published_at) in rows.items():
        OldArticle.objects.create(
            title=slug, slug=slug, body="b", author=writer, status=status, published_at=published_at
        )

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    after = dict(Article.objects.values_list("slug", "status"))
    assert after == {"undated": "draft", "public": "published", "scheduled": "published", "draft": "draft"}
