"""Merging or deleting a topic costs the same number of queries whatever its number of articles, and
leaves the stored counts, the links, the search backlog and the page cache as they should be: a
merge queues the kept topic alone for search, a deletion the deleted topic's articles."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

import pagecache.store
from articles.models import Article, SearchBacklog, SearchBacklogTopic, Tag, TaggedArticle
from articles.topic_counts import recounts
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_draft, make_scheduled, make_tag

pytestmark = pytest.mark.django_db

SIZES = [5, 50]
# Counted with the savepoints. A merge: the queued topic, the target's count, the move, the links
# left, the pending changes' links moved, the redirects (update_or_create: 2 statements, 4
# savepoints), then the merged topic's deletion: Django's collection of its redirects and (now none)
# links, the pending changes' links (one DELETE), the topic.
MERGE_QUERIES = 18
# A deletion: the backlog, the links (one DELETE), Django's collection of the topic's redirects and
# (now none) links, the pending changes' links, the topic. The admin adds its session, user,
# two-factor devices, permissions, the topic(s), the summary of what goes
# (TagAdmin.get_deleted_objects) and its log.
ADMIN_DELETE_QUERIES = 18
ADMIN_BULK_DELETE_QUERIES = 19  # the changelist's two counts; no savepoint around the action
ADMIN_MERGE_QUERIES = 29
CONFIRMATION_QUERIES = 8


@pytest.fixture
def editor(db):
    return make_user("ed", "Editor")


@pytest.fixture(autouse=True)
def content_types_not_cached():
    # The admin log reads its content type once per process: each test pays it, whatever ran before.
    ContentType.objects.clear_cache()


@contextmanager
def keys_touched():
    """The page-cache keys touched inside (pagecache.store.touch increments each one)."""
    keys = set()
    with mock.patch.object(pagecache.store, "_increment", keys.update):
        yield keys


def topic_of(count, *, also=(), name="Needling"):
    """A topic on `count` articles, published, scheduled and drafts in turn; every fourth one also
    carries the topics `also`. Returns the topic and its articles."""
    tag, author = make_tag(name), make_author()
    kinds = (make_article, make_scheduled, make_draft)
    articles = []
    for number in range(count):
        extra = list(also) if number % 4 == 0 else []
        articles.append(kinds[number % 3](title=f"{name} {number}", author=author, tags=[tag, *extra]))
    return tag, articles


@pytest.fixture
def kept():
    """The topic merged into: it has its own articles, and another topic shares one of them."""
    tag = make_tag("Acupuncture")
    make_article("Acupuncture alone", tags=[tag])
    make_article("Acupuncture and sleep", tags=[tag, make_tag("Sleep")])
    make_draft(title="Acupuncture draft", tags=[tag])
    return tag


def assert_counts_match_a_recount():
    assert [(name, stored) for _, name, stored, _ in recounts()] == [
        (name, actual) for _, name, _, actual in recounts()
    ]


def topics_of(articles):
    chosen = Article.objects.filter(pk__in=[article.pk for article in articles])
    return {article.title: sorted(article.tags.names()) for article in chosen}


def admin_delete(client, tag):
    return client.post(reverse("admin:articles_tag_delete", args=[tag.pk]), {"post": "yes"})


def admin_bulk_delete(client, *tags):
    return client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "delete_selected", "_selected_action": [tag.pk for tag in tags], "post": "yes"},
    )


def admin_merge(client, tag, target):
    return client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_topics", "_selected_action": [tag.pk, target.pk], "target": target.pk},
    )


# Merging


@pytest.mark.parametrize("count", SIZES)
def test_merging_a_topic_takes_the_same_few_queries_whatever_its_number_of_articles(
    count, kept, django_assert_num_queries
):
    merged, _ = topic_of(count, also=[kept])

    with django_assert_num_queries(MERGE_QUERIES):
        merged.merge_into(kept)


@pytest.mark.parametrize("count", SIZES)
def test_merging_in_the_admin_takes_the_same_few_queries_whatever_the_number_of_articles(
    client, editor, count, kept, django_assert_num_queries
):
    merged, _ = topic_of(count, also=[kept])
    client.force_login(editor)

    with django_assert_num_queries(ADMIN_MERGE_QUERIES):
        assert admin_merge(client, merged, kept).status_code == 302


@pytest.mark.parametrize("count", SIZES)
def test_a_merge_puts_every_article_on_the_kept_topic_once_with_the_counts_right(count, kept):
    merged, articles = topic_of(count, also=[kept])
    before = {article.pk for article in Article.objects.filter(tags=kept)}

    merged.merge_into(kept)

    assert not Tag.objects.filter(name="Needling").exists()
    on_kept = before | {article.pk for article in articles}
    assert set(Article.objects.filter(tags=kept).values_list("pk", flat=True)) == on_kept
    assert TaggedArticle.objects.filter(tag=kept).count() == len(on_kept)  # no duplicates
    assert all("Acupuncture" in names and "Needling" not in names for names in topics_of(articles).values())
    assert_counts_match_a_recount()


def test_a_merge_queues_the_kept_topic_alone_for_search_which_now_has_the_merged_ones_articles(kept):
    merged, articles = topic_of(6, also=[kept])

    merged.merge_into(kept)

    assert list(SearchBacklogTopic.objects.values_list("tag", flat=True)) == [kept.pk]
    assert not SearchBacklog.objects.exists()  # not a row per article, shared ones included
    assert {a.pk for a in articles} <= set(kept.tagged_articles.values_list("content_object", flat=True))


def test_the_merged_topics_address_leads_to_the_kept_one(client, kept):
    merged, _ = topic_of(3)
    old = merged.get_absolute_url()

    merged.merge_into(kept)

    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()


def test_a_merge_touches_both_topics_the_listing_and_the_topic_names_only(kept):
    merged, _ = topic_of(8, also=[kept, make_tag("Sleep hygiene")])
    pk = merged.pk

    with keys_touched() as touched:
        merged.merge_into(kept)

    # The merged topic's articles show the topic on their pages, which depend on `topic:<id>`.
    assert touched == {f"topic:{pk}", f"topic:{kept.pk}", "listing", "topic-names"}


def test_a_topic_cannot_be_merged_into_itself(kept):
    with pytest.raises(ValueError):
        kept.merge_into(Tag.objects.get(pk=kept.pk))

    assert TaggedArticle.objects.filter(tag=kept).count() == 3


# Deleting


@pytest.mark.parametrize("count", SIZES)
def test_deleting_a_topic_in_the_admin_takes_the_same_few_queries_whatever_its_number_of_articles(
    client, editor, count, kept, django_assert_num_queries
):
    tag, _ = topic_of(count, also=[kept])
    client.force_login(editor)

    with django_assert_num_queries(ADMIN_DELETE_QUERIES):
        assert admin_delete(client, tag).status_code == 302


@pytest.mark.parametrize("count", SIZES)
def test_deleting_a_topic_with_the_bulk_action_takes_the_same_few_queries_whatever_its_number_of_articles(
    client, editor, count, kept, django_assert_num_queries
):
    tag, _ = topic_of(count, also=[kept])
    client.force_login(editor)

    with django_assert_num_queries(ADMIN_BULK_DELETE_QUERIES):
        assert admin_bulk_delete(client, tag).status_code == 302


@pytest.mark.parametrize("delete", [admin_delete, admin_bulk_delete], ids=["delete view", "bulk action"])
def test_deleting_a_topic_in_the_admin_keeps_its_articles_queues_them_and_leaves_the_counts_right(
    client, editor, delete, kept
):
    tag, articles = topic_of(9, also=[kept])
    client.force_login(editor)

    with keys_touched() as touched:
        assert delete(client, tag).status_code == 302

    assert not Tag.objects.filter(pk=tag.pk).exists()
    assert not TaggedArticle.objects.filter(tag_id=tag.pk).exists()
    assert Article.objects.filter(pk__in=[a.pk for a in articles]).count() == len(articles)
    assert set(SearchBacklog.objects.values_list("article_id", flat=True)) == {a.pk for a in articles}
    assert_counts_match_a_recount()
    assert touched == {f"topic:{tag.pk}", "listing", "topic-names"}


def test_deleting_several_topics_at_once_removes_only_their_links(client, editor, kept):
    first, first_articles = topic_of(4, also=[kept], name="Needling")
    second, second_articles = topic_of(4, also=[kept], name="Cupping")
    client.force_login(editor)

    assert admin_bulk_delete(client, first, second).status_code == 302

    assert not Tag.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert {name for names in topics_of(first_articles + second_articles).values() for name in names} == {
        "Acupuncture"
    }
    assert SearchBacklog.objects.count() == 8
    assert_counts_match_a_recount()


def test_deleting_a_topic_directly_leaves_the_other_counts_and_the_backlog_right(kept):
    tag, articles = topic_of(7, also=[kept])
    pk = tag.pk

    with keys_touched() as touched:
        tag.delete()

    assert tag.pk is None  # as Model.delete() leaves any instance
    assert set(SearchBacklog.objects.values_list("article_id", flat=True)) == {a.pk for a in articles}
    assert all(names in ([], ["Acupuncture"]) for names in topics_of(articles).values())
    assert_counts_match_a_recount()
    assert touched == {f"topic:{pk}", "listing", "topic-names"}


def test_deleting_a_topic_makes_its_articles_pages_stale(client, page_cache, kept):
    tag, articles = topic_of(3)
    address = tag.get_absolute_url()
    pages = [articles[0].get_absolute_url(), reverse("articles:list"), kept.get_absolute_url()]
    for url in pages:
        client.get(url)
        assert client.get(url).page_cache == "hit"

    tag.delete()

    assert [client.get(url).page_cache for url in pages] == ["miss", "miss", "miss"]
    assert address not in client.get(articles[0].get_absolute_url()).text


# The confirmation page


@pytest.mark.parametrize("count", SIZES)
def test_the_delete_confirmation_says_how_many_links_go_instead_of_listing_them(
    client, editor, count, django_assert_num_queries
):
    tag, _ = topic_of(count)
    client.force_login(editor)

    with django_assert_num_queries(CONFIRMATION_QUERIES):
        page = client.get(reverse("admin:articles_tag_delete", args=[tag.pk])).text

    assert f"{count} article links will be removed; the articles themselves are kept" in page
    assert "Tagged article" not in page and "Needling 1" not in page


def test_the_bulk_delete_confirmation_says_how_many_links_go_for_each_topic(client, editor):
    first, _ = topic_of(3, name="Needling")
    second, _ = topic_of(1, name="Cupping")
    client.force_login(editor)

    page = client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk]},
    ).text

    assert "3 article links will be removed; the articles themselves are kept" in page
    assert "1 article link will be removed; the articles themselves are kept" in page
    assert "Tagged article" not in page
    assert Tag.objects.filter(pk__in=[first.pk, second.pk]).count() == 2  # asked, not done yet
