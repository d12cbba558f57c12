"""In-process time of each public page with every cache empty (DummyCache, page cache off): what a
page costs to render from scratch, without a server or a network in front. Median over --repeat
requests through Django's test Client, after one request that compiles templates and opens the
connection. The pages are requested in turn, one request each per round: this machine's speed
moves by itself (by 40% within minutes), and measured one page after another, a slow spell fell
on the pages measured during it only. The floor (`HttpResponse("ok")` through the same
middleware) is measured in the same rounds. Run by benchmarks/run.py, or alone against any data
set (settings from the environment):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fibrosite_bench_100000 python -m benchmarks.inprocess
"""

import argparse
import json
import os
import secrets
import statistics

import django

from benchmarks import FLOOR_PATH

TARGET_MS = {"article": 5}  # the targets, at 10,000 and 100,000 articles
OTHER_PAGES_TARGET_MS = 8
FLOOR = "floor"  # HttpResponse("ok") through the same middleware: no target, the machine's pace
REPEAT = 50


def target_ms(name):
    """The issue's limit for the cold in-process time of page `name`."""
    return TARGET_MS.get(name, OTHER_PAGES_TARGET_MS)


def configure():
    """Every cache off and a production-like configuration (DEBUG off), whatever the shell has."""
    os.environ.update({"CACHE_DISABLED": "1", "PAGE_CACHE_SECONDS": "0", "DEBUG": "0", "BENCHMARK": "1"})
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("CONN_MAX_AGE", "600")  # one connection kept, as a busy server does
    hosts = os.environ.get("ALLOWED_HOSTS", "")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver" if hosts else "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fibrosite.settings")
    django.setup()


def measure(repeat):
    """{name: {path, ms (median), fastest_ms, queries, status}} for every public page and the floor."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.pages import public_pages, times_in_turn

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # {% static %} needs the manifest
    client = Client(headers={"x-forwarded-proto": "https"})  # as from the load balancer
    pages = {FLOOR: FLOOR_PATH, **public_pages()}
    statuses = {name: client.get(path).status_code for name, path in pages.items()}  # compiled, connected
    times = times_in_turn(client, pages, repeat)
    results = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        results[name] = {
            "path": path,
            "ms": statistics.median(times[name]),
            "fastest_ms": min(times[name]),  # the least disturbed by other work on the machine
            "queries": len(queries),
            "status": statuses[name],
        }
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="requests per page (the median is shown)")
    parser.add_argument("--json", action="store_true", help="print JSON (for benchmarks/run.py)")
    options = parser.parse_args()
    configure()
    results = measure(options.repeat)
    if options.json:
        print(json.dumps(results))
        return
    print(f"{'page':24} {'ms':>7} {'target':>7} {'queries':>8} status  path")
    for name, page in results.items():
        target = "" if name == FLOOR else f"< {target_ms(name)}"
        met = "" if name == FLOOR or page["ms"] < target_ms(name) else "  (over)"
        print(
            f"{name:24} {page['ms']:7.1f} {target:>7} {page['queries']:8} "
            f"{page['status']:6}  {page['path']}{met}"
        )


if __name__ == "__main__":
    main()
