"""Markdown bodies are rendered to sanitised HTML once, on save."""

import pytest

from articles.rendering import render_markdown
from tests.factories import make_article


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        '<img src="x" onerror="alert(1)">',
        "<iframe src='https://example.com'></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_dangerous_markup_is_removed(source):
    html = render_markdown(source).html.lower()
    for needle in ("<script", "javascript:", "onclick", "onerror", "<iframe", "style=", "<img"):
        assert needle not in html


def test_headings_get_ids_and_a_table_of_contents():
    rendered = render_markdown("## First part\n\ntext\n\n### A detail\n\n## Q&A ü")
    assert '<h2 id="first-part">' in rendered.html
    assert [(h["name"], h["level"]) for h in rendered.toc] == [
        ("First part", 2),
        ("A detail", 3),
        ("Q&A ü", 2),
    ]


def test_links_get_a_safe_rel():
    html = render_markdown("[a site](https://example.org)").html
    assert 'href="https://example.org"' in html and 'rel="nofollow noopener noreferrer"' in html


def test_reading_time_rounds_up_at_200_words_a_minute():
    assert render_markdown("word " * 200).reading_minutes == 1
    assert render_markdown("word " * 201).reading_minutes == 2
    assert render_markdown("").reading_minutes == 1


@pytest.mark.django_db
def test_saving_an_article_renders_its_body():
    article = make_article(body="## Hello\n\n<script>x()</script>Plain **bold**.")
    assert "<strong>bold</strong>" in article.body_html
    assert "<script" not in article.body_html
    assert article.toc == [{"id": "hello", "name": "Hello", "level": 2}]
    article.body = "## Changed"
    article.save()
    assert article.body_html == '<h2 id="changed">Changed</h2>'
