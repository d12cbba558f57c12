"""The privacy crawl: a login with a distinctive username, e-mail and real name, linked to an author
profile with published articles, replies and pictures, never appears in any public output. Nor do
the medical reviewer's login and e-mail (their full name is shown by design), nor readers' e-mails.

Every public address reachable from the home page is read (same host, not the admin, bounded),
with the feeds, the sitemap and the addresses it lists, robots.txt, the health check, a 404, a 500,
and searches for each private value; bodies and headers are searched, pictures' names and bytes too.
"""

import io
import xml.etree.ElementTree as ET
from collections import deque
from unittest import mock
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image, PngImagePlugin

from articles.revisions import record_revision
from tests.factories import make_article, make_author, make_draft
from tests.security.conftest import rolled_back_after_module
from tests.security.xss_site import approve_replies, post_reply, reply_model

AUTHOR_LOGIN = {"username": "zq-login-7731", "email": "zq.mail.7731@example.org",
                "first_name": "Zquillina", "last_name": "Vortmann"}  # fmt: skip
REVIEWER_LOGIN = {"username": "zq-editor-4410", "email": "zq.editor.4410@example.org",
                  "first_name": "Quorvale", "last_name": "Edmark"}  # fmt: skip
READER_EMAIL = "zq.reader.7731@example.org"
EMAIL_IN_REPLY_TEXT = "zq.text.7731@example.org"
FORBIDDEN = [
    *AUTHOR_LOGIN.values(), "Zquillina Vortmann", "zq.mail.7731",
    REVIEWER_LOGIN["username"], REVIEWER_LOGIN["email"], "zq.editor.4410",
    READER_EMAIL, "zq.reader.7731", EMAIL_IN_REPLY_TEXT, "zq.text.7731",
]  # fmt: skip
CRAWL_LIMIT = 400  # addresses; the demo site has far fewer, so reaching it means the crawl ran away
SKIPPED_PREFIXES = ("/admin/", "/static/")


def picture(name):
    """A PNG upload whose name and text chunk carry the author's private details."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Zquillina Vortmann <zq.mail.7731@example.org>")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (90, 140, 200)).save(buffer, format="PNG", pnginfo=info)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def staff_login(group, **fields):
    user = User.objects.create_user(password="pw", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def build_private_site():
    call_command("load_demo", verbosity=0)
    author_login = staff_login("Author", **AUTHOR_LOGIN)
    reviewer = staff_login("Editor", **REVIEWER_LOGIN)
    author = make_author("Harbor Fern", bio="Writing about warmth and rest.", user=author_login,
                         avatar=picture("Zquillina-Vortmann-zq-login-7731.png"))  # fmt: skip
    articles = [
        make_article("Warm socks at night", author=author, body="Socks helped.\n\n## Why\n\nWarmth.",
                     hero_image=picture("zq.mail.7731@example.org.png"), hero_alt="Socks"),
        make_article("Resting after work", author=author, days_ago=2),
    ]  # fmt: skip
    make_draft(title="Unfinished thoughts", author=author)
    for article in articles:
        record_revision(article, author_login, "Created")
    reviewed = articles[0]
    if hasattr(reviewed, "record_review"):
        reviewed.record_review(reviewer)
    else:
        reviewed.reviewed_by, reviewed.reviewed_at = reviewer, timezone.now()
    reviewed.save()
    client = Client()
    replies = [
        ("Harbor Fern", AUTHOR_LOGIN["email"], "Thank you all for reading."),
        ("A reader", READER_EMAIL, f"Lovely. Write to me at {EMAIL_IN_REPLY_TEXT} if you like."),
    ]
    for number, (name, email, text) in enumerate(replies):
        post_reply(client, reviewed, name, text, email=email, address=f"192.0.2.{number + 1}")
    approve_replies(reviewer, reply_model().objects.all())
    return author


def links_in(response, base):
    """Same-site addresses an HTML page, a feed or the sitemap points to."""
    content_type = response.get("Content-Type", "")
    found = []
    if content_type.startswith("text/html"):
        soup = BeautifulSoup(body_of(response), "html.parser")
        found = [tag.get("href") for tag in soup.find_all(["a", "link"], href=True)]
        found += [tag.get("src") for tag in soup.find_all(["img", "script"], src=True)]
    elif "xml" in content_type:
        root = ET.fromstring(body_of(response))
        found = [el.text for el in root.iter() if el.tag.split("}")[-1] in ("loc", "link") and el.text]
        found += [el.get("href") for el in root.iter() if el.get("href")]
    addresses = []
    for href in found:
        parts = urlsplit(urljoin(base, href.strip()))
        if parts.netloc in ("", "testserver") and parts.scheme in ("", "http", "https"):
            addresses.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return addresses


def crawl(client, start):
    """{address: response} of every public address reachable from `start` (bounded)."""
    seen, queue, responses = set(start), deque(start), {}
    while queue:
        address = queue.popleft()
        response = client.get(address)
        responses[address] = response
        assert len(responses) < CRAWL_LIMIT, "the crawl did not end: an endless family of addresses?"
        for link in links_in(response, f"http://testserver{address}"):
            if link not in seen and not link.startswith(SKIPPED_PREFIXES):
                seen.add(link)
                queue.append(link)
    return responses


@pytest.fixture(scope="module")
def private_site(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("private-media")
    with override_settings(MEDIA_ROOT=media), rolled_back_after_module(django_db_blocker):
        author = build_private_site()
        start = [reverse("home"), reverse("sitemap"), reverse("robots"), reverse("healthz"), "/no-such-page/"]
        yield author, crawl(Client(), start)


def body_of(response):
    """The whole body, also of a streamed response (a picture)."""
    if response.streaming:
        response.content_bytes = getattr(response, "content_bytes", None) or b"".join(
            response.streaming_content
        )
        return response.content_bytes
    return response.content


def leaks(response):
    """The private values in a response's body or headers (case-insensitive)."""
    text = body_of(response).decode("latin-1") + "\n".join(f"{k}: {v}" for k, v in response.items())
    lowered = text.lower()
    return [value for value in FORBIDDEN if value.lower() in lowered]


