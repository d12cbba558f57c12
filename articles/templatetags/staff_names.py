"""How admin pages name a login: articles.workflow.staff_name, never the username."""

from django import template

from articles.workflow import staff_name as name_of

register = template.Library()


@register.filter
def staff_name(user):
    """The full name, the linked pseudonym or "an editor" of `user`; "someone" for no user."""
    return name_of(user)
