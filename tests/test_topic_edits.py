"""Editing a topic costs the same whatever its number of articles: a description edit re-indexes
nothing; a rename or merge only queues the topic (a delete its articles), whose articles
`reindex_search` then re-indexes in bounded batches, while the search page says it is catching up."""

import re
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search
from articles.models import Article, SearchBacklog, SearchBacklogTopic, SearchEntry
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_tag

pytestmark = pytest.mark.django_db

SIZES = [5, 50]
MAX_QUERIES = 20  # an admin change POST: session, user, permissions, the topic, its save, the log
# Exactly: session, user, two-factor devices, the topic, permissions, the name and slug checks, the
# stored name and slug (search, page cache), the topic's save, the queued topic, the log.
RENAME_QUERIES = 18
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


def queued_topics():
    return list(SearchBacklogTopic.objects.values_list("tag", "done_up_to"))


def articles_of(tag):
    return list(tag.tagged_articles.order_by("content_object").values_list("content_object", flat=True))


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
def test_a_rename_only_queues_the_topic_whatever_its_number_of_articles(
    client, editor, count, django_assert_num_queries
):
    tag = topic_with(count)
    client.force_login(editor)
    ContentType.objects.clear_cache()  # the log reads it once per process: each size pays it

    with django_assert_num_queries(RENAME_QUERIES):
        edit(client, tag, name="Acupuncture")

    assert queued_topics() == [(tag.pk, 0)]
    assert not SearchBacklog.objects.exists()  # no row per article
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

    assert queued_topics() == [(kept.pk, 0)]  # its articles are the merged topic's now
    assert not SearchBacklog.objects.exists()  # no row per article
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


def test_a_merged_topics_articles_are_found_by_the_kept_name_once_the_batches_are_done(client, editor):
    merged, kept = topic_with(5, "Needling"), make_tag("Acupuncture")
    make_article("Clinic visit", tags=[kept])
    client.force_login(editor)
    merge(client, merged, kept)
    client.logout()
    page = f"{reverse('articles:search')}?q=acupuncture"

    assert CATCHING_UP in client.get(page).text
    assert titles_found(client, "acupuncture") == ["Clinic visit"]  # the others still say Needling
    assert search.work_off_backlog(2) == 2
    assert CATCHING_UP in client.get(page).text  # three articles still wait
    call_command("reindex_search", batch=2)

    assert CATCHING_UP not in client.get(page).text
    assert titles_found(client, "acupuncture") == ["Clinic visit", *(f"Routine {n}" for n in range(5))]
    assert titles_found(client, "needling") == []


def test_a_queued_topic_is_gone_through_a_batch_at_a_time_in_article_order():
    tag = topic_with(5)
    SearchBacklogTopic.add(tag)
    ids = articles_of(tag)

    assert search.work_off_backlog(2) == 2
    assert queued_topics() == [(tag.pk, ids[1])]
    assert search.work_off_backlog(2) == 2
    assert queued_topics() == [(tag.pk, ids[3])]
    assert search.work_off_backlog(2) == 1  # the last batch takes the topic out of the queue
    assert queued_topics() == []
    assert search.work_off_backlog(2) == 0


@pytest.mark.parametrize("count", SIZES)
def test_a_batch_of_a_queued_topic_costs_the_same_queries_whatever_the_topics_size(count):
    measured = []
    for size in (count, 4):
        with transaction.atomic():
            SearchBacklogTopic.add(topic_with(size, name=f"Topic of {size}"))
            with CaptureQueriesContext(connection) as queries:
                assert search.work_off_backlog(3) == 3
            measured.append(len(queries))
            transaction.set_rollback(True)

    assert measured[0] == measured[1]


def test_a_topic_renamed_again_while_queued_is_gone_through_from_its_first_article_again(client, editor):
    tag = topic_with(4)
    client.force_login(editor)
    edit(client, tag, name="Acupuncture")
    search.work_off_backlog(2)  # two of its articles now say Acupuncture

    edit(client, tag, name="Cupping", slug="cupping")

    assert queued_topics() == [(tag.pk, 0)]
    call_command("reindex_search", batch=2)
    assert titles_found(client, "cupping") == [f"Routine {n}" for n in range(4)]
    assert titles_found(client, "acupuncture") == []


def test_a_topic_deleted_while_queued_leaves_its_articles_found_by_no_topic_name(client, editor):
    tag, other = topic_with(3, "Needling"), topic_with(2, "Cupping")
    client.force_login(editor)
    edit(client, tag, name="Acupuncture")
    tag.delete()  # its articles are queued one by one; the queued topic has none left
    edit(client, other, name="Sleep", slug="sleep")

    call_command("reindex_search", batch=2)

    assert queued_topics() == [] and not SearchBacklog.objects.exists()
    assert titles_found(client, "needling") == titles_found(client, "acupuncture") == []
    assert titles_found(client, "sleep") == ["Routine 0", "Routine 1"]  # the next topic's turn came


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
