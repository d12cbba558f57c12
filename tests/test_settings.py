"""Settings come from the environment and are safe by default."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from tests.settings_process import ROOT, settings_in_new_process


def run_check(**env):
    printed = "settings.DEBUG, settings.ALLOWED_HOSTS, settings.DATABASES['default']['ENGINE']"
    return settings_in_new_process(printed, **env)


def test_without_secret_key_and_debug_off_it_refuses_to_start_and_says_which_variable():
    result = run_check()
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_check(SECRET_KEY="x" * 50)
    assert result.stdout.split()[0] == "False"


def test_allowed_hosts_come_from_the_environment():
    result = run_check(SECRET_KEY="x" * 50, ALLOWED_HOSTS="fibro.example, www.fibro.example")
    assert "['fibro.example', 'www.fibro.example']" in result.stdout


def test_database_defaults_to_sqlite_and_follows_database_url():
    assert "sqlite3" in run_check(DEBUG="1").stdout
    assert "postgresql" in run_check(DEBUG="1", DATABASE_URL="postgres://u@127.0.0.1/x").stdout


def test_production_keeps_its_database_connections_checked_and_development_does_not():
    printed = (
        "settings.DATABASES['default']['CONN_MAX_AGE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS']"
    )
    assert settings_in_new_process(printed, SECRET_KEY="x" * 50).stdout.split() == ["600", "True"]
    assert settings_in_new_process(printed, DEBUG="1").stdout.split()[0] == "0"
    assert settings_in_new_process(printed, DEBUG="1", CONN_MAX_AGE="30").stdout.split()[0] == "30"
    assert settings_in_new_process(printed, DEBUG="1", CONN_HEALTH_CHECKS="0").stdout.split()[1] == "False"


def test_postgresql_prepares_the_statements_pages_repeat_unless_turned_off():
    printed = "sorted(settings.DATABASES['default'].get('OPTIONS', {}).items())"
    engine = "settings.DATABASES['default']['ENGINE']"
    postgres = {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1/x"}
    prepared = "[('prepare_threshold', 5), ('server_side_binding', True)] fibrosite.postgresql"
    assert settings_in_new_process(f"{printed}, {engine}", **postgres).stdout.strip() == prepared
    unprepared = settings_in_new_process(f"{printed}, {engine}", **postgres, PG_PREPARED_STATEMENTS="0")
    assert unprepared.stdout.strip() == "[] fibrosite.postgresql"
    assert settings_in_new_process(printed, DEBUG="1").stdout.strip() == "[]"  # SQLite: nothing to prepare


@pytest.mark.postgres
def test_with_server_side_binding_bulk_operations_keep_below_postgresqls_parameter_limit():
    from django.db import connection

    # Bound on the server, a statement takes at most 65,535 parameters: Django's deletions and bulk
    # inserts are split into batches below that (client-side binding had no limit to tell it).
    assert connection.ops.bulk_batch_size(["id", "title"], [None] * 100_000) == 32767


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(("value", "kept"), [(None, "True"), ("0", "False")])
def test_with_redis_each_process_keeps_copies_of_cached_pages_unless_turned_off(value, kept):
    env = {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/9"}
    if value is not None:
        env["PAGE_CACHE_LOCAL_COPIES"] = value
    run = settings_in_new_process("settings.CACHES['default']['OPTIONS']['local_copies']", **env)
    assert run.stdout.strip() == kept, run.stderr


def test_with_redis_each_release_keeps_its_own_cached_pages_and_fragments():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='fibrosite.settings'; django.setup()\n"
        "from django.conf import settings; print(repr(settings.CACHES['default'].get('KEY_PREFIX')))"
    )
    env = {**os.environ, "SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/9"}
    run = lambda **extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], cwd=ROOT, env={**env, **extra}, capture_output=True, text=True
    ).stdout.strip()
    assert run(RELEASE="2026-11-25.1") == "'2026-11-25.1'"
    assert run() == "''"
