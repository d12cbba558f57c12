"""{% article_card card first %}, {% topic_links topics %} and the like: the markup that list pages,
search results and the article page repeat.

Written here rather than in included templates: a list page shows ten cards with about forty topic
links, and each included card cost about 300 µs to render, most of a page made from scratch. Every
value is escaped (`escape`, as the template language would).
"""

from html import escape
from urllib.parse import quote

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from articles.templatetags.dates import day, iso
from authors.templatetags.pictures import picture

register = template.Library()

CARD_PICTURE_SIZES = "(min-width: 68rem) 10rem, 25vw"  # a small picture beside the card's text
CARD_PICTURE_LARGEST = 480


@register.simple_tag
def topic_links(topics):
    """The topics (TopicLinks or Tags) as a list of links; "" without any."""
    if not topics:
        return ""
    links = "".join(
        f'<li><a class="tag" href="{escape(topic.get_absolute_url())}">{escape(topic.name)}</a></li>'
        for topic in topics
    )
    return mark_safe(f'<ul class="tag-links" aria-label="Topics">{links}</ul>')


@register.simple_tag
def article_card(card, first=False):
    """A published article (a Card) as lists show it: its picture (loaded at once on the first
    card, lazily below), title, author, date, reading time, summary and topics."""
    published = timezone.localtime(card.published_at)
    hero = (
        picture(card.hero, CARD_PICTURE_SIZES, "card-hero", CARD_PICTURE_LARGEST, eager=first)
        if card.hero
        else ""
    )
    summary = f'<p class="mb-1">{escape(card.summary)}</p>' if card.summary else ""
    return mark_safe(
        f'<article class="article-card">{hero}<h3 class="h5 mb-1"><a href="{escape(card.url)}">'
        f'{escape(card.title)}</a></h3><p class="meta">By <a href="{escape(card.author.url)}">'
        f'{escape(card.author.pseudonym)}</a> · <time datetime="{iso(published)}">{day(published)}</time>'
        f" · {card.reading_minutes} min read</p>{summary}{topic_links(card.topics)}</article>"
    )


@register.simple_tag
def counted_topic_items(topics, noun):
    """The <li> items of `topics` (TopicLinks with their article_count), each a link and the count,
    which screen readers read with `noun` ("articles")."""
    return _counted_links(((topic, escape(topic.url)) for topic in topics), escape(noun))


@register.simple_tag
def search_hit(hit):
    """A search result (articles.snippets.Hit): the article's title linked, its author and date,
    the snippet (matches in <mark>: articles.snippets) and its topics."""
    card, published = hit.article, timezone.localtime(hit.article.published_at)
    return mark_safe(
        f'<article class="article-card search-hit"><h2 class="h5 mb-1"><a href="{escape(card.url)}">'
        f'{escape(card.title)}</a></h2><p class="meta">By {escape(card.author.pseudonym)} · {day(published)}</p>'
        f'<p class="snippet">{conditional_escape(hit.snippet)}</p>{topic_links(card.topics)}</article>'
    )


@register.simple_tag
def facet_items(facets, query):
    """The <li> items of search facets ((TopicLink with its count, the query string adding it)
    pairs): each a link to the search for `query` narrowed to that topic, and its count."""
    searched = escape(quote(query, safe="/"))  # as the urlencode filter
    return _counted_links(
        ((topic, f"?q={searched}&amp;{escape(tag_query)}") for topic, tag_query in facets), "results"
    )


@register.simple_tag
def narrowing_items(narrowing):
    """The <li> items of "Narrow further" ((topic with its article_count, the query string of the
    list narrowed to it) pairs): each a link to that list, and its count."""
    return _counted_links(((topic, f"?{escape(tag_query)}") for topic, tag_query in narrowing), "articles")


def _counted_links(links, noun):
    # (topic, its escaped address) pairs as <li> items: the link and the count, read with `noun`.
    return mark_safe(
        "".join(
            f'<li><a href="{href}">{escape(topic.name)}</a> <span class="count">{topic.article_count}'
            f'<span class="visually-hidden"> {noun}</span></span></li>'
            for topic, href in links
        )
    )


@register.simple_tag
def toc_items(toc):
    """The <li> items of an article's contents (its `toc`: headings with their level, id and name)."""
    return mark_safe(
        "".join(
            f'<li class="toc-level-{_text(h, "level")}"><a href="#{_text(h, "id")}">{_text(h, "name")}</a></li>'
            for h in toc
        )
    )


def _text(heading, key):
    # As {{ heading.key }}: escaped, and nothing for a missing key.
    return escape(str(heading.get(key, "")))


@register.simple_tag
def related_items(related):
    """The <li> items of related articles (Article.related()): each a link and its author."""
    return mark_safe(
        "".join(
            f'<li><a href="{escape(other.get_absolute_url())}">{escape(other.title)}</a> '
            f'<span class="meta">by {escape(other.author.pseudonym)}</span></li>'
            for other in related
        )
    )
