"""The admin as an Author sees it: every admin page reachable by links from the admin index (bounded)
names editors by their full name or "an editor", never by login or e-mail, and shows nothing of
another author: not their login, their real name, their unpublished article or unpublished pseudonym,
not even through the "view on site" shortcut typed in with their objects' ids."""

from urllib.parse import parse_qsl

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client, override_settings
from django.urls import reverse

from tests.security.conftest import rolled_back_after_module
from tests.security.private_site import NOT_FOR_THE_AUTHOR, build_private_site, crawl, found_in


def in_the_admin(address):
    """Admin pages, with at most one list parameter (a filter or a page) and no ordering: their
    combinations are endless. Logging out would end the crawl; the shortcut leaves the admin."""
    path, _, query = address.partition("?")
    params = parse_qsl(query, keep_blank_values=True)
    return (
        path.startswith("/admin/")
        and not path.startswith(("/admin/logout/", "/admin/r/"))
        and len(params) <= 1
        and not any(name.startswith("_") or name == "o" for name, _ in params)
    )


def shortcut(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture(scope="module")
def authors_admin(django_db_setup, django_db_blocker, tmp_path_factory):
    """{address: response} of every admin page the Author reached by following links."""
    media = tmp_path_factory.mktemp("admin-media")
    with override_settings(MEDIA_ROOT=media), rolled_back_after_module(django_db_blocker):
        site = build_private_site()
        client = Client()
        client.force_login(site.author_login)
        # No link leads to another author's objects; their "view on site" addresses are typed in.
        typed = [shortcut(obj) for obj in site.others]
        yield site, crawl(client, [reverse("admin:index"), *typed], within=in_the_admin)


def test_the_authors_crawl_reaches_their_articles_revisions_and_profile(authors_admin, db):
    site, responses = authors_admin
    reached = set(responses)

    for article in site.author.articles.all():
        assert reverse("admin:articles_article_change", args=[article.pk]) in reached
    assert any("/revisions/" in address for address in reached)
    assert reverse("admin:authors_author_change", args=[site.author.pk]) in reached


def test_no_admin_page_shows_an_author_another_persons_login_or_unpublished_work(authors_admin, db):
    _, responses = authors_admin

    found = {address: found_in(response, NOT_FOR_THE_AUTHOR) for address, response in responses.items()}

    assert {address: values for address, values in found.items() if values} == {}
