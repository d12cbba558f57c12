"""The editorial workflow: who may move an article from one status to another."""

from dataclasses import dataclass

PUBLISH_PERMISSION = "articles.publish_article"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple  # statuses it starts from
    target: str
    editors_only: bool = True


class TransitionNotAllowed(Exception):
    """Raised when a user asks for a transition the article's status or their role does not allow."""


def is_editor(user):
    """Editors (and superusers) publish, schedule, request changes, unpublish and see every article."""
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def staff_name(user, unknown="someone"):
    """How the admin and the public name a login: its full name, else its pseudonym, else "an
    editor"; never the username. `unknown` when there is no user (deleted, or none recorded)."""
    if user is None:
        return unknown
    return known_name(user) or "an editor"


def known_name(user):
    """The full name of `user`, else the pseudonym of their author profile, else ""."""
    full_name = user.get_full_name().strip()
    if full_name:
        return full_name
    profile = getattr(user, "author_profile", None)
    return profile.pseudonym if profile is not None else ""
