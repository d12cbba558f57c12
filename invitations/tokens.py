"""The one-time link of an invitation, made with Django's password-reset token machinery."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens bound to one sending of an invitation: sending it again changes the hashed value, so every
    earlier link stops working. Accepted and revoked invitations are refused by their state, so that
    their links can say why."""

    key_salt = "invitations.tokens.InvitationTokenGenerator"

    def _make_hash_value(self, invitation, timestamp):
        return f"{invitation.pk}|{invitation.email}|{invitation.sent_at.timestamp()}|{timestamp}"

    def check_token(self, invitation, token):
        """True when `token` was made for this very sending of `invitation`. Its age is judged from the
        invitation (`Invitation.expires_at`, 7 days), not from PASSWORD_RESET_TIMEOUT (an hour), so
        that an expired link can say so rather than look forged."""
        if not (invitation and token) or token.count("-") != 1:
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(invitation, timestamp, secret), token)
            for secret in (self.secret, *self.secret_fallbacks)
        )


invitation_token = InvitationTokenGenerator()
