from django.contrib import admin, messages
from django.utils import timezone

from articles.workflow import is_editor
from invitations.forms import InvitationForm
from invitations.models import Invitation
from invitations.sending import send_invitation

NOT_SENT = "The mail server did not take the invitation: try “Send again” later."


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Editors invite writers; nobody here ever sees or sets a writer's password."""

    form = InvitationForm
    list_display = ("pseudonym", "masked_email", "state", "sent_at", "expires_at")
    list_filter = ("sent_at",)
    search_fields = ("pseudonym",)
    actions = ("send_again", "revoke")
    readonly_fields = ("state", "sent_at", "expires_at", "accepted_at", "revoked_at")

    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and obj is None  # an invitation is sent again or revoked, not edited

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, so that the record of who was invited stays

    def has_send_permission(self, request):
        return is_editor(request.user)

    def get_fields(self, request, obj=None):
        return ("email", "pseudonym") if obj is None else ("pseudonym", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        if not send_invitation(obj):
            self.message_user(request, NOT_SENT, messages.WARNING)

    @admin.display(description="E-mail")
    def masked_email(self, invitation):
        return invitation.masked_email

    @admin.display(description="State")
    def state(self, invitation):
        return invitation.state.label

    @admin.action(
        description="Send again (a new 7-day link; earlier links stop working)", permissions=["send"]
    )
    def send_again(self, request, queryset):
        sent = failed = 0
        for invitation in queryset.open():
            if send_invitation(invitation, renew=True):
                sent += 1
            else:
                failed += 1
        self.message_user(request, f"{sent} invitation(s) sent again.", messages.SUCCESS)
        if failed:
            self.message_user(request, NOT_SENT, messages.WARNING)

    @admin.action(description="Revoke (the link stops working)", permissions=["send"])
    def revoke(self, request, queryset):
        revoked = queryset.open().update(revoked_at=timezone.now())
        self.message_user(request, f"{revoked} invitation(s) revoked.", messages.SUCCESS)
