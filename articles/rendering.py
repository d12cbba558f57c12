"""Markdown to safe HTML, done once when an article is saved."""

import html
import math
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

WORDS_PER_MINUTE = 200  # a relaxed adult reading pace; readers with fibro fog may read slower

# No h1: the article title is the page's one h1; body sections start at ## (h2).
ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "strong", "em", "b", "i", "blockquote",
    "ul", "ol", "li", "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    "abbr", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class RenderedBody:
    html: str
    toc: list  # [{"id": ..., "name": ..., "level": 2 or 3}, ...]
    reading_minutes: int


def render_markdown(source):
    """Render Markdown to sanitised HTML, with ids on headings and a table of contents of them."""
    md = markdown.Markdown(
        extensions=["toc", "sane_lists", "tables", "fenced_code"],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
    )
    raw_html = md.convert(source)
    safe_html = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    words = len(nh3.clean(raw_html, tags=set()).split())
    return RenderedBody(
        html=safe_html,
        toc=list(_flatten(md.toc_tokens)),
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )


def _flatten(tokens):
    for token in tokens:
        # Names come HTML-escaped; templates escape them again, so store plain text.
        yield {"id": token["id"], "name": html.unescape(token["name"]), "level": token["level"]}
        yield from _flatten(token["children"])
