"""Sending one e-mail from templates: a subject, a plain-text body and an HTML body. A mail server that
fails is logged and never fails what the sender was doing."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def site_address(path):
    """The absolute address of `path` on this site (SITE_URL), for links in e-mail."""
    return settings.SITE_URL.rstrip("/") + path


def render_message(template, context, to):
    """The message made from `template`_subject.txt, `template`.txt and `template`.html, to one address."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_each(template, recipients):
    """Send each of `recipients` ((address, context) pairs) their own message; the number sent.

    One message per person, so that nobody sees who else received it. A failing server is logged
    (with the template's name, not the addresses) and the caller carries on."""
    messages = [render_message(template, context, address) for address, context in recipients if address]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # SMTP errors, refused connections, timeouts: whatever the backend raises
        logger.exception("Could not send %d e-mail(s) from %s", len(messages), template)
        return 0
