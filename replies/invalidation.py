"""What a change to a reply makes stale in the page cache (pagecache.registry): only what readers see.

Key: `replies:<article id>`, the approved replies shown on that article's page.
"""

from pagecache import registry
from replies.models import Reply


def reply_keys(reply, before, after):
    # A reader's new reply waits for review and changes no page; moderation decisions do.
    if any(state and state["status"] == Reply.Status.APPROVED for state in (before, after)):
        return [f"replies:{reply.article_id}"]
    return []


def connect():
    registry.invalidates(Reply, reply_keys, fields=("status",))
