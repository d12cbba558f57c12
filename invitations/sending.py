"""Sending an invitation (the first time, again, and never once it is accepted or revoked)."""

from django.urls import reverse
from django.utils import timezone

from invitations.tokens import invitation_token
from notifications.mail import send_each, site_address


def accept_address(invitation):
    """The absolute one-time address of the invitation as sent now."""
    token = invitation_token.make_token(invitation)
    return site_address(reverse("invitations:accept", args=[invitation.pk, token]))


def send_invitation(invitation, renew=False):
    """Mail the writer their link; `renew` starts 7 new days and kills every earlier link. True when sent."""
    if renew:
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    context = {"invitation": invitation, "link": accept_address(invitation)}
    return send_each("invitations/email/invitation", [(invitation.email, context)]) == 1
