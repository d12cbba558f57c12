"""The article changelist stays the same size and cost however many articles, authors and topics
there are: authors and topics are typed into the sidebar, not listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author, make_tag

CHANGELIST = reverse("admin:articles_article_changelist")


def titles_listed(response):
    assert response.status_code == 200, response
    return {article.title for article in response.context["cl"].result_list}


def queries_for_changelist(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return len(captured)


def add_articles(count, topics_each=3):
    """`count` articles, each by a new author and with `topics_each` new topics."""
    for n in range(count):
        tags = [make_tag(f"Topic {n}-{i}") for i in range(topics_each)]
        make_article(f"Bulk {n}", tags=tags)


@pytest.fixture
def shelf(db):
    """Two authors and three topics, with an article on every combination that matters here."""
    botox, sleep, diet = make_tag("Botox"), make_tag("Sleep"), make_tag("Diet")
    anna, ben = make_author("Anna Pain"), make_author("Ben Fog")
    make_article("Anna on botox", author=anna, tags=[botox, sleep])
    make_article("Anna on sleep", author=anna, tags=[sleep], status=Article.Status.DRAFT)
    make_article("Ben on diet", author=ben, tags=[diet])
    make_article("Ben on botox", author=ben, tags=[botox])


@pytest.mark.parametrize("query", ["", "?pseudonym=anna+pain", "?topic=botox", "?status=published"])
def test_changelist_queries_do_not_grow_with_articles_authors_or_topics(client, editor, shelf, query):
    client.force_login(editor)
    few = queries_for_changelist(client, query)

    add_articles(30)  # past one page of 25, 30 more authors, 90 more topics

    assert queries_for_changelist(client, query) == few
    assert few <= 10


def test_changelist_never_lists_every_topic_or_author(client, editor, shelf):
    add_articles(30)
    unused = [make_tag(f"Unused topic {n}") for n in range(5)]
    quiet = [make_author(f"Quiet writer {n}") for n in range(5)]
    client.force_login(editor)

    page = client.get(CHANGELIST).content.decode()

    assert not any(tag.name in page for tag in unused)
    assert not any(author.pseudonym in page for author in quiet)
    assert "tags__id__exact" not in page and "author__id__exact" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?pseudonym=Anna+Pain", {"Anna on botox", "Anna on sleep"}),
        ("?pseudonym=aNNa+pAIN", {"Anna on botox", "Anna on sleep"}),
        ("?pseudonym=++Ben+Fog++", {"Ben on diet", "Ben on botox"}),
        ("?topic=Botox", {"Anna on botox", "Ben on botox"}),
        ("?topic=SLEEP", {"Anna on botox", "Anna on sleep"}),
        ("?topic=botox&pseudonym=ben+fog", {"Ben on botox"}),
        ("?topic=sleep&status=draft", {"Anna on sleep"}),
        ("?pseudonym=", {"Anna on botox", "Anna on sleep", "Ben on diet", "Ben on botox"}),
    ],
)
def test_editor_filters_articles_by_typed_pseudonym_or_topic_ignoring_case(
    client, editor, shelf, query, expected
):
    client.force_login(editor)

    assert titles_listed(client.get(CHANGELIST + query)) == expected


@pytest.mark.parametrize("query", ["?pseudonym=Nobody", "?topic=No+such+topic", "?topic=Bot", "?topic=%25"])
def test_unknown_name_lists_no_article_and_no_error(client, editor, shelf, query):
    client.force_login(editor)

    response = client.get(CHANGELIST + query)

    assert titles_listed(response) == set()
    assert "?e=1" not in response.get("Location", "")


def test_article_with_several_matching_links_is_listed_once(client, editor):
    make_article("Twice tagged", tags=[make_tag("Exercise"), make_tag("EXERCISE plan")])
    client.force_login(editor)

    response = client.get(CHANGELIST + "?topic=exercise")

    assert [article.title for article in response.context["cl"].result_list] == ["Twice tagged"]


def test_typed_filter_keeps_the_other_filters_and_the_search(client, editor, shelf):
    client.force_login(editor)

    page = client.get(CHANGELIST + "?status=published&q=botox&topic=Botox").content.decode()

    assert '<input type="hidden" name="status" value="published">' in page
    assert '<input type="hidden" name="q" value="botox">' in page
    assert 'name="topic" value="Botox"' in page


def test_counts_on_request_still_work_with_typed_filters(client, editor, shelf):
    client.force_login(editor)

    assert titles_listed(client.get(CHANGELIST + "?_facets=1&topic=diet")) == {"Ben on diet"}


def test_publication_date_filter_replaces_the_date_hierarchy(client, editor, shelf):
    client.force_login(editor)

    response = client.get(CHANGELIST)

    assert "published_at__gte" in response.content.decode()
    assert titles_listed(client.get(CHANGELIST + "?published_at__isnull=True")) == {"Anna on sleep"}


@pytest.mark.parametrize("role", ["author_user", "other_author_user"])
def test_author_still_sees_only_own_articles_and_no_author_filter(client, request, shelf, role):
    user = request.getfixturevalue(role)
    make_article(f"{role} writes", author=user.author_profile)
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert titles_listed(response) == {f"{role} writes"}
    page = response.content.decode()
    assert 'name="pseudonym"' not in page and "Anna Pain" not in page


def test_author_cannot_reach_other_articles_through_the_typed_filters(client, author_user, shelf):
    make_article("Own on botox", author=author_user.author_profile, tags=[make_tag("botox plan")])
    client.force_login(author_user)

    for query in ("?pseudonym=Anna+Pain", "?topic=Botox"):
        response = client.get(CHANGELIST + query, follow=True)
        assert titles_listed(response) <= {"Own on botox"}
