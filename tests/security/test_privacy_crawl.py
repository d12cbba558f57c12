"""The privacy crawl: a login with a distinctive username, e-mail and real name, linked to an author
profile with published articles, replies and pictures, never appears in any public output. Nor do
the medical reviewer's login and e-mail (their full name is shown by design), nor readers' e-mails.

Every public address reachable from the home page is read (same host, not the admin, bounded),
with the feeds, the sitemap and the addresses it lists, robots.txt, the health check, a 404, a 500,
and searches for each private value; bodies and headers are searched, pictures' names and bytes too.
The same responses are checked for the protective headers the README promises on every response.
"""

from unittest import mock

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.security.conftest import rolled_back_after_module
from tests.security.private_site import AUTHOR_LOGIN, PRIVATE, build_private_site, crawl, found_in

PUBLIC_START = ["/", "/sitemap.xml", "/robots.txt", "/healthz", "/no-such-page/"]


def public(address):
    return not address.startswith(("/admin/", "/static/"))


@pytest.fixture(scope="module")
def private_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The site and {address: response} of every public address the crawl reached."""
    media = tmp_path_factory.mktemp("private-media")
    with override_settings(MEDIA_ROOT=media), rolled_back_after_module(django_db_blocker):
        site = build_private_site()
        yield site.author, crawl(Client(), PUBLIC_START, within=public)


def leaks(response):
    return found_in(response, PRIVATE)


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


@pytest.mark.parametrize("query", PRIVATE)
def test_searching_for_a_private_detail_finds_nothing_and_shows_nothing_else(client, private_site, db, query):
    response = client.get(reverse("articles:search"), {"q": query})
    body = response.content.decode()

    assert response.status_code == 200
    assert "search-hit" not in body
    # The query itself is shown back to whoever typed it; nothing else private may be.
    for other in PRIVATE:
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
        assert [v for v in PRIVATE if v.lower() in picture_file.name.lower() or v.lower() in data] == []


def test_no_public_response_carries_a_diagnostic_cache_header(private_site, db):
    _, responses = private_site

    diagnostic = {
        address: r["X-Page-Cache"] for address, r in responses.items() if r.has_header("X-Page-Cache")
    }

    assert diagnostic == {}


def missing_protections(response):
    """The README's promise for every response: a policy without inline scripts, no framing, no
    sniffing, a referrer policy."""
    policy = response.get("Content-Security-Policy", "")
    script_sources = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
    missing = [] if policy and "'unsafe-inline'" not in script_sources else ["Content-Security-Policy"]
    missing += [] if response.get("X-Frame-Options") == "DENY" else ["X-Frame-Options"]
    missing += [] if response.get("X-Content-Type-Options") == "nosniff" else ["X-Content-Type-Options"]
    return missing + ([] if response.has_header("Referrer-Policy") else ["Referrer-Policy"])


def test_every_public_response_carries_the_protective_headers(private_site, db):
    _, responses = private_site
    client = Client(raise_request_exception=False)
    with mock.patch("articles.views.HomeView.get_context_data", side_effect=RuntimeError):
        responses = {**responses, "500": client.get(reverse("home"))}

    missing = {address: missing_protections(response) for address, response in responses.items()}

    assert {address: names for address, names in missing.items() if names} == {}
