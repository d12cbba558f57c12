from functools import cache

from crispy_forms.utils import render_crispy_form
from django import template
from django.utils.safestring import mark_safe

from articles.replies import token_placeholder
from articles.reply_form import ReplyForm

register = template.Library()


@register.simple_tag(takes_context=True)
def reply_form(context, form):
    """The reply form's HTML: as the reader sent it (with its errors), or the empty form (None)
    for the page's article."""
    if form is not None:
        return render_crispy_form(form)
    # Only digits change: the placeholder that names the article the token is for.
    return mark_safe(
        empty_reply_form().replace(token_placeholder(0), token_placeholder(context["article"].pk))
    )


@cache
def empty_reply_form():
    # The same on every page and for every reader (its token is filled in per response), and
    # rendering it is a large part of an article page's work: render it once per process.
    return render_crispy_form(ReplyForm())
