"""Structured data for search engines: JSON-LD describing an article, naming its author by pseudonym."""

import json

from django import template
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.share_cards import CARD_HEIGHT, CARD_WIDTH
from articles.workflow import known_name

register = template.Library()

# Characters that could end the <script> element or open HTML inside it, written as JSON escapes.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A <script type="application/ld+json"> with the schema.org Article for `article`, inside a
    MedicalWebPage naming the reviewer when a medical review covers its current text."""
    absolute = context["request"].build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "datePublished": article.published_at,
        "dateModified": article.public_updated_at,
        "author": {
            "@type": "Person",
            "name": article.author.pseudonym,
            "url": absolute(article.author.get_absolute_url()),
        },
        "publisher": {"@type": "Organization", "name": "fibrosite"},
        "keywords": [tag.name for tag in article.topics],
        "inLanguage": "en",
    }
    if article.share_image:  # 1,200 x 630 (articles/share_cards.py)
        data["image"] = {
            "@type": "ImageObject",
            "url": absolute(article.share_image.url),
            "width": CARD_WIDTH,
            "height": CARD_HEIGHT,
        }
    elif article.hero:  # its share image is still being made: the hero's widest rendition
        widest = list(article.hero.renditions().values())[-1][-1:]
        data["image"] = [absolute(default_storage.url(r.name)) for r in widest]
    if article.review_is_current:
        data = _reviewed_page(article, data)
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # escaped for <script> above


def _reviewed_page(article, data):
    """A MedicalWebPage whose main entity is the Article `data`: the page claims a medical review."""
    # Named as readers see the reviewer; one without a name is the team, never a login.
    name = known_name(article.reviewed_by) if article.reviewed_by else ""
    reviewer = (
        {"@type": "Person", "name": name} if name else {"@type": "Organization", "name": "fibrosite editors"}
    )
    entity = {key: value for key, value in data.items() if key != "@context"}
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": data["url"],
        "name": article.title,
        "inLanguage": "en",
        "lastReviewed": timezone.localdate(article.reviewed_at),
        "reviewedBy": reviewer,
        "mainEntity": entity,
    }
