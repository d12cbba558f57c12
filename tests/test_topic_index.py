"""Topic pages, the multi-topic filter and related articles read the topic links' own copy of the
publication time (TaggedArticle.published_at): it must always agree with Article.published()."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles import listings, revisions
from articles.listings import cards_in_order
from articles.models import Article, TaggedArticle
from articles.pagination import ArticlePaginator
from tests.factories import make_article, make_draft, make_scheduled, make_tag

pytestmark = pytest.mark.django_db


def assert_links_agree_with_publication():
    public_links = set(TaggedArticle.objects.public().values_list("content_object", "tag"))
    expected = set(
        TaggedArticle.objects.filter(content_object__in=Article.objects.published()).values_list(
            "content_object", "tag"
        )
    )
    assert public_links == expected
    for link in TaggedArticle.objects.select_related("content_object"):
        assert link.published_at == link.content_object.public_since


@pytest.fixture
def topics():
    return [make_tag(name) for name in ("Botox", "Sleep", "Exercise")]


def test_links_carry_the_publication_time_in_every_state(topics):
    make_article(tags=topics[:2])
    make_draft(tags=topics[1:])
    make_scheduled(tags=topics)
    assert_links_agree_with_publication()
    assert TaggedArticle.objects.public().count() == 2


def test_publishing_unpublishing_and_rescheduling_move_the_links_along(topics):
    article = make_draft(tags=topics)
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now() - timedelta(hours=1)
    article.save()
    assert TaggedArticle.objects.public().count() == 3
    article.published_at = timezone.now() + timedelta(days=2)
    article.save()
    assert TaggedArticle.objects.public().count() == 0
    assert_links_agree_with_publication()
    article.status, article.published_at = Article.Status.DRAFT, None
    article.save()
    assert set(TaggedArticle.objects.values_list("published_at", flat=True)) == {None}


def test_a_topic_added_to_a_published_article_is_public_at_once(topics):
    article = make_article(tags=topics[:1])
    article.tags.add(topics[2])
    assert set(TaggedArticle.objects.public().values_list("tag", flat=True)) == {topics[0].pk, topics[2].pk}
    assert_links_agree_with_publication()


def test_a_scheduled_article_becomes_public_on_topic_pages_when_its_time_comes(client, topics):
    make_scheduled(title="Soon public", days_ahead=1, tags=topics[:1])
    url = topics[0].get_absolute_url()
    assert client.get(url).status_code == 404
    later = timezone.now() + timedelta(days=1, minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("pagecache.store.time.time", return_value=later.timestamp()),
    ):
        assert "Soon public" in client.get(url).content.decode()


def test_restoring_a_revision_and_merging_topics_keep_the_links_in_step(topics):
    editor = User.objects.create_user("editor-r")
    article = make_article(tags=topics[:1])
    revisions.record_revision(article, editor, "first")
    article.tags.set(topics[1:])
    revisions.record_revision(article, editor, "second")
    first = revisions.versions_of(article).last()
    revisions.restore(article, first, editor)
    assert list(article.tags.all()) == [topics[0]]
    topics[0].merge_into(topics[1])
    assert_links_agree_with_publication()
    assert TaggedArticle.objects.public().filter(tag=topics[1]).count() == 1


def test_article_ids_is_the_intersection_newest_first_whatever_the_order_of_the_topics(topics):
    botox, sleep, exercise = topics
    older = make_article(tags=[botox, sleep, exercise], days_ago=5)
    newer = make_article(tags=[botox, sleep, exercise], days_ago=1)
    make_article(tags=[botox, sleep], days_ago=2)
    make_draft(tags=topics)
    make_scheduled(tags=topics)
    for order in ([botox, sleep, exercise], [exercise, botox, sleep], [sleep, exercise, botox]):
        assert list(listings.article_ids(order)) == [newer.pk, older.pk]
    assert listings.article_ids([botox]).count() == 3


def test_article_ids_within_the_newest_keep_to_the_rarest_topics_newest_links(topics):
    botox, sleep, _ = topics
    both = [make_article(tags=[botox, sleep], days_ago=day) for day in (2, 4, 6)]
    make_article(tags=[botox], days_ago=1)
    make_article(tags=[botox], days_ago=3)
    for topic in (botox, sleep):
        topic.refresh_from_db()  # their stored counts choose the rarest: sleep (3 against 5)
    assert list(listings.article_ids([botox, sleep], within_newest=2)) == [both[0].pk, both[1].pk]
    assert list(listings.article_ids([botox, sleep], within_newest=50)) == [a.pk for a in both]


def test_article_ids_read_a_page_at_a_time(topics, django_assert_num_queries):
    ids = [make_article(tags=topics[:1], days_ago=day).pk for day in range(1, 8)]
    found = listings.article_ids(topics[:1])
    with django_assert_num_queries(1):
        assert found[2:5] == ids[2:5]
    with django_assert_num_queries(1):  # read, not counted first
        assert list(found) == ids
    assert (found[0], found[6], found[-1], found[5:], found[3:3], found[::3]) == (
        ids[0],
        ids[6],
        ids[-1],
        ids[5:],
        [],
        ids[::3],
    )
    with pytest.raises(IndexError):
        found[7]


def test_the_paginator_loads_only_the_shown_page_in_order(django_assert_num_queries, topics):
    articles = [make_article(tags=topics[:1], days_ago=n) for n in range(1, 26)]
    ids = [a.pk for a in articles]
    paginator = ArticlePaginator(ids, 10, count=len(ids))
    with django_assert_num_queries(1):  # the page's articles with their topics
        page = paginator.page(3)
        assert [a.pk for a in page.object_list] == ids[20:]
        assert [t.name for t in page.object_list[0].topics] == ["Botox"]
    counted = ArticlePaginator(listings.article_ids(topics[:1]), 10)
    assert counted.count == 25 and counted.num_pages == 3
    assert [a.pk for a in counted.page(2).object_list] == ids[10:20]


def test_articles_in_order_skips_ids_that_are_gone():
    article = make_article()
    assert [card.pk for card in cards_in_order([article.pk, article.pk + 1000])] == [article.pk]


def test_related_articles_share_the_most_topics_and_are_public(topics):
    botox, sleep, exercise = topics
    article = make_article(tags=topics)
    two = make_article(tags=[botox, sleep], days_ago=3)
    one_newer = make_article(tags=[exercise], days_ago=1)
    three = make_article(tags=topics, days_ago=10)
    make_draft(tags=topics)
    make_scheduled(tags=topics)
    make_article(tags=[make_tag("Unrelated")])
    assert list(article.related()) == [three, two, one_newer]
    assert list(make_article().related()) == []


def test_related_articles_look_at_the_latest_of_each_topic_only(topics):
    article = make_article(tags=topics[:1])
    recent = [make_article(tags=topics[:1], days_ago=n) for n in range(2, 5)]
    make_article(tags=topics[:1], days_ago=30)
    # The latest four of the topic: the article itself and the three recent ones.
    assert set(article.related(limit=10, candidates=4)) == set(recent)


def test_topic_page_lists_only_public_articles_newest_first(client, topics):
    new = make_article("New one", tags=topics[:1], days_ago=1)
    old = make_article("Old one", tags=topics[:1], days_ago=9)
    make_draft(title="Hidden draft", tags=topics[:1])
    response = client.get(topics[0].get_absolute_url())
    assert [a.pk for a in response.context["object_list"]] == [new.pk, old.pk]
    assert response.context["paginator"].count == 2
    assert "Hidden draft" not in response.content.decode()


def test_multi_topic_filter_pages_the_intersection_without_counting_it(client, topics):
    both = [make_article(tags=topics[:2], days_ago=n) for n in range(1, 13)]
    make_article(tags=topics[:1])
    make_draft(tags=topics[:2])
    query = "&".join(f"tag={t.slug}" for t in topics[:2])
    first = client.get(f"{reverse('articles:list')}?{query}")
    response = client.get(f"{reverse('articles:list')}?{query}&page=2")
    assert response.context["paginator"].count is None  # counting would probe every link
    assert first.context["page_obj"].has_next() and not response.context["page_obj"].has_next()
    assert [a.pk for a in response.context["object_list"]] == [a.pk for a in both[10:]]
    assert client.get(f"{reverse('articles:list')}?{query}&page=3").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_publication_times_to_existing_links():
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0008_random_upload_names")])
    old = executor.loader.project_state([("articles", "0008_random_upload_names")]).apps
    Author = old.get_model("authors", "Author")
    OldArticle, OldTag = old.get_model("articles", "Article"), old.get_model("articles", "Tag")
    OldLink = old.get_model("articles", "TaggedArticle")
    author = Author.objects.create(pseudonym="Historic", slug="historic")
    tag = OldTag.objects.create(name="Historic topic", slug="historic-topic")
    when = timezone.now() - timedelta(days=3)
    published = OldArticle.objects.create(
        title="P", slug="p", body="b", author=author, status="published", published_at=when
    )
    draft = OldArticle.objects.create(title="D", slug="d", body="b", author=author, status="draft")
    OldLink.objects.create(content_object=published, tag=tag)
    OldLink.objects.create(content_object=draft, tag=tag)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    times = dict(TaggedArticle.objects.values_list("content_object", "published_at"))
    assert times == {published.pk: when, draft.pk: None}
