"""Only published articles whose time has come are visible anywhere public."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_draft, make_in_review, make_scheduled, make_tag

pytestmark = pytest.mark.django_db

HIDDEN = {"draft": make_draft, "in review": make_in_review, "scheduled": make_scheduled}


@pytest.fixture
def world():
    """A topic and an author with one visible article and one article of each hidden kind."""
    tag, author = make_tag("sleep"), make_author("Night Owl")
    visible = make_article("Visible article", author=author, tags=[tag])
    hidden = {
        kind: make(title=f"Hidden {kind} article", author=author, tags=[tag]) for kind, make in HIDDEN.items()
    }
    return tag, author, visible, hidden


def test_published_is_status_published_and_time_reached():
    visible = make_article()
    make_draft()
    make_in_review()
    make_scheduled()
    make_draft(published_at=timezone.now() - timedelta(days=1))  # a date alone does not publish
    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_is_hidden_until_its_time(client):
    article = make_scheduled(days_ahead=1)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("kind", HIDDEN)
def test_hidden_article_detail_answers_404(client, world, kind):
    _, _, _, hidden = world
    response = client.get(hidden[kind].get_absolute_url())
    assert response.status_code == 404
    assert hidden[kind].title not in response.content.decode()


@pytest.mark.parametrize(
    "page",
    [
        lambda tag, author: reverse("home"),
        lambda tag, author: reverse("articles:list"),
        lambda tag, author: reverse("articles:list") + f"?tag={tag.slug}",
        lambda tag, author: reverse("articles:tag", kwargs={"slug": tag.slug}),
        lambda tag, author: reverse("authors:profile", kwargs={"slug": author.slug}),
    ],
    ids=["home", "list", "filtered list", "tag page", "author profile"],
)
def test_lists_show_only_published_articles(client, world, page):
    tag, author, visible, hidden = world
    html = client.get(page(tag, author)).content.decode()
    assert visible.title in html
    for article in hidden.values():
        assert article.title not in html


def test_tag_counts_count_published_articles_only(client, world):
    tag, *_ = world
    response = client.get(reverse("articles:tags"))
    [listed] = [t for t in response.context["topics"] if t.pk == tag.pk]
    assert listed.article_count == 1


def test_author_counts_count_published_articles_only(client, world):
    _, author, *_ = world
    [listed] = client.get(reverse("authors:list")).context["object_list"]
    assert (listed, listed.article_count) == (author, 1)


def test_topic_used_only_by_hidden_articles_is_not_public(client):
    secret = make_tag("secret-topic")
    make_draft(tags=[secret])
    assert client.get(reverse("articles:tag", kwargs={"slug": secret.slug})).status_code == 404
    assert "secret-topic" not in client.get(reverse("articles:tags")).content.decode()
    assert "secret-topic" not in client.get(reverse("articles:list")).content.decode()


def test_author_without_published_articles_is_not_public(client):
    author = make_author("Not Yet Published")
    make_draft(author=author)
    assert client.get(author.get_absolute_url()).status_code == 404
    assert "Not Yet Published" not in client.get(reverse("authors:list")).content.decode()


def test_related_articles_are_published_only(client, world):
    tag, _, visible, _ = world
    other = make_article("Another visible", tags=[tag])
    page = client.get(visible.get_absolute_url())
    assert list(page.context["article"].related()) == [other]
    related = page.content.decode().split('id="related-heading"')[1].split("</section>")[0]
    assert "Another visible" in related
    assert all(
        hidden.title not in related for hidden in Article.objects.exclude(pk__in=[visible.pk, other.pk])
    )


def body_for(client, url, slug):
    response = client.get(url)
    return response.status_code, response.content.decode().replace(slug, "<slug>")


ADDRESSES = {
    "article": lambda slug: reverse("articles:detail", kwargs={"slug": slug}),
    "author profile": lambda slug: reverse("authors:profile", kwargs={"slug": slug}),
    "author profile page 2": lambda slug: reverse("authors:profile", kwargs={"slug": slug}) + "?page=2",
    "author feed": lambda slug: reverse("articles:author_feed", args=[slug]),
    "author atom feed": lambda slug: reverse("articles:author_feed_atom", args=[slug]),
}


@pytest.mark.parametrize("kind", HIDDEN)
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_address_of_unpublished_work_answers_like_a_missing_one(client, kind, address):
    author = make_author("Not Yet Published")
    article = HIDDEN[kind](title="Not yet out", author=author)
    slug = article.slug if address == "article" else author.slug
    url = ADDRESSES[address]

    assert body_for(client, url(slug), slug) == body_for(client, url("no-such-slug"), "no-such-slug")
