"""An author's profile shows the pseudonym, bio and exactly that author's published articles."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from authors.models import Author
from tests.factories import make_article, make_author, make_draft, make_scheduled

pytestmark = pytest.mark.django_db


def test_profile_lists_exactly_the_authors_published_articles(client):
    author, other = make_author("Slow Tide", bio="I write about pacing."), make_author("Quiet Lantern")
    mine = [
        make_article("Mine old", author=author, days_ago=5),
        make_article("Mine new", author=author, days_ago=1),
    ]
    make_draft(title="My draft", author=author)
    make_scheduled(title="My scheduled", author=author)
    make_article("Theirs", author=other)
    response = client.get(author.get_absolute_url())
    assert [card.pk for card in response.context["object_list"]] == [article.pk for article in mine[::-1]]
    html = response.content.decode()
    assert "Slow Tide" in html and "I write about pacing." in html
    assert "Theirs" not in html and "My draft" not in html and "My scheduled" not in html


def test_author_index_lists_public_authors_with_counts(client):
    a, b = make_author("Alpha"), make_author("Beta")
    make_article(author=a)
    make_article(author=a)
    make_article(author=b)
    listed = {
        author.pseudonym: author.article_count
        for author in client.get(reverse("authors:list")).context["object_list"]
    }
    assert listed == {"Alpha": 2, "Beta": 1}


def test_bio_is_escaped(client):
    author = make_author("Escaper", bio="<script>alert(1)</script>")
    make_article(author=author)
    html = client.get(author.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_pseudonyms_are_unique_ignoring_case():
    make_author("Fibro Warrior")
    with pytest.raises(ValidationError, match="already exists"):
        Author(pseudonym="FIBRO WARRIOR", slug="other").full_clean()


def test_slug_comes_from_the_pseudonym_in_any_script():
    assert make_author("Тихая Волна").slug == "тихая-волна"
    assert make_author("静かな波").slug == "静かな波"
    assert make_author("???").slug == "author"
    assert make_author("Fibro-Warrior").slug == "fibro-warrior"
    assert make_author("Fibro Warrior").slug == "fibro-warrior-2"


def test_profile_address_follows_a_new_pseudonym(client):
    author = make_author("Jane Realname")
    make_article(author=author)
    old_url = author.get_absolute_url()
    author.pseudonym = "Quiet Pen"
    author.save()
    assert author.slug == "quiet-pen"
    assert client.get(old_url).status_code == 404


def test_uploaded_pictures_get_random_names(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    author = make_author("Pictured", avatar=SimpleUploadedFile("Jane_Realname.PNG", buffer.getvalue()))
    assert "Jane" not in author.avatar.name
    assert author.avatar.name.startswith("avatars/") and author.avatar.name.endswith(".png")


def test_author_index_is_a_to_z_ignoring_case(client):
    for name in ("beta", "Gamma", "Alpha"):
        make_article(author=make_author(name))

    listed = [author.pseudonym for author in client.get(reverse("authors:list")).context["object_list"]]

    assert listed == ["Alpha", "beta", "Gamma"]
