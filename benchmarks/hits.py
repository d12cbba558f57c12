"""What a whole-page cache hit costs beside the floor, in-process (test Client, no server): the
median of --repeat requests of the floor view and of each public page once it is in the page
cache, requested in turn, with the cache in this process's memory, or in Redis with --redis (that database is
emptied). Search is left out: its answers are never stored. Prints JSON.

    DATABASE_URL=... python -m benchmarks.hits [--redis redis://127.0.0.1:6379/1] [--repeat 1000]
"""

import argparse
import json
import os
import secrets
import statistics

import django

from benchmarks import FLOOR_PATH


def configure(redis):
    os.environ.pop("CACHE_DISABLED", None)
    os.environ.update({"PAGE_CACHE_SECONDS": "600", "DEBUG": "0", "BENCHMARK": "1"})
    if redis:
        os.environ["REDIS_URL"] = redis
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("CONN_MAX_AGE", "600")
    hosts = os.environ.get("ALLOWED_HOSTS", "")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver" if hosts else "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fibrosite.settings")
    django.setup()


def measure(repeat):
    """{"floor": ms, "pages": {name: ms}}: medians of `repeat` rounds, each requesting the floor and
    every cached page once in turn (a slow spell of the machine then falls on all of them alike;
    measured one after another, the floor last, it fell on some only). Pages not served from the
    cache are left out."""
    from django.core.cache import cache
    from django.test import Client

    from benchmarks.pages import public_pages, times_in_turn

    cache.clear()
    client = Client(headers={"x-forwarded-proto": "https"})
    paths = {"floor": FLOOR_PATH}
    for name, path in public_pages().items():
        if path.startswith("/search/"):
            continue
        client.get(path)
        if client.get(path).page_cache == "hit":  # a 404 (page 500 of a small data set) is not stored
            paths[name] = path
    times = times_in_turn(client, paths, repeat)
    medians = {name: statistics.median(found) for name, found in times.items()}
    return {"floor": medians.pop("floor"), "pages": medians}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--redis", default="", help="the cache (emptied); default: this process's memory")
    parser.add_argument("--repeat", type=int, default=1000)
    options = parser.parse_args()
    configure(options.redis)
    print(json.dumps(measure(options.repeat)))


if __name__ == "__main__":
    main()
