"""A tag is a treatment topic: one per name whatever its case, with a working slug in any script."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_tag_names_differing_only_in_case_are_one_tag():
    first, second = make_article(), make_article()
    first.tags.add("Botox")
    second.tags.add("botox")
    second.tags.add("BOTOX")
    assert Tag.objects.count() == 1
    assert list(second.tags.names()) == ["Botox"]


def test_a_second_tag_with_the_same_name_in_another_case_is_refused():
    Tag.objects.create(name="Sleep")
    with pytest.raises(ValidationError, match="already exists"):
        Tag(name="sLEEP", slug="sleep-2").full_clean()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("café", "café"),
        ("Ärzte", "ärzte"),
        ("Сон", "сон"),
        ("鍼治療", "鍼治療"),
        ("pain relief", "pain-relief"),
    ],
)
def test_names_in_any_script_get_a_working_slug(client, name, slug):
    article = make_article(tags=[name])
    tag = Tag.objects.get(name=name)
    assert tag.slug == slug
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_a_name_without_letters_still_gets_a_slug():
    make_article(tags=["!!!"])
    assert Tag.objects.get(name="!!!").slug == "topic"


def test_tag_page_shows_description(client):
    tag = Tag.objects.create(name="pacing", description="Spreading energy across the day.")
    make_article(tags=[tag])
    html = client.get(reverse("articles:tag", kwargs={"slug": "pacing"})).content.decode()
    assert "Spreading energy across the day." in html
