from functools import cache

from crispy_forms.utils import render_crispy_form
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from replies.forms import ANY_ARTICLE_ACTION, ReplyForm, reply_address
from replies.tokens import token_placeholder

register = template.Library()


@register.simple_tag(takes_context=True)
def reply_form(context, form):
    """The reply form's HTML: as the reader sent it (with its errors), or the empty form (None)
    for the page's article."""
    if form is not None:
        return render_crispy_form(form)
    # Only the article's address and the id in the token's placeholder differ from page to page.
    article = context["article"]
    html = empty_reply_form().replace(token_placeholder(0), token_placeholder(article.pk))
    return mark_safe(html.replace(ANY_ARTICLE_ACTION, escape(reply_address(article))))


@cache
def empty_reply_form():
    # The same on every page and for every reader (its token is filled in per response), and
    # rendering it is a large part of an article page's work: render it once per process.
    return render_crispy_form(ReplyForm())
