"""The reply form's token: a signed "<article id>.<nonce>" with the time it was made. It proves the
form was shown for that article (and how long ago); the nonce lets its uses be counted (replies.limits)."""

import re
import secrets

from django.core.signing import BadSignature, SignatureExpired, TimestampSigner

MIN_SECONDS_TO_WRITE = 3  # a person needs longer than this to read and type; bots post at once
FORM_MAX_AGE = 60 * 60 * 24  # a form older than a day is stale

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
