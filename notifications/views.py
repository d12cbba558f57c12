"""Each person's page for choosing the e-mail they receive."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from notifications.forms import PreferencesForm
from notifications.models import Preferences


def preferences(request):
    """Show and save the e-mail the logged-in person receives."""
    current = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=current, user=request.user
    )
    if form.is_valid():
        form.save()
        messages.success(request, "Your e-mail choices are saved.")
        return redirect("notifications:preferences")
    context = {**admin.site.each_context(request), "title": "E-mail notifications", "form": form}
    return TemplateResponse(request, "notifications/preferences.html", context)
