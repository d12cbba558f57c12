"""{% article_card card first %} and {% topic_links topics %}: the markup that list pages repeat.

Written here rather than in included templates: a list page shows ten cards with about forty topic
links, and each included card cost about 300 µs to render, most of a page made from scratch. Every
value is escaped (`escape`, as the template language would).
"""

from html import escape

from django import template
from django.utils import timezone
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
    noun = escape(noun)
    return mark_safe(
        "".join(
            f'<li><a href="{escape(topic.url)}">{escape(topic.name)}</a> <span class="count">'
            f'{topic.article_count}<span class="visually-hidden"> {noun}</span></span></li>'
            for topic in topics
        )
    )
