"""Absolute addresses of the admin pages a message leads to."""

from django.urls import reverse

from notifications.mail import site_address


def admin_change(obj):
    """The admin change page of `obj`."""
    opts = obj._meta
    return site_address(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))


def preferences():
    return site_address(reverse("notifications:preferences"))
