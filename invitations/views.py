"""The page an invitation's link opens: the writer chooses a username and a password."""

from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from authors.models import Author
from invitations.forms import WriterLoginForm
from invitations.models import Invitation
from invitations.tokens import invitation_token

AUTHOR_GROUP = "Author"  # articles/migrations/0003_roles


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept(request, pk, token):
    """Set up the writer's login and author profile, once, within 7 days of the invitation's sending."""
    invitation = Invitation.objects.filter(pk=pk).first()
    context = {**admin.site.each_context(request), "title": "Your invitation", "invitation": invitation}
    if invitation is None or not invitation_token.check_token(invitation, token):
        return _refused(request, context, "unknown")
    if invitation.state != Invitation.State.WAITING:
        return _refused(request, context, invitation.state)
    form = WriterLoginForm(invitation, request.POST if request.method == "POST" else None)
    if form.is_valid():
        with transaction.atomic():
            # Locked, so that the same link cannot make two logins.
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
            if invitation.state != Invitation.State.WAITING:
                return _refused(request, context, invitation.state)
            _make_author(form, invitation)
        messages.success(request, "Your login is ready. Log in with the username and password you chose.")
        return redirect("admin:login")
    return TemplateResponse(request, "invitations/accept.html", {**context, "form": form})


def _make_author(form, invitation):
    user = form.save(commit=False)
    user.email, user.is_staff = invitation.email, True
    user.save()
    user.groups.add(Group.objects.get(name=AUTHOR_GROUP))
    Author.objects.create(pseudonym=invitation.pseudonym, user=user)
    invitation.user, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["user", "accepted_at"])


def _refused(request, context, reason):
    # 410 Gone for a link that worked once; 404 for one that never did.
    status = 404 if reason == "unknown" else 410
    return TemplateResponse(request, "invitations/refused.html", {**context, "reason": reason}, status=status)
