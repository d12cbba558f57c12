"""Pictures in pages: <picture> with a WebP srcset, its fallback's srcset, sizes, width and height
(the page does not move as it loads), a description; the article's hero fetched first, pictures
further down loaded lazily; lists name only renditions, at a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author
from tests.sample_pictures import picture, upload

ARTICLES_PER_PAGE = settings.ARTICLES_PER_PAGE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def tag(html, pattern):
    """The first HTML tag matching `pattern`, as {attribute: value}."""
    found = re.search(pattern, html)
    assert found, f"no {pattern} in the page"
    return dict(re.findall(r'([\w-]+)(?:="([^"]*)")?', found.group(0))[1:])


def hero(size=(2000, 1000), **fields):
    return make_article(
        hero_image=upload(picture("JPEG", size), "a.jpg"), hero_alt="A teal wall at dusk", **fields
    )


def test_the_articles_hero_is_a_responsive_picture_fetched_first(client):
    article = hero()
    folder = f"/media/{article.hero_image.name.rpartition('.')[0]}"
    html = client.get(article.get_absolute_url()).content.decode()
    source = tag(html, r'<source type="image/webp"[^>]*>')
    assert (
        source["srcset"]
        == f"{folder}/480x240.webp 480w, {folder}/960x480.webp 960w, {folder}/1600x800.webp 1600w"
    )
    image = tag(html, r'<img class="hero[^>]*>')
    assert (
        image["srcset"]
        == f"{folder}/480x240.jpg 480w, {folder}/960x480.jpg 960w, {folder}/1600x800.jpg 1600w"
    )
    assert image["src"] == f"{folder}/1600x800.jpg"
    assert image["sizes"] == source["sizes"] and "42rem" in image["sizes"]
    assert (image["width"], image["height"]) == ("1600", "800")
    assert image["alt"] == "A teal wall at dusk"
    assert image["fetchpriority"] == "high" and "loading" not in image
    assert f"/media/{article.hero_image.name}" not in html  # only renditions


def test_a_small_hero_is_offered_at_its_own_size_only(client):
    article = hero(size=(400, 300))
    image = tag(client.get(article.get_absolute_url()).content.decode(), r'<img class="hero[^>]*>')
    assert image["srcset"].endswith("/400x300.jpg 400w") and image["srcset"].count("w,") == 0
    assert (image["width"], image["height"]) == ("400", "300")


def test_list_cards_show_the_smallest_rendition_lazily_after_the_first(client):
    articles = [hero(days_ago=day) for day in range(1, 4)]
    html = client.get(reverse("articles:list")).content.decode()
    images = re.findall(r'<img class="card-hero"[^>]*>', html)
    assert len(images) == 3
    for article, markup in zip(articles, images, strict=True):
        folder = f"/media/{article.hero_image.name.rpartition('.')[0]}"
        attributes = tag(markup, r"<img[^>]*>")
        assert attributes["srcset"] == f"{folder}/480x240.jpg 480w"
        assert (attributes["width"], attributes["height"]) == ("480", "240")
        assert f"/media/{article.hero_image.name}" not in html
    assert "loading" not in images[0] and all('loading="lazy"' in markup for markup in images[1:])
    assert "fetchpriority" not in html


def test_a_page_of_heroes_costs_the_queries_of_a_page_without(client, django_assert_num_queries):
    for day in range(1, 21):
        make_article(days_ago=day)
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("articles:list"))
    for minutes in range(1, 21):
        hero(published_at=timezone.now() - timedelta(minutes=minutes))  # newer: the first page shows them
    with django_assert_num_queries(len(plain)):
        html = client.get(reverse("articles:list")).content.decode()
    assert html.count("<picture>") == ARTICLES_PER_PAGE


def test_an_avatar_is_described_by_the_pseudonym_in_two_densities(client):
    author = make_author("Fibro Warrior", avatar=upload(picture("JPEG", (300, 300)), "me.jpg"))
    make_article(author=author)
    folder = f"/media/{author.avatar.name.rpartition('.')[0]}"
    for url, lazy in ((reverse("authors:list"), True), (author.get_absolute_url(), False)):
        html = client.get(url).content.decode()
        image = tag(html, r'<img class="avatar"[^>]*>')
        assert image["alt"] == "Fibro Warrior"
        assert (image["width"], image["height"]) == ("48", "48")
        assert image["srcset"] == f"{folder}/48x48.jpg 1x, {folder}/96x96.jpg 2x"
        assert tag(html, r'<source type="image/webp"[^>]*>')["srcset"] == (
            f"{folder}/48x48.webp 1x, {folder}/96x96.webp 2x"
        )
        assert ("loading" in image) is lazy


def test_a_hero_stored_before_renditions_is_shown_plain_until_make_pictures(client):
    article = hero()
    Article.objects.filter(pk=article.pk).update(hero_width=None, hero_height=None)
    image = tag(client.get(article.get_absolute_url()).content.decode(), r'<img class="hero[^>]*>')
    assert image["src"] == f"/media/{article.hero_image.name}" and "srcset" not in image
    assert image["alt"] == "A teal wall at dusk"
