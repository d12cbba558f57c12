"""Structured data for search engines: JSON-LD describing an article, naming its author by pseudonym."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# Characters that could end the <script> element or open HTML inside it, written as JSON escapes.
_SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """A <script type="application/ld+json"> with the schema.org Article for `article`."""
    absolute = context["request"].build_absolute_uri
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "author": {
            "@type": "Person",
            "name": article.author.pseudonym,
            "url": absolute(article.author.get_absolute_url()),
        },
        "publisher": {"@type": "Organization", "name": "fibrosite"},
        "keywords": [tag.name for tag in article.topics],
        "inLanguage": "en",
    }
    if article.hero_image:
        data["image"] = absolute(article.hero_image.url)
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # escaped for <script> above
