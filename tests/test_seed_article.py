"""The seed patient post is carried word for word, its upper-case lines as real headings."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from articles.demo import SEED_FILE, parse_patient_post
from articles.models import Article

SEED_SLUG = "botox-injections-for-fibromyalgia"


@pytest.fixture
def seed_page(client, demo):
    article = Article.objects.get(slug=SEED_SLUG)
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")


def seed_paragraphs():
    blocks = [b.strip() for b in SEED_FILE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    return [b for b in blocks[1:] if not b.isupper() and not b.startswith("Author:") and b != "Leave a Reply"]


def test_seed_file_is_the_users_post():
    text = SEED_FILE.read_text(encoding="utf-8")
    assert text.startswith("Botox Injections for Fibromyalgia")
    assert "Author: Fibro Warrior" in text


def test_parser_finds_title_author_and_headings():
    post = parse_patient_post(SEED_FILE.read_text(encoding="utf-8"))
    assert post.title == "Botox Injections for Fibromyalgia"
    assert post.author == "Fibro Warrior"
    assert "## HOW DO BOTOX INJECTIONS WORK?" in post.body
    assert "### THE PROCEDURE IS SAFE" in post.body  # a subsection of PROS, introduced by "...aspects:"
    assert "Author:" not in post.body and "Leave a Reply" not in post.body


def test_seed_article_renders_title_and_byline(seed_page):
    assert seed_page.h1.get_text(strip=True) == "Botox Injections for Fibromyalgia"
    byline = seed_page.find("a", rel="author")
    assert byline.get_text(strip=True) == "Fibro Warrior"
    assert byline["href"] == reverse("authors:profile", kwargs={"slug": "fibro-warrior"})


def test_seed_article_headings_are_real_headings(seed_page):
    body = seed_page.select_one(".article-body")
    h2 = [h.get_text(strip=True) for h in body.find_all("h2")]
    h3 = [h.get_text(strip=True) for h in body.find_all("h3")]
    assert h2 == ["HOW DO BOTOX INJECTIONS WORK?", "PROS"]
    assert h3 == ["THE PROCEDURE IS SAFE", "NON-MEDICATION OPTION", "TIME EFFICIENT"]
    assert all(h.get("id") for h in body.find_all(["h2", "h3"]))


def test_seed_article_body_is_word_for_word(seed_page):
    rendered = [p.get_text() for p in seed_page.select(".article-body p")]
    assert rendered == seed_paragraphs()


def test_seed_article_has_contents_linking_to_its_headings(seed_page):
    links = [a["href"] for a in seed_page.select("nav.toc a")]
    ids = ["#" + h["id"] for h in seed_page.select(".article-body h2, .article-body h3")]
    assert links == ids and len(links) == 5


def test_seed_article_shows_reading_time_and_tags(seed_page):
    assert "min read" in seed_page.select_one(".meta").get_text()
    tags = [a.get_text(strip=True) for a in seed_page.select(".article-header .tag")]
    assert sorted(tags) == ["botox", "injections", "non-medication", "pain-relief"]


def test_seed_article_is_one_click_from_home_and_its_author_and_tags_one_more(client, demo):
    home = BeautifulSoup(client.get(reverse("home")).content, "html.parser")
    link = home.find("a", string="Botox Injections for Fibromyalgia")
    article = BeautifulSoup(client.get(link["href"]).content, "html.parser")
    onward = [article.find("a", rel="author")["href"]] + [
        a["href"] for a in article.select(".article-header .tag")
    ]
    assert len(onward) == 5
    for href in onward:
        assert client.get(href).status_code == 200
