"""The XSS corpus and the checks that read pages for it: enough payloads, each traceable, each caught
by the checks when a page lets it through unescaped (so a clean page means something)."""

import html
import json
import unicodedata
from urllib.parse import unquote

import markdown
import pytest
from django.template import Context, Template

from tests.security.markup import feed_problems, json_block_problems, page_problems
from tests.security.xss_payloads import MAX_LENGTH, PAYLOADS, markers_in

BY_CONTEXT = {context: [p for p in PAYLOADS if p.context == context] for context in ("html", "attribute")}


def ids(payloads):
    return [f"payload-{p.number}" for p in payloads]


def test_the_corpus_has_at_least_forty_payloads_each_with_its_own_marker():
    assert len(PAYLOADS) >= 40
    for payload in PAYLOADS:
        assert markers_in(payload.text) == [payload.number], payload


def test_every_payload_fits_the_shortest_field_it_goes_into():
    assert max(len(p.text) for p in PAYLOADS) <= MAX_LENGTH


@pytest.mark.parametrize("payload", BY_CONTEXT["html"], ids=ids(BY_CONTEXT["html"]))
def test_a_payload_pasted_into_a_page_unescaped_is_caught(payload):
    assert page_problems(f"<main><p>{payload.text}</p></main>")


@pytest.mark.parametrize("payload", PAYLOADS, ids=ids(PAYLOADS))
def test_a_payload_escaped_into_a_page_is_clean(payload):
    escaped = html.escape(payload.text)
    page = f'<main><p title="{escaped}">{escaped}</p><input value="{escaped}"></main>'

    assert page_problems(page) == []


@pytest.mark.parametrize("payload", BY_CONTEXT["attribute"], ids=ids(BY_CONTEXT["attribute"]))
def test_a_payload_breaking_out_of_an_unescaped_attribute_is_caught(payload):
    quote = "'" if payload.text.startswith("'") else '"'
    page = f"<main><input value={quote}{payload.text}{quote}></main>"

    assert page_problems(page)


SECOND_READINGS = {
    "markdown": lambda text: markdown.markdown(text),  # without a sanitiser
    "entities": html.unescape,
    "percent": unquote,
    "js-escapes": lambda text: text.encode().decode("unicode_escape"),
    "lookalikes": lambda text: unicodedata.normalize("NFKC", text),
    "template": lambda text: Template(text).render(Context()),
    "address": lambda text: f'<a href="{html.escape(text)}">a source</a>',
    "script": lambda text: f"<script>var title = {json.dumps(text)};</script>",
}
READ_TWICE = [p for p in PAYLOADS if p.context in SECOND_READINGS]


def test_every_payload_says_where_it_becomes_markup():
    assert {p.context for p in PAYLOADS} <= {"html", "attribute", *SECOND_READINGS}


@pytest.mark.parametrize("payload", READ_TWICE, ids=ids(READ_TWICE))
def test_a_payload_that_needs_a_second_reading_is_caught_after_it(payload):
    assert page_problems(f"<main>{SECOND_READINGS[payload.context](payload.text)}</main>")


def test_a_json_ld_block_that_could_end_its_script_element_is_caught():
    assert json_block_problems(json.dumps({"headline": "</script><script>x()</script>"}))
    assert json_block_problems('{"headline": "<!--"}')
    assert json_block_problems("{not json")
    assert json_block_problems(json.dumps({"headline": "</script>"}).replace("<", "\\u003c")) == []


def test_a_feed_whose_summary_is_sent_as_html_is_caught():
    summary = html.escape("<img src=x onerror=window.__xss=3>")  # XML-escaped once: HTML to the reader
    rss = f"<rss><channel><item><title>t</title><description>{summary}</description></item></channel></rss>"

    assert feed_problems(rss.encode())


def test_a_feed_whose_summary_is_sent_as_text_is_clean():
    summary = html.escape(html.escape("<img src=x onerror=window.__xss=3>"))  # escaped as text, then as XML
    rss = f"<rss><channel><item><title>t</title><description>{summary}</description></item></channel></rss>"

    assert feed_problems(rss.encode()) == []
