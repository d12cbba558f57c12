"""The change form's status line says whether a published article is live or waiting for its time."""

import pytest

from tests.admin.conftest import change_url
from tests.factories import make_article, make_scheduled

pytestmark = pytest.mark.django_db


def status_line(client, article):
    page = client.get(change_url(article)).content.decode()
    return page.split('class="workflow-state')[1].split("</p>")[0]


def test_a_scheduled_article_shows_when_it_goes_live(client, editor):
    client.force_login(editor)
    assert "scheduled for" in status_line(client, make_scheduled(days_ahead=3))


def test_a_live_article_shows_since_when(client, editor):
    client.force_login(editor)
    line = status_line(client, make_article(days_ago=2))
    assert "since" in line and "scheduled" not in line
