"""What the editorial work shows readers: medical review line, corrections, disclosure."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from articles.models import Correction
from tests.admin.conftest import make_user
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def page(client, article):
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")


def test_unreviewed_article_says_so(client):
    assert "has not been medically reviewed" in page(client, make_article()).select_one(".review-line").text


def test_reviewed_article_names_the_reviewer_by_full_name_and_date(client):
    reviewer = make_user("login-name", first_name="Sam", last_name="Carer")
    article = make_article()
    article.record_review(reviewer, timezone.make_aware(datetime.datetime(2026, 3, 4)))
    article.save()
    html = page(client, article)
    assert (
        " ".join(html.select_one(".review-line").text.split())
        == "Medically reviewed by Sam Carer on 4 March 2026."
    )
    assert "login-name" not in str(html)


def test_reviewer_without_a_full_name_is_never_shown_by_login(client):
    article = make_article()
    article.record_review(make_user("secret-login"))
    article.save()
    html = str(page(client, article))
    assert "Medically reviewed by an editor on" in html and "secret-login" not in html


def test_corrections_are_dated_and_shown_above_the_body(client):
    article = make_article()
    Correction.objects.create(
        article=article, corrected_on=datetime.date(2026, 5, 6), text="Dose was <wrong>."
    )
    html = page(client, article)
    corrections = html.select_one(".corrections")
    assert "Corrected on 6 May 2026: Dose was <wrong>." in " ".join(corrections.text.split())
    assert corrections.find_next(class_="article-body") is not None  # it comes before the body


def test_disclosure_is_shown_only_when_filled(client):
    assert page(client, make_article()).select_one(".disclosure") is None
    sponsored = make_article(disclosure="I was given a free trial of this device.")
    assert "free trial" in page(client, sponsored).select_one(".disclosure").text
