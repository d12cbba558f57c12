from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

VALID_FOR = timedelta(days=7)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Invitations neither accepted nor revoked (expired ones included: they can be sent again)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """A writer invited by an editor to become an author under `pseudonym`."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting"
        EXPIRED = "expired", "Expired"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    email = models.EmailField(help_text="Where the invitation goes. Never shown publicly.")
    pseudonym = models.CharField(
        max_length=80, help_text="The name readers will see. Never the writer's real name."
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text="The link works for 7 days from here."
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="invitation",
        help_text="The login the writer made with it.",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("pseudonym"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_open_pseudonym_unique_ci",
                violation_error_message="A writer is already invited under this pseudonym.",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.pseudonym}"

    @property
    def expires_at(self):
        return self.sent_at + VALID_FOR

    @property
    def state(self):
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        return self.State.EXPIRED if timezone.now() >= self.expires_at else self.State.WAITING

    @property
    def masked_email(self):
        """The address with most of its local part hidden, for lists: enough to tell invitations apart."""
        local, _, domain = self.email.partition("@")
        return f"{local[:1]}…@{domain}"
