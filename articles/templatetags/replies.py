from functools import cache

from crispy_forms.utils import render_crispy_form
from django import template

from articles.reply_form import ReplyForm

register = template.Library()


@register.simple_tag
def reply_form(form):
    """The reply form's HTML: as the reader sent it (with its errors), or the empty form (None)."""
    return empty_reply_form() if form is None else render_crispy_form(form)


@cache
def empty_reply_form():
    # The same on every page and for every reader (its token is filled in per response), and
    # rendering it is a large part of an article page's work: render it once per process.
    return render_crispy_form(ReplyForm())
