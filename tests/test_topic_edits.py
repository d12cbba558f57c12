"""Editing a topic costs the same whatever its number of articles: a description edit re-indexes
nothing; a rename, merge or delete only queues the articles, which `reindex_search` then re-indexes in
bounded batches, while the search page says it is catching up."""

import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search
from articles.models import Article, SearchBacklog, SearchEntry
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db

SIZES = [5, 50]
MAX_QUERIES = 20  # an admin change POST: session, user, permissions, the topic, its save, the log
INDEX_TABLE = re.compile(r"\barticles_search\b")  # not articles_searchbacklog
CATCHING_UP = "Search is catching up with recent topic changes"


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor")


def topic_with(count, name="Magnesium"):
    tag = make_tag(name, description="A mineral.")
    author = make_author()
    for number in range(count):
        make_article(f"Routine {number}", author=author, tags=[tag])
    return tag


def edit(client, tag, **changes):
    fields = {"name": tag.name, "slug": tag.slug, "description": tag.description, **changes}
    response = client.post(reverse("admin:articles_tag_change", args=[tag.pk]), fields)
    assert response.status_code == 302, response.content
    return response


def titles_found(client, q):
    response = client.get(f"{reverse('articles:search')}?{urlencode({'q': q})}")
    return sorted(hit.article.title for hit in response.context["hits"])


def search_index_writes(queries):
    """The statements of `queries` that touched the search index (the backlog is another table)."""
    return [query["sql"] for query in queries.captured_queries if INDEX_TABLE.search(query["sql"])]


def merge(client, tag, target):
    return client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_topics", "_selected_action": [tag.pk, target.pk], "target": target.pk},
    )


@pytest.mark.parametrize("count", SIZES)
def test_a_description_edit_reindexes_nothing_whatever_the_number_of_articles(
    client, editor, count, django_assert_max_num_queries
):
    tag = topic_with(count)
    client.force_login(editor)

    with django_assert_max_num_queries(MAX_QUERIES):
        edit(client, tag, description="A mineral some of us take at night.")

    assert not SearchBacklog.objects.exists()
    assert len(titles_found(client, "magnesium")) == min(count, 10)


@pytest.mark.parametrize("count", SIZES)
def test_a_rename_only_queues_the_articles_whatever_their_number(
    client, editor, count, django_assert_max_num_queries
):
    tag = topic_with(count)
    client.force_login(editor)

    with django_assert_max_num_queries(MAX_QUERIES):
        edit(client, tag, name="Acupuncture")

    assert SearchBacklog.objects.count() == count
    assert SearchEntry.objects.filter(tags="Magnesium").count() == count  # not re-indexed yet


def test_after_reindex_search_a_renamed_topics_articles_are_found_by_the_new_name(client, editor):
    tag = topic_with(3)
    client.force_login(editor)
    edit(client, tag, name="Acupuncture")

    call_command("reindex_search")

    assert titles_found(client, "acupuncture") == ["Routine 0", "Routine 1", "Routine 2"]
    assert titles_found(client, "magnesium") == []
    assert not SearchBacklog.objects.exists()


@pytest.mark.parametrize("count", SIZES)
def test_a_merge_only_queues_the_articles_and_reindex_search_finds_them_by_the_kept_name(
    client, editor, count
):
    merged, kept = topic_with(count, "Needling"), make_tag("Acupuncture")
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        response = merge(client, merged, kept)
    assert response.status_code == 302

    assert search_index_writes(queries) == []  # nothing re-indexed in the request

    assert SearchBacklog.objects.count() == count
    call_command("reindex_search")
    assert len(titles_found(client, "acupuncture")) == min(count, 10)
    assert titles_found(client, "needling") == []
    assert not SearchBacklog.objects.exists()


@pytest.mark.parametrize("count", SIZES)
def test_a_delete_only_queues_the_articles_and_reindex_search_forgets_the_name(client, count):
    tag = topic_with(count, "Needling")

    with CaptureQueriesContext(connection) as queries:
        tag.delete()

    assert search_index_writes(queries) == []  # nothing re-indexed in the request

    assert SearchBacklog.objects.count() == count
    call_command("reindex_search")
    assert titles_found(client, "needling") == []
    assert not SearchBacklog.objects.exists()


def test_the_search_page_says_it_is_catching_up_while_the_backlog_has_rows(client, editor):
    tag = topic_with(2)
    client.force_login(editor)
    edit(client, tag, name="Acupuncture")
    client.logout()

    assert CATCHING_UP in client.get(f"{reverse('articles:search')}?q=acupuncture").text
    call_command("reindex_search")
    assert CATCHING_UP not in client.get(f"{reverse('articles:search')}?q=acupuncture").text


def test_a_batch_reindexes_at_most_its_size():
    tag = topic_with(5)
    SearchBacklog.add_articles_of(tag)

    assert search.work_off_backlog(2) == 2
    assert SearchBacklog.objects.count() == 3


def test_the_command_works_off_the_whole_backlog_in_batches():
    tag = topic_with(5)
    SearchBacklog.add_articles_of(tag)

    call_command("reindex_search", batch=2)

    assert not SearchBacklog.objects.exists()


def test_an_article_deleted_while_queued_is_skipped():
    tag = topic_with(2)
    SearchBacklog.add_articles_of(tag)
    first = SearchBacklog.objects.order_by("pk").first().article_id
    Article.objects.filter(pk=first).delete()

    call_command("reindex_search")

    assert not SearchBacklog.objects.exists()
    assert not SearchEntry.objects.filter(pk=first).exists()


def test_indexing_an_article_takes_it_out_of_the_backlog():
    tag = topic_with(1)
    SearchBacklog.add_articles_of(tag)
    article = tag.tagged_articles.get().content_object

    article.save()

    assert not SearchBacklog.objects.exists()
