"""The reply form's token is bound to its article and may be sent only a few times."""

import re
import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup

from replies.limits import TOKEN_USES
from replies.models import Reply
from replies.tokens import TOKEN_PLACEHOLDER, fill_reply_tokens, form_token, token_placeholder
from tests.factories import aged_token, make_article, reply_data, reply_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("Gentle stretching")


def token_in(response):
    return BeautifulSoup(response.content, "html.parser").find("input", {"name": "token"})["value"]


def article_id_in(token):
    return int(token.split(":")[0].split(".")[0])


def test_a_token_from_another_articles_page_is_refused_keeping_the_text(client, article):
    other = make_article("Warm baths")
    response = client.post(reply_url(article), reply_data(article=other, text="My own words"))
    html = response.content.decode()
    assert response.status_code == 200 and "belongs to another article" in html and "My own words" in html
    assert not Reply.objects.exists()


def test_a_token_whose_article_was_changed_is_refused(client, article):
    other = make_article("Warm baths")
    forged = aged_token(article=other).replace(f"{other.pk}.", f"{article.pk}.", 1)
    response = client.post(reply_url(article), reply_data(token=forged))
    assert "could not be checked" in response.content.decode()
    assert not Reply.objects.exists()


def test_one_token_may_be_sent_a_few_times_then_gives_an_error_that_keeps_the_text(client, article):
    token = aged_token(article=article)
    for n in range(TOKEN_USES):
        assert client.post(reply_url(article), reply_data(token=token, text=f"r{n}")).status_code == 302
    response = client.post(reply_url(article), reply_data(token=token, text="Once more, kindly"))
    html = response.content.decode()
    assert (
        response.status_code == 200 and "already sent several times" in html and "Once more, kindly" in html
    )
    assert Reply.objects.count() == TOKEN_USES


def test_sending_a_form_with_errors_uses_the_token_too(client, article):
    token = aged_token(article=article)
    for _ in range(TOKEN_USES):
        response = client.post(reply_url(article), reply_data(token=token, name=""))
        assert "This field is required" in response.content.decode()
    response = client.post(reply_url(article), reply_data(token=token))
    assert "already sent several times" in response.content.decode()
    assert not Reply.objects.exists()


def test_a_refused_form_comes_back_with_a_fresh_token_that_is_then_accepted(client, article):
    sent = aged_token(article=article)
    for _ in range(TOKEN_USES):
        client.post(reply_url(article), reply_data(token=sent, name=""))
    refused = client.post(reply_url(article), reply_data(token=sent))
    renewed = token_in(refused)
    assert renewed != sent and article_id_in(renewed) == article.pk
    with mock.patch("time.time", return_value=time.time() + 30):  # the reader reads it again first
        accepted = client.post(reply_url(article), reply_data(token=renewed))
    assert accepted.status_code == 302 and Reply.objects.count() == 1


def test_each_article_page_carries_a_token_for_its_own_article(client, article):
    other = make_article("Warm baths")
    for shown in (article, other, article):  # the empty form is rendered once for all of them
        page = client.get(shown.get_absolute_url())
        assert article_id_in(token_in(page)) == shown.pk
        assert TOKEN_PLACEHOLDER not in page.content.decode()


def test_a_token_taken_from_the_page_is_accepted_on_that_article_only(client, article):
    other = make_article("Warm baths")
    with mock.patch("time.time", return_value=time.time() - 30):
        token = token_in(client.get(other.get_absolute_url()))
    assert client.post(reply_url(article), reply_data(token=token)).status_code == 200
    assert client.post(reply_url(other), reply_data(token=token)).status_code == 302


def test_the_filler_signs_each_placeholder_for_the_article_it_names():
    page = f'<input value="{token_placeholder(7)}"><input value="{token_placeholder(42)}">'.encode()
    tokens = re.findall(rb'value="([^"]*)"', fill_reply_tokens(page))
    assert [article_id_in(token.decode()) for token in tokens] == [7, 42]
    assert tokens[0] != tokens[1]
    assert fill_reply_tokens(b"<p>no form here</p>") == b"<p>no form here</p>"


def test_every_token_is_different(article):
    assert len({form_token(article.pk) for _ in range(50)}) == 50
