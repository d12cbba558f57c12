"""Two-factor authentication for staff (django-otp): who must give a one-time code, checking a code, and
the authenticator app with its recovery codes."""

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.workflow import is_editor

RECOVERY_CODE_COUNT = 10
APP_CODE = re.compile(r"\d{6}")  # what an authenticator app shows; recovery codes are 8 letters and digits


def is_required_for(user):
    """True when the setting makes a one-time code compulsory for `user`: editors and superusers."""
    return settings.TWO_FACTOR_REQUIRED_FOR_EDITORS and is_editor(user)


def must_verify(user):
    """True when `user` is logged in but may not use the admin before giving a one-time code: two-factor
    is required of them, or they turned it on themselves."""
    if not user.is_authenticated or user.is_verified():
        return False
    return is_required_for(user) or user_has_device(user)


def normalised(code):
    """A typed code without spaces, in lower case (recovery codes are stored so)."""
    return "".join(code.split()).lower()


class CodeRefused(Exception):
    """Raised with the message to show when a one-time code is not accepted."""


WRONG_CODE = "That code is not right, or it was already used. Codes from the app change every 30 seconds."
TOO_MANY = "Too many wrong codes in a row: wait a moment, then try again."


def verify(user, code):
    """The device of `user` that accepts `code` (a recovery code is then used up); raises CodeRefused."""
    code = normalised(code)
    model = TOTPDevice if APP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():  # the row lock makes a code good for one login only
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        allowed = device is not None and device.verify_is_allowed()[0]
        accepted = allowed and device.verify_token(code)  # a wrong code is counted (and committed) here
    if not accepted:
        raise CodeRefused(WRONG_CODE if device is None or allowed else TOO_MANY)
    return device


def new_app(user):
    """A fresh, unconfirmed authenticator app for `user` (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def pending_app(user):
    """The authenticator app `user` is setting up and has not confirmed yet, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def confirm_app(device, code):
    """Confirm `device` with a first `code` from the app; it then replaces the user's other apps."""
    code = normalised(code)
    if not APP_CODE.fullmatch(code) or not device.verify_token(code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.devices_for_user(device.user, confirmed=True).delete()
        device.confirmed = True
        device.save()
    return True


def new_recovery_codes(user):
    """Ten new single-use recovery codes for `user`, replacing the old ones (shown to them once)."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    """How many unused recovery codes `user` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def qr_code_svg(device):
    """The app's set-up address as an inline SVG QR code (no image request, nothing sent elsewhere)."""
    # A white background keeps it readable by the phone's camera in the admin's dark theme too.
    qr_code = segno.make(device.config_url, error="m")
    return qr_code.svg_inline(scale=5, border=3, light="#fff", title="QR code for your authenticator app")


def key_text(device):
    """The app's secret key in base32, in groups of four, for typing in by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
