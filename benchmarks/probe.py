"""Run inside Django by benchmarks/run.py: pick the pages to load, make an admin session, and for
each page count the SQL queries of a first visit (empty cache: what follows every content change)
and of a repeated visit, and time a first visit in-process. Prints JSON."""

import json
import os
import statistics
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fibrosite.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.pages import pages  # noqa: E402


def admin_session():
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return user, session.session_key


def main():
    targets = pages()
    user, key = admin_session()
    client = Client(headers={"x-forwarded-proto": "https"})
    client.force_login(user)
    anonymous = Client(headers={"x-forwarded-proto": "https"})
    queries = {}
    for name, path in targets.items():
        browser = client if path.startswith("/admin/") else anonymous
        browser.get(path)  # warm-up: imports, connections, template compilation
        first_visits = []
        for _ in range(3):
            cache.clear()
            started = time.perf_counter()
            browser.get(path)
            first_visits.append((time.perf_counter() - started) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as first:
            browser.get(path)
        with CaptureQueriesContext(connection) as repeat:
            status = browser.get(path).status_code
        queries[name] = {
            "first": len(first),
            "queries": len(repeat),
            "first_ms": statistics.median(first_visits),
            "status": status,
        }
    print(json.dumps({"pages": targets, "queries": queries, "session": key}))


main()
