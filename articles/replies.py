"""Readers' replies: privacy masking for display, who sent a reply, and the reply form's token."""

import ipaddress
import re
import secrets
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.utils.crypto import salted_hmac

MIN_SECONDS_TO_WRITE = 3  # a person needs longer than this to read and type; bots post at once
FORM_MAX_AGE = 60 * 60 * 24  # a form older than a day is stale

# Masking ---------------------------------------------------------------------------------------
# Matched on the text normalised with NFKC (so a full-width at sign U+FF20 is an "@", U+FF0E a "."),
# replaced in the text as written.

_LOCAL_CHARACTER = r"[\w.!#$%&'*+/=?^`{|}~-]"  # what an address may have before its "@"
_LOCAL = rf"{_LOCAL_CHARACTER}{{1,64}}"  # 64 at most, as in RFC 5321: each try stays short
_LABEL = r"[\w-]+"
_AT = r"(?:\s*@\s*|\s*[(\[{<]\s*at\s*[)\]}>]\s*)"  # "@", " @ ", "(at)", "[ at ]", ...
_WORDY_DOT = r"(?:\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"  # "(dot)", " dot ", ...
_SPELLED_LOCAL = rf"{_LOCAL}(?:{_WORDY_DOT}{_LOCAL}){{0,4}}"  # "jo dot smith"
EMAIL_RE = re.compile(rf"{_SPELLED_LOCAL}{_AT}{_LABEL}(?:(?:\.|{_WORDY_DOT}){_LABEL})+", re.IGNORECASE)
# "jo at example dot com": a plain " at " only counts when a spelled-out "dot" follows.
SPELLED_EMAIL_RE = re.compile(rf"{_SPELLED_LOCAL}\s+at\s+{_LABEL}(?:{_WORDY_DOT}{_LABEL})+", re.IGNORECASE)

# Digit groups joined by one separator each: a space, "-", ".", "/", "_" or "," (spaces allowed
# around all but ","), or a bracketed area code; whether it is a phone number is decided after.
_SEPARATOR = r"(?:[ \t]?[-./_][ \t]?|,|[ \t]|[ \t]?\(\d{1,4}\)[ \t]?)"
PHONE_RE = re.compile(rf"(?<![\w+])(?:\+[ \t]?)?(?:\(\d{{1,4}}\)[ \t]?)?\d+(?:{_SEPARATOR}\d+)*(?!\w)")
PHONE_DIGITS = range(8, 16)  # national numbers have 8 or more digits; E.164 allows 15 at most
DATE_RE = re.compile(r"\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2\d{4}")
YEARS_RE = re.compile(r"(?:19|20)\d\d(?:\s?[-/\u2013]\s?|\s)(?:19|20)\d\d")  # "2019-2021", "2019 2020"
AMOUNT_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+[.,]\d+")  # "12,500,000", "3.14159265"

EMAIL_HIDDEN = "[e-mail address hidden]"
PHONE_HIDDEN = "[phone number hidden]"


def mask_private_details(text):
    """The text with e-mail addresses and phone numbers replaced, for showing in public."""
    for pattern, hidden, is_private in (
        (EMAIL_RE, EMAIL_HIDDEN, None),
        (SPELLED_EMAIL_RE, EMAIL_HIDDEN, None),
        (PHONE_RE, PHONE_HIDDEN, _is_phone_number),
    ):
        text = _replace_matches(text, pattern, hidden, is_private)
    return text


def _replace_matches(text, pattern, hidden, is_private):
    normalised, origin = _normalised(text)
    spans = []
    for match in pattern.finditer(normalised):
        if is_private is None or is_private(match.group()):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            if spans and start < spans[-1][1]:  # both came out of one character ("…" is "...")
                start = spans.pop()[0]
            spans.append((start, end))
    for start, end in reversed(spans):
        text = text[:start] + hidden + text[end:]
    return text


