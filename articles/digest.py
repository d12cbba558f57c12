"""The fingerprint of what a medical review covers: an article's title, summary, body and sources."""

import hashlib
import json


def content_digest(title, summary, body, sources):
    """A SHA-256 hex digest of the reviewed content; `sources` is [(title, url), ...] in reading order.

    Stored digests are compared with new ones, so this must never change: a different encoding
    would mark every medical review out of date."""
    content = [title, summary, body, [[source_title, url] for source_title, url in sources]]
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()
