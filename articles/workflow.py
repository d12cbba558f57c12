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
