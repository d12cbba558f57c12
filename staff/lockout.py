"""Login throttling (django-axes): the page a locked login gets. The address a failed login counts against
is the reply rate limit's (replies.clients.client_address, AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The admin-styled "too many failed attempts" page, with status 429 (Too Many Requests)."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {**admin.site.each_context(request), "title": "Too many failed attempts", "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
