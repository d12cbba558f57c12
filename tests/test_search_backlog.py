"""Migration articles.0016 applies and reverses, on the database the suite runs on: the queue of
topics waiting for search comes and goes, and so do the topic links' two single-column indexes
(each the first column of another index), the links kept."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import SearchBacklogTopic, TaggedArticle
from tests.factories import make_article, make_tag

BEFORE = [("articles", "0015_search_backlog")]
LINKS, QUEUE = TaggedArticle._meta.db_table, SearchBacklogTopic._meta.db_table
KEPT_INDEXES = [("content_object_id", "tag_id"), ("tag_id", "published_at", "content_object_id")]
DROPPED_INDEXES = [("content_object_id",), ("tag_id",)]


def link_indexes():
    """The column lists of the topic links' indexes, the primary key's aside."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LINKS)
    return sorted(
        tuple(c["columns"])
        for c in constraints.values()
        if (c["index"] or c["unique"]) and not c["primary_key"]
    )


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverses_and_applies_again_keeping_the_links():
    tag = make_tag("Needling")
    links = [(make_article(tags=[tag]).pk, tag.pk), (make_article(tags=[tag]).pk, tag.pk)]
    assert link_indexes() == KEPT_INDEXES

    migrate(BEFORE)

    assert link_indexes() == sorted(KEPT_INDEXES + DROPPED_INDEXES)
    assert QUEUE not in connection.introspection.table_names()

    migrate()

    assert link_indexes() == KEPT_INDEXES
    assert QUEUE in connection.introspection.table_names()
    assert sorted(TaggedArticle.objects.values_list("content_object", "tag")) == links
    SearchBacklogTopic.add(tag)
    assert SearchBacklogTopic.objects.get().tag_id == tag.pk
