"""Every public page costs a fixed, small number of SQL queries however much data exists (no N+1)."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from articles.models import Source
from tests.factories import make_article, make_author, make_tag

MAX_QUERIES = 8
SMALL, LARGE = 3, 30
TAG_POOL = 20
COMMON_TAGS = 2  # carried by every article, so filtering by them still lists every article
DRAWN_TAGS = 5  # drawn from the rest of the pool: 7 tags per article


def build_site(n):
    """`n` published articles by several authors, each with 7 of 20 tags; the newest also cites `n` sources."""
    tags = [make_tag(f"Topic {number:02d}") for number in range(TAG_POOL)]
    common, rest = tags[:COMMON_TAGS], tags[COMMON_TAGS:]
    authors = [make_author(f"Writer {number}") for number in range(max(3, n // 3))]
    articles = [
        make_article(
            f"Article {number:02d}",
            author=authors[number % len(authors)],
            # Steps of 3 through 18 tags: five distinct tags, a different mix for each article.
            tags=[*common, *(rest[(number + 3 * k) % len(rest)] for k in range(DRAWN_TAGS))],
            days_ago=number + 1,
        )
        for number in range(n)
    ]
    newest = articles[0]
    Source.objects.bulk_create(
        Source(article=newest, title=f"Study {number}", url=f"https://example.org/{number}", position=number)
        for number in range(n)
    )
    return SimpleNamespace(article=newest, author=newest.author, common_tags=common)


def list_with_tags(tags):
    return f"{reverse('articles:list')}?{urlencode({'tag': [tag.slug for tag in tags]}, doseq=True)}"


# Page 2 needs more than one page of articles in the small set too, so its small set is one page plus 3.
PAGES = {
    "home": (lambda site: reverse("home"), (SMALL, LARGE)),
    "article list": (lambda site: reverse("articles:list"), (SMALL, LARGE)),
    "article list, one tag": (lambda site: list_with_tags(site.common_tags[:1]), (SMALL, LARGE)),
    "article list, two tags": (lambda site: list_with_tags(site.common_tags[:2]), (SMALL, LARGE)),
    "article list, page 2": (
        lambda site: f"{reverse('articles:list')}?page=2",
        (settings.ARTICLES_PER_PAGE + SMALL, LARGE),
    ),
    "article": (lambda site: site.article.get_absolute_url(), (SMALL, LARGE)),
    "topics": (lambda site: reverse("articles:tags"), (SMALL, LARGE)),
    "topic": (lambda site: site.common_tags[0].get_absolute_url(), (SMALL, LARGE)),
    "authors": (lambda site: reverse("authors:list"), (SMALL, LARGE)),
    "author": (lambda site: site.author.get_absolute_url(), (SMALL, LARGE)),
}


def queries_for(client, url):
    """The SQL that a first visit of `url` runs (nothing of the page in the cache, as after any
    content change), after a warm-up request; the page must answer 200."""
    client.get(url)  # warm-up: per-process caches (content types, ...) are filled before measuring
    cache.clear()  # the page's fragments and counts too: measure the work they save
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return [query["sql"] for query in captured.captured_queries]


def queries_per_size(client, url_for, sizes):
    """{size: the SQL of the page} for a site built at each size, each site rolled back after use."""
    measured = {}
    for size in sizes:
        with transaction.atomic():
            measured[size] = queries_for(client, url_for(build_site(size)))
            transaction.set_rollback(True)
    return measured


@pytest.mark.django_db
@pytest.mark.parametrize(("url_for", "sizes"), PAGES.values(), ids=PAGES.keys())
def test_public_page_costs_a_fixed_number_of_queries_however_much_data_exists(client, url_for, sizes):
    small, large = queries_per_size(client, url_for, sizes).values()

    assert len(large) == len(small), "\n\n".join(large)
    assert len(large) <= MAX_QUERIES, "\n\n".join(large)
