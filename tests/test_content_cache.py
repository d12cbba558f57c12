"""Counts every page shares (topics in use) are computed once per content version."""

import pytest

from articles.cache import tags_in_use
from articles.models import Article
from tests.admin.conftest import make_user
from tests.factories import make_article, make_draft, make_tag

pytestmark = pytest.mark.django_db


def test_topic_counts_are_computed_once_for_the_same_content(django_assert_num_queries):
    make_article(tags=[make_tag("sleep")])
    tags_in_use()
    with django_assert_num_queries(0):
        assert [(t.name, t.article_count) for t in tags_in_use()] == [("sleep", 1)]


def test_topic_counts_follow_a_publication_at_once():
    sleep = make_tag("sleep")
    make_article(tags=[sleep])
    draft = make_draft(tags=[sleep, make_tag("diet")])
    assert [(t.name, t.article_count) for t in tags_in_use()] == [("sleep", 1)]
    draft.apply_transition("publish", make_user("ed", "Editor"))
    draft.save()
    assert [(t.name, t.article_count) for t in tags_in_use()] == [("sleep", 2), ("diet", 1)]
    assert Article.objects.published().count() == 2
