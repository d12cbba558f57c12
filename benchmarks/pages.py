"""The pages the benchmark loads, picked from the data set (call after django.setup())."""

import time

from articles.models import Article, Tag
from authors.models import Author
from benchmarks.generate import COMMON_WORD, RARE_WORD


def measured_article():
    """The newest published article: the benchmark's "article" page."""
    return Article.objects.published().order_by("-published_at").first()


def pages():
    """{name: path} of the pages loaded over HTTP, the admin's article list included."""
    article = measured_article()
    popular = list(Tag.objects.order_by("pk")[:3])  # the generator makes the first topics the most used
    author = Author.objects.filter(pk=article.author_id).get()
    three = "&".join(f"tag={t.slug}" for t in popular)
    return {
        "home": "/",
        "article list, page 1": "/articles/",
        "article list, page 500": "/articles/?page=500",
        "one-tag page": popular[0].get_absolute_url(),
        "three-tag filter": f"/articles/?{three}",
        "article": article.get_absolute_url(),
        "author page": author.get_absolute_url(),
        "search, common word": f"/search/?q={COMMON_WORD}",
        "search, rare word": f"/search/?q={RARE_WORD}",
        "admin article list": "/admin/articles/article/",
    }


def public_pages():
    """{name: path} of every kind of public page: those of pages() but the admin's, the indexes and the feed."""
    found = {name: path for name, path in pages().items() if not path.startswith("/admin/")}
    return {**found, "topic index": "/tags/", "author index": "/authors/", "feed": "/feed/"}


def times_in_turn(client, paths, rounds):
    """{name: [ms of each request]} of `paths` ({name: path}) requested through `client` in turn,
    one request each per round: a slow spell of the machine falls on all of them alike, where
    measured one after another it fell on those measured during it only."""
    times = {name: [] for name in paths}
    for _ in range(rounds):
        for name, path in paths.items():
            started = time.perf_counter()
            client.get(path)
            times[name].append((time.perf_counter() - started) * 1000)
    return times
