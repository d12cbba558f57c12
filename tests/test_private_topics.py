"""A topic without a published article (only drafts, articles in review or scheduled ones) looks
exactly like a topic that does not exist, on every public page, feed and redirect."""

import pytest
from django.urls import reverse

from articles.cache import public_topics
from articles.models import Tag, TagRedirect
from tests.factories import make_article, make_draft, make_in_review, make_scheduled, make_tag

pytestmark = pytest.mark.django_db

MISSING = "no-such-topic"
HIDDEN = {"draft": make_draft, "in review": make_in_review, "scheduled": make_scheduled}


@pytest.fixture
def site():
    """Two public topics and published articles about pacing, to search, combine and narrow."""
    sleep, heat = make_tag("Sleep"), make_tag("Heat")
    make_article("Pacing at night", tags=[sleep], summary="Pacing helps me sleep.")
    make_article("Warm baths", tags=[sleep, heat], summary="Pacing and heat.")


def hidden_topic(kind):
    """A topic whose only article is not public (it also carries a public topic)."""
    topic = make_tag("Secret remedy", description="Only drafts so far.")
    HIDDEN[kind](title="Pacing with the secret remedy", tags=[topic, "Sleep"])
    return topic


PAGES = {
    "topic page": lambda slug: reverse("articles:tag", args=[slug]),
    "topic page 2": lambda slug: reverse("articles:tag", args=[slug]) + "?page=2",
    "topic feed": lambda slug: reverse("articles:tag_feed", args=[slug]),
    "topic atom feed": lambda slug: reverse("articles:tag_feed_atom", args=[slug]),
    "filtered list": lambda slug: f"{reverse('articles:list')}?tag={slug}",
    "filtered list page 2": lambda slug: f"{reverse('articles:list')}?tag={slug}&page=2",
    "combined filter": lambda slug: f"{reverse('articles:list')}?tag=sleep&tag={slug}",
    "search in topic": lambda slug: f"{reverse('articles:search')}?q=pacing&tag={slug}",
}


def answer(client, page, slug):
    """Status and body of `page` for `slug`, with the slug itself replaced."""
    response = client.get(PAGES[page](slug))
    return response.status_code, response.content.decode().replace(slug, "<slug>")


@pytest.mark.parametrize("kind", HIDDEN)
@pytest.mark.parametrize("page", PAGES)
def test_a_topic_without_a_published_article_answers_like_a_missing_one(client, site, kind, page):
    topic = hidden_topic(kind)

    assert answer(client, page, topic.slug) == answer(client, page, MISSING)


@pytest.mark.parametrize("page", PAGES)
def test_the_old_address_of_a_topic_without_a_published_article_answers_like_a_missing_one(
    client, site, page
):
    TagRedirect.objects.create(old_slug="old-remedy", tag=hidden_topic("draft"))

    assert answer(client, page, "old-remedy") == answer(client, page, MISSING)


def test_the_old_address_leads_to_the_topic_once_it_has_a_published_article(client, site):
    topic = hidden_topic("draft")
    TagRedirect.objects.create(old_slug="old-remedy", tag=topic)
    make_article("Out now", tags=[topic])

    response = client.get(reverse("articles:tag", args=["old-remedy"]))

    assert (response.status_code, response["Location"]) == (301, topic.get_absolute_url())


@pytest.mark.parametrize("kind", HIDDEN)
def test_the_filter_names_a_topic_only_once_it_has_a_published_article(client, site, kind):
    topic = hidden_topic(kind)
    url = PAGES["filtered list"](topic.slug)
    assert "Secret remedy" not in client.get(url).content.decode()

    make_article("Out now", tags=[topic])

    assert "Articles on Secret remedy" in client.get(url).content.decode()


def listing_urls():
    return [
        reverse("home"),
        reverse("articles:list"),
        reverse("articles:list") + "?tag=sleep",
        reverse("articles:tags"),
        reverse("articles:search") + "?q=pacing",
        reverse("articles:search") + "?q=secret",
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("sitemap"),
    ]


@pytest.mark.parametrize("kind", HIDDEN)
def test_a_topic_without_a_published_article_changes_no_public_listing(client, site, kind):
    before = {url: client.get(url).content for url in listing_urls()}

    hidden_topic(kind)

    assert {url: client.get(url).content for url in listing_urls()} == before


@pytest.mark.parametrize("kind", HIDDEN)
def test_the_stored_counts_find_the_same_public_topics_as_the_rule(site, kind):
    hidden_topic(kind)
    make_tag("Never used")
    slugs = list(Tag.objects.values_list("slug", flat=True))

    found = {tag.slug for tag in public_topics(slugs)}

    assert found == set(Tag.objects.public().values_list("slug", flat=True)) == {"sleep", "heat"}
