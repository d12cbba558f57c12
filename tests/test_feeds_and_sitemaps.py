"""Feeds, sitemap, robots.txt and the tags search engines and sharing read."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_article, make_author, make_draft, make_scheduled, make_tag

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site():
    sleep = make_tag("sleep")
    author = make_author("Night Owl")
    visible = make_article("Visible & <fine>", author=author, tags=[sleep], summary="About sleep.")
    make_draft(title="Secret draft", author=author, tags=[sleep])
    make_scheduled(title="Secret scheduled", author=author, tags=[sleep])
    return {"tag": sleep, "author": author, "visible": visible}


FEEDS = {
    "all": lambda s: (reverse("articles:feed"), reverse("articles:feed_atom")),
    "tag": lambda s: (
        reverse("articles:tag_feed", args=[s["tag"].slug]),
        reverse("articles:tag_feed_atom", args=[s["tag"].slug]),
    ),
    "author": lambda s: (
        reverse("articles:author_feed", args=[s["author"].slug]),
        reverse("articles:author_feed_atom", args=[s["author"].slug]),
    ),
}


@pytest.mark.parametrize("kind", FEEDS)
def test_rss_feed_parses_and_lists_published_articles_only(client, site, kind):
    rss_url, _ = FEEDS[kind](site)
    root = ET.fromstring(client.get(rss_url).content)
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Visible & <fine>"]
    assert items[0].findtext("link").endswith(site["visible"].get_absolute_url())
    assert items[0].findtext("category") == "sleep"


@pytest.mark.parametrize("kind", FEEDS)
def test_atom_feed_parses_and_names_the_author_by_pseudonym(client, site, kind):
    _, atom_url = FEEDS[kind](site)
    root = ET.fromstring(client.get(atom_url).content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Visible & <fine>"]
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "Night Owl"


def test_feeds_of_unknown_or_unpublished_topics_and_authors_are_404(client, site):
    hidden_tag = make_tag("hidden")
    make_draft(tags=[hidden_tag])
    for url in [
        reverse("articles:tag_feed", args=["no-such-topic"]),
        reverse("articles:tag_feed", args=[hidden_tag.slug]),
        reverse("articles:author_feed", args=[make_author("Unpublished").slug]),
    ]:
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "page",
    [
        lambda s: reverse("home"),
        lambda s: s["tag"].get_absolute_url(),
        lambda s: s["author"].get_absolute_url(),
        lambda s: s["visible"].get_absolute_url(),
    ],
    ids=["home", "tag", "author", "article"],
)
def test_every_page_links_its_feeds_and_a_canonical_url(client, site, page):
    html = BeautifulSoup(client.get(page(site)).content, "html.parser")
    feeds = [link["href"] for link in html.find_all("link", rel="alternate")]
    assert reverse("articles:feed") in feeds and reverse("articles:feed_atom") in feeds
    assert html.find("link", rel="canonical")["href"] == "http://testserver" + page(site)


def test_topic_and_author_pages_link_their_own_feeds(client, site):
    tag_page = client.get(site["tag"].get_absolute_url()).content.decode()
    assert reverse("articles:tag_feed", args=[site["tag"].slug]) in tag_page
    author_page = client.get(site["author"].get_absolute_url()).content.decode()
    assert reverse("articles:author_feed_atom", args=[site["author"].slug]) in author_page


def test_sitemap_lists_published_articles_topics_and_authors_only(client, site):
    root = ET.fromstring(client.get(reverse("sitemap")).content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in root.findall(f"{ns}url")}
    base = "http://testserver"
    assert base + site["visible"].get_absolute_url() in urls
    assert urls[base + site["visible"].get_absolute_url()] == f"{site['visible'].updated_at:%Y-%m-%d}"
    assert base + site["tag"].get_absolute_url() in urls
    assert base + site["author"].get_absolute_url() in urls
    assert not [u for u in urls if "secret" in u]


def test_robots_txt_disallows_the_admin_and_names_the_sitemap(client):
    response = client.get(reverse("robots"))
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Sitemap: http://testserver/sitemap.xml" in text


def test_article_page_has_opengraph_and_twitter_tags(client, site):
    html = BeautifulSoup(client.get(site["visible"].get_absolute_url()).content, "html.parser")
    meta = {
        m.get("property") or m.get("name"): m["content"] for m in html.find_all("meta") if m.get("content")
    }
    assert meta["og:type"] == "article" and meta["og:title"] == "Visible & <fine>"
    assert meta["og:description"] == "About sleep." and meta["twitter:card"] == "summary"
    assert meta["article:tag"] == "sleep"


def test_json_ld_describes_the_article_with_the_pseudonym(client, site):
    html = BeautifulSoup(client.get(site["visible"].get_absolute_url()).content, "html.parser")
    data = json.loads(html.find("script", type="application/ld+json").string)
    assert data["@type"] == "Article" and data["headline"] == "Visible & <fine>"
    assert data["author"] == {
        "@type": "Person",
        "name": "Night Owl",
        "url": "http://testserver/authors/night-owl/",
    }


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = make_article("</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script and json.loads(script)["headline"] == article.title


def test_healthz_reports_database_and_cache(client):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok", "cache": "ok"})
