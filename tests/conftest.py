import os

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture
def demo(db):
    """The demo content, as `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def cache_backend(request, settings):
    """An empty cache of each backend: this process's memory and, where REDIS_URL is set, Redis.
    Changing CACHES through `settings` sends setting_changed, which drops the old connections."""
    if request.param == "redis":
        options = {"socket_connect_timeout": 1, "socket_timeout": 1, "local_copies": True}  # as in production
        location = os.environ["REDIS_URL"]
        settings.CACHES = {
            "default": {
                "BACKEND": "pagecache.redis.RedisCache",
                "LOCATION": location,
                "OPTIONS": options,
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield request.param
    cache.clear()


@pytest.fixture
def page_cache(cache_backend, settings):
    """The page cache switched on, on an empty cache of each backend."""
    settings.PAGE_CACHE_SECONDS = 600
    return cache_backend


@pytest.fixture
def fragments(cache_backend, settings):
    """The page cache off (as in the uncached benchmark); fragments on an empty cache of each backend."""
    settings.PAGE_CACHE_SECONDS = 0
    return cache_backend


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    # The cache outlives each test's database transaction; start every test without old entries,
    # and with the cache usable (a test of an outage pauses its use in this process).
    monkeypatch.setattr("pagecache.store._down_until", 0.0)
    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; the tests create many logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(trylast=True)  # after pytest-django has put transactional tests last
def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres`, `redis` or `browser` run only where that service (or Chromium) is
    there; elsewhere they are deselected and named in the summary. With REQUIRE_SERVICES=1 (CI) a
    missing one is an error. Transactional tests with serialized_rollback run before the others:
    they reload the migrated rows (roles, content types) with their original ids, which would
    collide with the content types a plain transactional test's flush recreates under new ids."""
    items.sort(key=lambda item: _transactional(item) and not _serialized_rollback(item))
    missing = set()
    if not os.path.exists("/usr/bin/chromium"):
        missing.add("browser")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        missing.add("postgres")
    if not os.environ.get("REDIS_URL"):
        missing.add("redis")
    needing = [item for item in items if missing & {m.name for m in item.iter_markers()}]
    if not needing:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        raise pytest.UsageError(f"REQUIRE_SERVICES=1 but not configured: {', '.join(sorted(missing))}")
    config.hook.pytest_deselected(items=needing)
    items[:] = [item for item in items if item not in needing]
    config._services_deselected = (len(needing), sorted(missing))


def _transactional(item):
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    marked = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    return bool(marked) or "transactional_db" in fixtures or "live_server" in fixtures


def _serialized_rollback(item):
    marker = item.get_closest_marker("django_db")
    return marker is not None and bool(marker.kwargs.get("serialized_rollback"))


def pytest_terminal_summary(terminalreporter, config):
    deselected = getattr(config, "_services_deselected", None)
    if deselected:
        count, missing = deselected
        terminalreporter.write_line(
            f"{count} test(s) need {' and '.join(missing)} and were not run here; "
            "CI runs them in its PostgreSQL + Redis pass (see .ci/run).",
            yellow=True,
        )


@pytest.fixture(scope="session", autouse=True)
def pictures_never_in_the_project(tmp_path_factory):
    """Pictures any test saves (the demo content has some) go to a temporary folder, never media/."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("session-media")):
        yield


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded pictures go to this test's own folder, returned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
