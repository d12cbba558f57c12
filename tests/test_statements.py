"""Statements built once per process (authors.statements) answer what the QuerySets that state
the rules answer, for every value put in place of their stand-ins, converted as the ORM converts."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import listings
from articles.models import Article
from tests.factories import make_article, make_author, make_draft, make_scheduled

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf():
    articles = [make_article(f"Article {day}", days_ago=day) for day in range(1, 8)]
    make_draft(title="A draft")
    make_scheduled(title="Soon", days_ahead=1)
    return articles


def test_the_latest_cards_are_the_published_querysets_cards(shelf):
    for limit in (1, 3, 20):
        assert listings.latest_cards(limit) == Article.objects.published()[:limit].cards()
    card = listings.latest_cards(1)[0]
    assert card.title == "Article 1" and timezone.is_aware(card.published_at)


def test_the_latest_cards_follow_the_clock(shelf):
    later = timezone.now() + timedelta(days=1, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert listings.latest_cards(1)[0].title == "Soon"
    assert listings.latest_cards(1)[0].title == "Article 1"


def test_cards_in_order_keep_the_order_given_and_skip_what_is_gone(shelf):
    ids = [shelf[3].pk, shelf[0].pk, 10**9, shelf[5].pk]
    assert [card.pk for card in listings.cards_in_order(ids)] == [shelf[3].pk, shelf[0].pk, shelf[5].pk]
    assert listings.cards_in_order([]) == []


def test_a_statement_is_built_once_and_only_run_afterwards(shelf):
    listings.cards_in_order([shelf[0].pk, shelf[1].pk])  # built for two ids
    with (
        mock.patch("django.db.models.sql.compiler.SQLCompiler.as_sql") as compile_sql,
        CaptureQueriesContext(connection) as queries,
    ):
        cards = listings.cards_in_order([shelf[2].pk, shelf[4].pk])
    assert compile_sql.call_count == 0 and len(queries) == 1  # the cards with their topics
    assert [card.title for card in cards] == ["Article 3", "Article 5"]


def test_the_public_article_is_the_published_one_with_its_author_loaded(shelf, django_assert_num_queries):
    from articles.cache import public_article

    expected = Article.objects.select_related("author").get(pk=shelf[2].pk)
    with django_assert_num_queries(1):
        found = public_article(expected.slug)
        assert (found.pk, found.title, found.author.pseudonym) == (
            expected.pk,
            expected.title,
            expected.author.pseudonym,
        )
    assert found.published_at == expected.published_at and timezone.is_aware(found.published_at)
    assert "body" in found.get_deferred_fields() and found.body_html == expected.body_html
    assert public_article(Article.objects.get(title="A draft").slug) is None
    soon = Article.objects.get(title="Soon")
    assert public_article(soon.slug) is None
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=2)):
        assert public_article(soon.slug).pk == soon.pk
    assert public_article("no-such-article") is None


def test_the_public_article_comes_with_which_parts_it_has(shelf):
    from articles.cache import public_article
    from articles.models import Correction
    from replies.models import Reply

    article = shelf[0]
    Correction.objects.create(article=article, corrected_on=article.published_at.date(), text="Fixed.")
    Reply.objects.create(article=article, name="R", text="Waiting.", status=Reply.Status.PENDING)

    found = public_article(article.slug)

    assert (found.has_corrections, found.has_sources, found.has_replies) == (True, False, False)
    Reply.objects.create(article=article, name="S", text="Shown.", status=Reply.Status.APPROVED)
    assert public_article(article.slug).has_replies is True


def test_the_public_profile_is_the_counted_querysets_author(shelf):
    from authors.models import Author, public_profile

    author = shelf[0].author
    expected = Author.objects.with_published_counts().get(pk=author.pk)

    found = public_profile(author.slug)

    assert (found.pk, found.pseudonym, found.article_count) == (
        author.pk,
        author.pseudonym,
        expected.article_count,
    )
    assert public_profile("no-such-author") is None
    soon = Article.objects.get(title="Soon")
    later = timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert (
            public_profile(soon.author.slug).article_count
            == Author.objects.with_published_counts().get(pk=soon.author.pk).article_count
        )


def test_an_author_without_a_published_article_has_no_public_profile():
    from authors.models import public_profile

    draft = make_draft(title="Only a draft")
    assert public_profile(draft.author.slug) is None


def test_cards_by_id_come_with_their_topics_by_name_in_one_statement(shelf, django_assert_num_queries):
    from tests.factories import make_tag

    first, second = shelf[0], shelf[1]
    first.tags.set([make_tag("Sleep"), make_tag("Botox"), make_tag("Exercise")])
    second.tags.clear()

    with django_assert_num_queries(1):
        cards = listings.cards_in_order([second.pk, first.pk])

    assert [card.pk for card in cards] == [second.pk, first.pk]
    assert cards[0].topics == [] and [t.name for t in cards[1].topics] == ["Botox", "Exercise", "Sleep"]
    assert cards == [
        *Article.objects.filter(pk=second.pk).cards(),
        *Article.objects.filter(pk=first.pk).cards(),
    ]


def test_the_public_article_comes_with_its_topics_by_name(shelf):
    from articles.cache import public_article
    from tests.factories import make_tag

    with_topics, without = shelf[0], shelf[1]
    with_topics.tags.set([make_tag("Sleep"), make_tag("Botox")])
    without.tags.clear()

    found = public_article(with_topics.slug)

    assert found.topics == type(with_topics).objects.get(pk=with_topics.pk).topics
    assert [topic.name for topic in found.topics] == ["Botox", "Sleep"]
    assert public_article(without.slug).topics == []


@pytest.mark.parametrize("name", ["home", "articles:list", "articles:tags", "authors:list", "author"])
def test_a_list_page_made_from_scratch_builds_no_statement_once_warm(client, settings, shelf, name):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for article, topic in zip(shelf, ["Sleep", "Pain", "Sleep"], strict=False):
        article.tags.add(topic)
    url = shelf[0].author.get_absolute_url() if name == "author" else reverse(name)
    client.get(url)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiles:
        response = client.get(url)
    assert response.status_code == 200 and compiles.call_count == 0
    shown = {"articles:tags": "Sleep", "authors:list": shelf[0].author.pseudonym}.get(name, shelf[0].title)
    assert shown in response.content.decode()


def test_a_paged_statement_reads_the_slices_the_queryset_reads(shelf):
    # Each slice is the statement with LIMIT and OFFSET (authors.statements.Paged).
    from articles.cache import public_topics_a_to_z
    from authors.models import Author, public_authors_a_to_z

    for article, number in zip(shelf, range(5), strict=False):
        article.tags.add(f"Topic {number}")
    authors = public_authors_a_to_z()
    assert [a.pk for a in authors[1:3]] == [a.pk for a in Author.objects.public()[1:3]]
    assert authors[1:3][0].pseudonym == Author.objects.public()[1].pseudonym
    assert authors.count() == Author.objects.public().count() == len(shelf)
    topics = public_topics_a_to_z()
    assert [row[1] for row in topics[0:2]] == ["Topic 0", "Topic 1"]
    assert [row[1] for row in topics[3:10]] == ["Topic 3", "Topic 4"] and topics.count() == 5
    author = make_author()
    mine = [make_article(author=author, days_ago=day) for day in (3, 1, 2)]
    cards = Article.objects.public_cards_by(author.pk)
    assert cards[0:2] == list(author.articles.published()[0:2].cards())
    assert [card.pk for card in cards[1:10]] == [mine[2].pk, mine[0].pk] and cards.count() == 3
    assert [card.pk for card in cards[2:]] == [mine[0].pk] and cards[3:1] == [] and cards[0:0] == []
    with pytest.raises(ValueError):
        cards[-1:]  # a paginator never asks for it; as in Python it would need every row


def test_a_statement_with_a_limit_of_its_own_is_not_paged():
    from authors.statements import Paged, prepared

    with pytest.raises(ValueError):
        Paged(prepared(lambda: Article.objects.published()[:5])(), {})


def test_the_paged_lists_follow_the_clock(client, settings):
    # Each page's statement is given the time of the request: a scheduled article, its topic and an
    # author whose only article it is appear at its time, with no save.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    writer, later_writer = make_author("Writer"), make_author("Later Writer")
    make_article("Out already", author=writer)
    make_scheduled(title="Out tomorrow", author=writer, tags=["Tomorrow topic"], days_ahead=1)
    make_scheduled(title="Also tomorrow", author=later_writer, days_ahead=1)
    pages = {
        reverse("articles:tags"): "Tomorrow topic",
        reverse("authors:list"): "Later Writer",
        writer.get_absolute_url(): "Out tomorrow",
    }
    for url, shown in pages.items():
        assert shown not in client.get(url).content.decode(), url
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=1, minutes=1)):
        for url, shown in pages.items():
            assert shown in client.get(url).content.decode(), url
