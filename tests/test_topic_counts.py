"""Each topic's stored article count follows every change, equals a recount, and is read in constant work."""

from datetime import timedelta
from io import StringIO
from itertools import count
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.cache import tags_in_use, topic_count
from articles.models import Article, Tag, TaggedArticle
from pagecache.store import request_scope
from tests.factories import (
    changes_settings,
    make_article,
    make_author,
    make_draft,
    make_scheduled,
    make_tag,
    movable_clock,
    move_publication,
)

pytestmark = pytest.mark.django_db
_names = count(1)


def assert_counts_match_a_recount():
    """Stored counts equal the topic links in the published status, and what the public is shown
    equals the public links, for every topic."""
    cache.clear()
    in_use = {tag.pk: tag.article_count for tag in tags_in_use()}
    for tag in Tag.objects.all():
        public = TaggedArticle.objects.public().filter(tag=tag).count()
        published = TaggedArticle.objects.filter(tag=tag, published_at__isnull=False).count()
        assert tag.published_article_count == published, tag.name
        assert topic_count(tag) == public, tag.name
        assert in_use.get(tag.pk, 0) == public, tag.name


@pytest.fixture
def topics():
    return [make_tag(name) for name in ("Botox", "Sleep", "Exercise")]


def stored(tag):
    return Tag.objects.values_list("published_article_count", flat=True).get(pk=tag.pk)


def test_publishing_and_unpublishing_an_article_change_its_topics_counts(topics):
    article = make_draft(tags=topics[:2])
    assert stored(topics[0]) == 0
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now()
    article.save()
    assert [stored(t) for t in topics] == [1, 1, 0]
    article.save()  # saved again while published: counted once
    assert_counts_match_a_recount()
    article.status, article.published_at = Article.Status.DRAFT, None
    article.save()
    assert [stored(t) for t in topics] == [0, 0, 0]
    assert_counts_match_a_recount()


def test_deleting_a_public_article_uncounts_it(topics):
    article = make_article(tags=topics)
    make_article(tags=topics[:1])
    article.delete()
    assert [stored(t) for t in topics] == [1, 0, 0]
    assert_counts_match_a_recount()


@pytest.mark.parametrize("make", [make_article, make_draft], ids=["public", "draft"])
def test_adding_removing_setting_and_clearing_topics_keep_the_counts(topics, make):
    article = make(tags=topics[:1])
    article.tags.add(topics[1], topics[2])
    assert_counts_match_a_recount()
    article.tags.remove(topics[0])
    assert_counts_match_a_recount()
    article.tags.set([topics[0], topics[1]])
    assert_counts_match_a_recount()
    article.tags.clear()
    assert_counts_match_a_recount()
    assert [stored(t) for t in topics] == [0, 0, 0]


def test_a_scheduled_article_is_counted_for_the_public_when_its_time_comes_without_a_save(topics):
    make_article(tags=topics[:1])
    make_scheduled(days_ahead=1, tags=topics[:2])
    botox, sleep = (Tag.objects.get(pk=t.pk) for t in topics[:2])  # as a page loads them
    assert topic_count(botox) == 1 and topic_count(sleep) == 0
    assert [t.name for t in tags_in_use()] == ["Botox"]
    assert_counts_match_a_recount()
    later = timezone.now() + timedelta(days=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert_counts_match_a_recount()
        assert [(t.name, t.article_count) for t in tags_in_use()] == [("Botox", 2), ("Sleep", 1)]


def test_merging_two_topics_moves_the_count_without_duplicates(topics):
    botox, sleep, _ = topics
    make_article(tags=[botox, sleep])
    make_article(tags=[botox])
    make_draft(tags=[botox])
    botox.merge_into(sleep)
    assert stored(sleep) == 2
    assert_counts_match_a_recount()


def test_deleting_a_topic_leaves_the_other_counts_right(topics):
    make_article(tags=topics)
    topics[0].delete()
    assert_counts_match_a_recount()


def test_saving_a_loaded_topic_never_writes_back_a_stale_count(topics):
    botox = Tag.objects.get(pk=topics[0].pk)
    make_article(tags=[botox])
    botox.description = "Injections."
    botox.save()
    assert stored(botox) == 1


def test_an_author_takedown_that_unpublishes_uncounts_their_articles(client, topics):
    author = make_author("Pen")
    make_article(author=author, tags=topics[:2])
    make_article(tags=topics[:1])
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw"))
    client.post(
        reverse("admin:authors_author_changelist"),
        {"action": "take_down", "_selected_action": [author.pk], "articles": "unpublish"},
    )
    assert [stored(t) for t in topics] == [1, 0, 0]
    assert_counts_match_a_recount()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["publish", "schedule", "unpublish", "delete", "add", "remove", "set", "clear", "merge", "wait"]
        ),
        st.integers(0, 3),
        st.integers(0, 2),
    ),
    max_size=12,
)


@changes_settings
@given(operations=OPERATIONS)
def test_any_sequence_of_changes_leaves_the_counts_equal_to_a_recount(operations):
    with movable_clock() as clock:
        topics = [make_tag(f"Topic {next(_names)}") for _ in range(3)]
        articles = [make_draft(tags=topics[: n % 3 + 1]) for n in range(4)]
        for name, a, t in operations:
            article, topic = articles[a], topics[t]
            if article.pk is None or topic.pk is None:
                continue
            if name in ("publish", "schedule", "unpublish"):
                move_publication(article, name, clock[0])
            elif name == "delete":
                article.delete()
                article.pk = None
            elif name in ("add", "remove"):
                getattr(article.tags, name)(topic)
            elif name == "set":
                article.tags.set([other for other in (topic, topics[(t + 1) % 3]) if other.pk is not None])
            elif name == "clear":
                article.tags.clear()
            elif name == "merge":
                other = topics[(t + 1) % 3]
                if other.pk is not None:
                    topic.merge_into(other)
                    topic.pk = None
            else:
                clock[0] += timedelta(hours=13)  # the scheduled ones become public
        assert_counts_match_a_recount()


def test_the_repair_command_finds_and_fixes_a_drift(topics):
    make_article(tags=topics[:2])
    Tag.objects.filter(pk=topics[0].pk).update(published_article_count=7)
    out = StringIO()
    call_command("repair_topic_counts", "--dry-run", stdout=out)
    assert "Botox: stored 7, actual 1" in out.getvalue() and "Sleep" not in out.getvalue()
    assert stored(topics[0]) == 7
    out = StringIO()
    call_command("repair_topic_counts", stdout=out)
    assert "Botox: stored 7, actual 1" in out.getvalue()
    assert_counts_match_a_recount()
    out = StringIO()
    call_command("repair_topic_counts", stdout=out)
    assert "0 topic count(s) drifted" in out.getvalue()


def queries_of_tags_in_use(size):
    with transaction.atomic():
        topics = [make_tag(f"Size {size} topic {n}") for n in range(size)]
        for n in range(size):
            make_article(tags=topics[: n + 1])
        make_scheduled(tags=topics[:2])
        cache.clear()
        with CaptureQueriesContext(connection) as captured, request_scope():  # as a page reads them
            tags = tags_in_use()
        assert len(tags) == size
        transaction.set_rollback(True)
    return len(captured.captured_queries)


def test_topics_in_use_are_read_in_a_constant_number_of_queries_whatever_the_data_size():
    small, large = queries_of_tags_in_use(3), queries_of_tags_in_use(30)
    assert small == large <= 2
