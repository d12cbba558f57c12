"""Bad input in the article form: a clear error, everything else the user typed still there."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin.conftest import change_url, form_data
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db


def add(client, **fields):
    data = {
        "title": "A new article",
        "slug": "",
        "summary": "My summary text",
        "body": "My body text",
        "base_version": "",
        "published_at_0": "",
        "published_at_1": "",
        "review_note": "",
        "disclosure": "",
        "hero_alt": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("admin:articles_article_add"), data)


def test_duplicate_slug_is_a_form_error_that_keeps_the_text(client, editor):
    taken = make_article(title="Taken")
    client.force_login(editor)
    response = add(client, slug=taken.slug, author=taken.author_id)
    assert "Article with this Slug already exists." in response.content.decode()
    assert "My body text" in response.content.decode() and "My summary text" in response.content.decode()
    assert Article.objects.count() == 1


def test_empty_title_is_a_form_error(client, editor):
    author = make_article().author
    client.force_login(editor)
    response = add(client, title="", author=author.pk)
    assert response.context["adminform"].form.errors["title"] == ["This field is required."]
    assert "My body text" in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>Hello",
        "[click me](javascript:alert(1))",
        '<a href="https://example.org" onmouseover="alert(1)">hover</a>',
    ],
)
def test_dangerous_markdown_is_saved_but_rendered_sanitised(client, editor, body):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(editor)
    assert client.post(change_url(article), form_data(article, body=body)).status_code == 302
    article.refresh_from_db()
    assert article.body == body  # the author's source is kept as typed
    for needle in ("<script", "javascript:", "onmouseover"):
        assert needle not in article.body_html


def test_topic_autocomplete_answers_authors(client, author_user):
    make_tag("sleep")
    make_tag("diet")
    client.force_login(author_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "sle"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["sleep"]


def test_clearing_the_date_of_a_published_article_is_refused(client, editor):
    article = make_article(title="Live")
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, published_at_0="", published_at_1=""))
    assert "A published article needs a date" in response.content.decode()
    article.refresh_from_db()
    assert article.published_at is not None


def test_revisions_of_a_malformed_id_answer_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_revisions", args=["abc"])).status_code == 404
