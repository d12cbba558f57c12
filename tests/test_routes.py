"""{% route %} gives what reverse() gives, under whatever script prefix the site is served."""

import pytest
from django.template import engines
from django.urls import reverse, set_script_prefix

ROUTES = ("home", "articles:list", "articles:tags", "authors:list", "articles:search", "articles:feed")


def render(name):
    return engines["django"].from_string(f'{{% load routes %}}{{% route "{name}" %}}').render({})


@pytest.mark.parametrize("name", ROUTES)
def test_route_is_reverse(name):
    assert render(name) == reverse(name)


def test_route_follows_the_script_prefix():
    try:
        set_script_prefix("/site/")
        assert render("articles:list") == "/site/articles/" == reverse("articles:list")
    finally:
        set_script_prefix("/")
    assert render("articles:list") == "/articles/"
