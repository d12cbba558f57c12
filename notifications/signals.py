"""What sends e-mail: an article saved after a workflow transition, and a reader's reply waiting for
moderation. Mail goes out once the change is committed, and a failure never undoes it."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from articles.models import Article
from articles.pending import PendingVersion
from notifications.digests import send_reply_digest
from notifications.workflow import notify_transition
from replies.models import Reply


def announce_transition(sender, instance, raw=False, **kwargs):
    # Article.apply_transition leaves what it applied on the instance; it is announced once, on its save.
    applied = instance.__dict__.pop("applied_transition", None)
    if raw or applied is None:
        return
    transition, user = applied
    transaction.on_commit(
        partial(notify_transition, instance.pk, transition.name, getattr(user, "pk", None)), robust=True
    )


def announce_change_transition(sender, instance, raw=False, **kwargs):
    # A change to a published article submitted or sent back (PendingVersion.apply_transition); its
    # publication is announced as the article's own, on the article's save.
    applied = instance.__dict__.pop("applied_transition", None)
    if raw or applied is None:
        return
    transition, user = applied
    actor_id = getattr(user, "pk", None)
    notify = partial(notify_transition, instance.article_id, transition.name, actor_id, change_id=instance.pk)
    transaction.on_commit(notify, robust=True)


def announce_waiting_reply(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.status == Reply.Status.PENDING:
        transaction.on_commit(send_reply_digest, robust=True)


def connect():
    post_save.connect(announce_transition, sender=Article, dispatch_uid="notify-transition")
    post_save.connect(announce_change_transition, sender=PendingVersion, dispatch_uid="notify-change")
    post_save.connect(announce_waiting_reply, sender=Reply, dispatch_uid="notify-waiting-reply")
