"""The attack suite's shared set-up: the hypothesis budget, the data sets, an editor's admin session,
and the Chromium fixtures of tests/browser."""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, settings

from articles.models import Article
from tests.browser.conftest import chromium, log_in, page  # noqa: F401  (fixtures used by the browser test)
from tests.factories import make_author, make_draft, make_scheduled, make_tag
from tests.security.xss_site import build_xss_site

# A fixed budget: the same examples on every run (derandomize), none stored between runs, no timing,
# and no shrinking (it can take minutes per failure; the failing request is printed as it was).
settings.register_profile(
    "security",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    # The examples share one test's database and client on purpose: building them per example
    # would cost more than the requests themselves.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back_after_module(django_db_blocker):
    """Database access for a module-scoped fixture, inside a transaction rolled back at its end:
    the module's tests (each in its own nested transaction) share what it creates."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def fuzz_site(django_db_setup, django_db_blocker):
    """The demo content, plus a draft, a scheduled article, a topic with only drafts and an author
    with only drafts: slugs the public must not tell apart from missing ones."""
    with rolled_back_after_module(django_db_blocker):
        call_command("load_demo", verbosity=0)
        author = make_author("Unpublished Pen")
        drafts_only = make_tag("Drafted Topic", description="Only drafts carry this topic.")
        yield SimpleNamespace(
            published=Article.objects.published().order_by("pk").first(),
            draft=make_draft(title="Private draft notes", author=author, tags=[drafts_only]),
            scheduled=make_scheduled(title="Scheduled for later", tags=[drafts_only]),
            drafts_only_topic=drafts_only,
            unpublished_author=author,
        )


def make_editor(username="xss-editor", **fields):
    """A staff login in the Editor group."""
    editor = User.objects.create_user(username, f"{username}@example.org", is_staff=True, **fields)
    editor.groups.add(Group.objects.get(name="Editor"))
    return editor


@pytest.fixture(scope="module")
def xss_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The XSS corpus spread over every field a person can fill, built once per module inside a
    transaction that is rolled back after the module's last test."""
    media = tmp_path_factory.mktemp("xss-media")
    with override_settings(MEDIA_ROOT=media), rolled_back_after_module(django_db_blocker):
        yield build_xss_site(Client(), make_editor())


@pytest.fixture
def editor_client(xss_site, db):
    """A test client logged in as the data set's editor."""
    client = Client()
    client.force_login(xss_site.editor)
    return client


@pytest.fixture
def author_client(xss_site, db):
    """A test client logged in as the author of the data set's showcase article."""
    client = Client()
    client.force_login(xss_site.author_login)
    return client
