from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """An editor invites a writer by e-mail under a pseudonym; the writer sets up their own login."""

    name = "invitations"
