"""The reply rate limit holds against parallel posts: counting and storing are one atomic step, in
the shared cache, or in the database (one client at a time) when the cache is down."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

import pytest

from replies.limits import RATE_LIMIT, RATE_WINDOW_MINUTES, RateLimited, store_within_rate_limit
from replies.models import Reply
from tests.factories import make_article, reply_data, reply_url

DEAD_REDIS = {
    "default": {
        "BACKEND": "pagecache.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
PARALLEL = 12
ROUNDS = 4  # each round is a new client: a race lost once is a failure


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 after an accepted reply is the answer itself


def post_at_once(url, bodies, client):
    """POST every body to `url` at the same moment, each on its own connection; the status codes."""
    opener = build_opener(_NoRedirects)
    start = threading.Barrier(len(bodies))

    def post(body):
        request = Request(url, data=urlencode(body).encode(), headers={"X-Forwarded-For": client})
        start.wait()
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except HTTPError as answer:
            return answer.code

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def assert_limit_holds(live_server, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the live server's peer stands for our load balancer
    article = make_article("Gentle stretching")
    url = f"{live_server.url}{reply_url(article)}"
    for round_ in range(ROUNDS):
        client = f"198.51.100.{round_ + 1}"
        bodies = [reply_data(article=article, text=f"{client} #{n}") for n in range(PARALLEL)]

        statuses = post_at_once(url, bodies, client)

        stored = Reply.objects.filter(text__startswith=f"{client} #").count()
        assert stored == RATE_LIMIT, f"round {round_}: {stored} replies stored"
        assert sorted(statuses) == [200] * (PARALLEL - RATE_LIMIT) + [302] * RATE_LIMIT


# Through a live server on PostgreSQL only: SQLite's test database lives in memory, one connection
# shared by all the live server's threads, which fails under parallel writes whatever the code does.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_posts_from_one_client_store_at_most_the_limit(live_server, settings, cache_backend):
    assert_limit_holds(live_server, settings)


# With the cache down, PostgreSQL serialises each client's count and insert with an advisory lock
# (on SQLite the insert comes first and holds the database's write lock until the count is done).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_cache_down_parallel_posts_store_at_most_the_limit(live_server, settings):
    settings.CACHES = DEAD_REDIS
    assert_limit_holds(live_server, settings)


def test_parallel_counts_in_the_cache_let_exactly_the_limit_through(cache_backend):
    replies = [Reply(client_hash="c" * 64, name="R", text=str(n)) for n in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)

    def store(reply):
        start.wait()
        try:
            store_within_rate_limit(reply)
        except RateLimited:
            return False
        return True

    with mock.patch.object(Reply, "save"), ThreadPoolExecutor(PARALLEL) as pool:
        accepted = list(pool.map(store, replies))
    assert accepted.count(True) == RATE_LIMIT


@pytest.mark.django_db
def test_only_accepted_replies_count_against_the_limit(client, cache_backend):
    article = make_article()
    for _ in range(RATE_LIMIT):
        assert client.post(reply_url(article), reply_data(name="")).status_code == 200
    for n in range(RATE_LIMIT):
        assert client.post(reply_url(article), reply_data(text=f"r{n}")).status_code == 302
    refused = client.post(reply_url(article), reply_data(text="one too many"))
    assert "several replies" in refused.content.decode() and "one too many" in refused.content.decode()
    assert Reply.objects.count() == RATE_LIMIT


@pytest.mark.django_db
def test_the_window_opens_with_the_first_reply_and_ends_after_its_minutes(client, settings):
    # This process's memory, whose clock a test can move (Redis ends keys by its own clock).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    article = make_article()
    started = time.time()
    for n in range(RATE_LIMIT + 1):
        client.post(reply_url(article), reply_data(text=f"r{n}"))
    assert Reply.objects.count() == RATE_LIMIT
    later = started + RATE_WINDOW_MINUTES * 60 + 1
    with mock.patch("time.time", return_value=later):
        assert client.post(reply_url(article), reply_data(text="a new window")).status_code == 302


@pytest.mark.django_db
def test_with_the_cache_down_the_database_counts_each_clients_replies(client, settings):
    settings.CACHES = DEAD_REDIS
    article = make_article()
    for n in range(RATE_LIMIT):
        assert client.post(reply_url(article), reply_data(text=f"r{n}")).status_code == 302
    refused = client.post(reply_url(article), reply_data(text="one too many"))
    assert refused.status_code == 200 and "several replies" in refused.content.decode()
    assert Reply.objects.count() == RATE_LIMIT
    other = client.post(reply_url(article), reply_data(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
