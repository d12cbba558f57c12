"""Feeds, sitemap, robots.txt and the tags search engines and sharing read."""

import html
import json
import xml.etree.ElementTree as ET

import feedparser
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
    # RSS readers take a title for HTML: it is sent escaped once more.
    assert [html.unescape(item.findtext("title")) for item in items] == ["Visible & <fine>"]
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
    assert urls[base + site["visible"].get_absolute_url()] == f"{site['visible'].public_updated_at:%Y-%m-%d}"
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


# Plain text stays text: titles, summaries, topic descriptions and pseudonyms may hold anything.

TEXTS = [
    "<img src=x onerror=alert(1)>",
    "<b>bold</b> & <i>sure</i>",
    "<script>alert(1)</script>",
    "Fish &amp; chips &lt;b&gt;",  # already looks escaped: must still show exactly this
]


@pytest.fixture(params=TEXTS, ids=["img", "bold", "script", "entities"])
def marked_up(request):
    """A topic, author and article whose every text field carries `request.param`."""
    text = request.param
    tag = make_tag(f"Topic {text}", description=f"About {text}")
    author = make_author(f"Pen {text}")
    make_article(f"Title {text}", author=author, tags=[tag], summary=f"Summary {text}")
    return {"text": text, "tag": tag, "author": author}


def feeds(site):
    """Each feed's address, with the title and subtitle it should show."""
    tag, author, text = site["tag"], site["author"], site["text"]
    on_topic = (f"fibrosite: articles on Topic {text}", f"About {text}")
    by_author = (f"fibrosite: articles by Pen {text}", f"Published articles by Pen {text}.")
    latest = ("fibrosite: latest articles", "Fibromyalgia treatments, told by the people who tried them.")
    return {
        reverse("articles:feed"): latest,
        reverse("articles:feed_atom"): latest,
        reverse("articles:tag_feed", args=[tag.slug]): on_topic,
        reverse("articles:tag_feed_atom", args=[tag.slug]): on_topic,
        reverse("articles:author_feed", args=[author.slug]): by_author,
        reverse("articles:author_feed_atom", args=[author.slug]): by_author,
    }


def as_the_reader_shows_it(detail):
    """The text a feed reader shows for a parsed field, read as its type says; fails on markup."""
    if detail.type == "text/plain":
        return detail.value
    assert detail.type in ("text/html", "application/xhtml+xml"), detail.type
    parsed = BeautifulSoup(detail.value, "html.parser")
    assert parsed.find() is None, f"markup reaches the reader: {detail.value!r}"
    return parsed.get_text()


def test_feeds_send_every_text_field_as_text(client, marked_up):
    text = marked_up["text"]
    for url, (title, subtitle) in feeds(marked_up).items():
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        [entry] = parsed.entries
        shown = [
            as_the_reader_shows_it(detail)
            for detail in (
                parsed.feed.title_detail,
                parsed.feed.subtitle_detail,
                entry.title_detail,
                entry.summary_detail,
            )
        ]
        assert shown == [title, subtitle, f"Title {text}", f"Summary {text}"], url


def test_feeds_carry_no_markup_in_their_raw_text_fields(client, marked_up):
    # feedparser cleans what it parses; a reader without such cleaning reads the raw XML.
    for url in feeds(marked_up):
        root = ET.fromstring(client.get(url).content)
        if root.tag == "rss":
            fields = [root.find("channel/title"), root.find("channel/description")]
            fields += root.findall("channel/item/title") + root.findall("channel/item/description")
        else:
            fields = [root.find(f"{ATOM}title"), root.find(f"{ATOM}subtitle")]
            fields += root.findall(f"{ATOM}entry/{ATOM}title") + root.findall(f"{ATOM}entry/{ATOM}summary")
        for field in fields:
            if field.get("type", "text") == "text" and root.tag != "rss":
                continue  # Atom text constructs are text by definition
            assert "<" not in (field.text or ""), f"{url}: <{field.tag}> holds markup: {field.text!r}"