def _normalised(text):
    """The text in NFKC form, and for each of its characters the index of the one it came from."""
    if text.isascii():
        return text, range(len(text))
    parts, origin = [], []
    for index, character in enumerate(text):
        normal = unicodedata.normalize("NFKC", character)
        parts.append(normal)
        origin.extend([index] * len(normal))
    return "".join(parts), origin


def _is_phone_number(candidate):
    digits = sum(character.isdigit() for character in candidate)
    if digits not in PHONE_DIGITS:
        return False
    return not any(shape.fullmatch(candidate) for shape in (DATE_RE, YEARS_RE, AMOUNT_RE))


# Who sent it -----------------------------------------------------------------------------------


def client_address(request):
    """The address of the client that sent `request`: the peer, or, when the peer is a trusted
    proxy, the nearest address in X-Forwarded-For that is not one (garbage there: the peer)."""
    peer = _ip_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(peer):
        return str(peer)
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    address = peer
    for entry in reversed(forwarded):
        address = _ip_address(entry)
        if address is None:
            return str(peer)
        if not _is_trusted(address):
            break
    return str(address)  # every hop trusted: the farthest one is the client


def client_fingerprint(request):
    """A salted hash of the client's address: enough to rate-limit, useless to identify anyone."""
    address = client_address(request)
    ip = _ip_address(address)
    if ip is not None and ip.version == 6:
        # One household or phone is given a whole /64: count it as one client.
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return salted_hmac("fibrosite.reply-client", address, algorithm="sha256").hexdigest()


def _ip_address(text):
    """The IP address in `text` (also "[v6]:port" and "v4:port"), or None when it is not one."""
    text = text.strip()
    host, _, port = text.rpartition(":")
    if text.startswith("[") and "]" in text:
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1 and port.isdigit():
        text = host
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address):
    return any(address in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@lru_cache(maxsize=4)
def _trusted_networks(entries):
    try:
        return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries]
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES must list IP addresses or networks such as 10.0.0.0/8: {error}"
        ) from error


# The form token --------------------------------------------------------------------------------
# A signed "<article id>.<nonce>" with the time it was made: it proves the form was shown for that
# article (and how long ago); the nonce lets its uses be counted (articles.reply_limits).

_signer = TimestampSigner(salt="fibrosite.reply-form")

# Pages carry "reply-token-placeholder:<article id>" instead of a token, so that one cached page
# serves every reader; fill_reply_tokens() puts a fresh token in each response as it leaves.
TOKEN_PLACEHOLDER = "reply-token-placeholder"
_PLACEHOLDER_RE = re.compile(rf"{TOKEN_PLACEHOLDER}:(\d+)".encode())


def token_placeholder(article_id):
    """What the page carries in place of the token for a reply to article `article_id`."""
    return f"{TOKEN_PLACEHOLDER}:{article_id}"


def form_token(article_id):
    """A new signed token for a reply to article `article_id`."""
    return _signer.sign(f"{article_id}.{secrets.token_urlsafe(12)}")


def fill_reply_tokens(content):
    """The page's bytes with a fresh form token in place of each placeholder."""
    return _PLACEHOLDER_RE.sub(lambda match: form_token(int(match[1])).encode(), content)


def token_problem(token, article_id):
    """Why a form's token is not acceptable for article `article_id` (tampered, another article's,
    too old, too fast), or None."""
    try:
        value = _signer.unsign(token, max_age=FORM_MAX_AGE)
    except SignatureExpired:
        return "This form was open for too long. Please copy your text, reload the page and send it again."
    except BadSignature:
        return "This form could not be checked. Please reload the page and send your reply again."
    if value.partition(".")[0] != str(article_id):
        return "This form belongs to another article. Please send your reply from this page again."
    try:
        _signer.unsign(token, max_age=MIN_SECONDS_TO_WRITE)
    except SignatureExpired:
        return None
    return "That was very quick. Please take a moment to check your reply, then send it again."


def token_nonce(token):
    """The random part of a token that `token_problem` accepted: what its uses are counted by."""
    return token.partition(":")[0].partition(".")[2]