def test_the_crawl_reaches_the_authors_profile_articles_pictures_replies_and_feeds(private_site, db):
    author, responses = private_site
    addresses = set(responses)
    articles = [a.get_absolute_url() for a in author.articles.published()]

    assert {author.get_absolute_url(), *articles} <= addresses
    assert reverse("articles:author_feed", args=[author.slug]) in addresses
    assert any(a.startswith("/media/") for a in addresses), "no picture address was found"
    assert "Thank you all for reading." in responses[articles[0]].content.decode()


def test_no_public_address_shows_the_private_details(private_site, db):
    _, responses = private_site

    found = {address: leaks(response) for address, response in responses.items()}

    assert not any(found.values()), {address: values for address, values in found.items() if values}


@pytest.mark.parametrize("query", FORBIDDEN)
def test_searching_for_a_private_detail_finds_nothing_and_shows_nothing_else(client, private_site, db, query):
    response = client.get(reverse("articles:search"), {"q": query})
    body = response.content.decode()

    assert response.status_code == 200
    assert "search-hit" not in body
    # The query itself is shown back to whoever typed it; nothing else private may be.
    for other in FORBIDDEN:
        if other.lower() not in query.lower() and query.lower() not in other.lower():
            assert other.lower() not in body.lower(), f"{other!r} shown when searching for {query!r}"


def test_the_server_error_page_shows_nothing_private(private_site, db):
    client = Client(raise_request_exception=False)
    failure = RuntimeError(f"failed for {AUTHOR_LOGIN['username']} <{AUTHOR_LOGIN['email']}>")

    with mock.patch("articles.views.HomeView.get_context_data", side_effect=failure):
        response = client.get(reverse("home"))

    assert response.status_code == 500
    assert leaks(response) == []


def test_pictures_carry_no_private_detail_in_their_names_or_bytes(private_site, db):
    author, _ = private_site
    pictures = [author.avatar, *(a.hero_image for a in author.articles.all() if a.hero_image)]

    assert len(pictures) == 2
    for picture_file in pictures:
        picture_file.open("rb")
        with picture_file:
            data = picture_file.read().decode("latin-1").lower()
        assert [v for v in FORBIDDEN if v.lower() in picture_file.name.lower() or v.lower() in data] == []


def test_no_public_response_carries_a_diagnostic_cache_header(private_site, db):
    _, responses = private_site

    diagnostic = {
        address: r["X-Page-Cache"] for address, r in responses.items() if r.has_header("X-Page-Cache")
    }

    assert diagnostic == {}
