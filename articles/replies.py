"""Readers' replies: privacy masking for display, and the spam defences of the reply form."""

import re

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.utils.crypto import salted_hmac

MIN_SECONDS_TO_WRITE = 3  # a person needs longer than this to read and type; bots post at once
FORM_MAX_AGE = 60 * 60 * 24  # a form older than a day is stale
RATE_LIMIT = 5  # replies per client ...
RATE_WINDOW_MINUTES = 10  # ... per this many minutes

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, optionally with +, spaces, dots, dashes or brackets between them.
PHONE_RE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){6,}(?![\w])")


def mask_private_details(text):
    """The text with e-mail addresses and phone numbers replaced, for showing in public."""
    text = EMAIL_RE.sub("[e-mail address hidden]", text)
    return PHONE_RE.sub("[phone number hidden]", text)


def client_fingerprint(request):
    """A salted hash of the client's address: enough to rate-limit, useless to identify anyone."""
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.USE_X_FORWARDED_FOR and forwarded:
        address = forwarded.split(",")[-1].strip()  # the hop our own load balancer added
    return salted_hmac("fibrosite.reply-client", address, algorithm="sha256").hexdigest()


_signer = TimestampSigner(salt="fibrosite.reply-form")


# Pages carry this placeholder instead of a token, so that one cached page serves every reader;
# fill_reply_tokens() puts a fresh token in each response as it leaves.
TOKEN_PLACEHOLDER = "reply-token-placeholder"


def form_token():
    """A signed timestamp put in the form when it is shown."""
    return _signer.sign("reply")


def fill_reply_tokens(content):
    """The page's bytes with a fresh form token in place of the placeholder."""
    return content.replace(TOKEN_PLACEHOLDER.encode(), form_token().encode())


def token_problem(token):
    """Why a form's token is not acceptable (too fast, too old, tampered), or None."""
    try:
        _signer.unsign(token, max_age=FORM_MAX_AGE)
    except SignatureExpired:
        return "This form was open for too long. Please copy your text, reload the page and send it again."
    except BadSignature:
        return "This form could not be checked. Please reload the page and send your reply again."
    try:
        _signer.unsign(token, max_age=MIN_SECONDS_TO_WRITE)
    except SignatureExpired:
        return None
    return "That was very quick. Please take a moment to check your reply, then send it again."
