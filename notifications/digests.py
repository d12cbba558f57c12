"""The two digests to editors: replies waiting for moderation (at most one message per 30 minutes) and
the articles whose medical review is due or out of date (weekly, from `manage.py send_digests`)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from notifications import links, recipients
from notifications.mail import send_each, site_address
from notifications.models import DigestRun
from replies.models import Reply

REPLY_INTERVAL = timedelta(minutes=30)
# A week, less a little so that a cron run a few minutes early does not push it to the next run.
REVIEW_INTERVAL = timedelta(days=7) - timedelta(minutes=30)
LISTED_AT_MOST = 50


def send_reply_digest(now=None):
    """Mail the editors the replies waiting for moderation that arrived since the last such message,
    unless one went out less than 30 minutes ago. True when it went out."""
    now = now or timezone.now()
    with transaction.atomic():  # the row lock: two servers never both send it
        run = _locked_run(DigestRun.Kind.REPLIES)
        if run.sent_at and now - run.sent_at < REPLY_INTERVAL:
            return False
        new = Reply.objects.filter(status=Reply.Status.PENDING, pk__gt=run.last_item_id)
        newest = new.order_by("-pk").values_list("pk", flat=True).first()
        if newest is None:
            return False
        listed = [
            {
                # What readers would see of it: an address or phone number typed into it is masked.
                "name": reply.public_name,
                "excerpt": _excerpt(reply.public_text),
                "article": reply.article.title,
                "url": links.admin_change(reply),
            }
            for reply in new.select_related("article").order_by("created_at", "pk")[:LISTED_AT_MOST]
        ]
        context = {
            "replies": listed,
            "count": new.count(),
            "waiting": Reply.objects.filter(status=Reply.Status.PENDING).count(),
            "moderation_url": site_address(
                reverse("admin:replies_reply_changelist") + f"?status__exact={Reply.Status.PENDING}"
            ),
        }
        return _send_and_record(run, "replies", "replies", context, now, newest)


def send_review_digest(now=None):
    """Mail the editors the articles whose medical review is due or out of date, unless this digest went
    out in the last week. True when it went out."""
    now = now or timezone.now()
    with transaction.atomic():
        run = _locked_run(DigestRun.Kind.REVIEWS)
        if run.sent_at and now - run.sent_at < REVIEW_INTERVAL:
            return False
        articles = list(articles_needing_review()[:LISTED_AT_MOST])
        if not articles:
            return False
        listed = [
            {
                "title": article.title,
                "pseudonym": article.author.pseudonym,
                "reason": "text changed since the review" if article.review_outdated else "review due",
                "url": links.admin_change(article),
            }
            for article in articles
        ]
        context = {"articles": listed, "count": articles_needing_review().count()}
        return _send_and_record(run, "reviews", "review_digest", context, now, 0)


def articles_needing_review():
    """Live articles never reviewed or not for a year, and articles published, scheduled or in review
    whose text changed since their medical review."""
    outdated = Q(review_outdated=True) & Q(status__in=(Article.Status.PUBLISHED, Article.Status.IN_REVIEW))
    return (
        Article.objects.with_editorial_state()
        .filter(Q(review_due=True) | outdated)
        .select_related("author")
        .order_by("reviewed_at", "published_at", "pk")
    )


def _locked_run(kind):
    run, _ = DigestRun.objects.get_or_create(kind=kind)
    return DigestRun.objects.select_for_update().get(pk=run.pk)


def _send_and_record(run, template, preference, context, now, last_item_id):
    people = list(recipients.editors(preference))
    context = {**context, "preferences_url": links.preferences(), "optional": True}
    sent = send_each(f"notifications/email/{template}", [(person.email, context) for person in people])
    if people and not sent:
        return False  # the server failed (logged): the next try lists the same items
    run.sent_at, run.last_item_id = now, last_item_id or run.last_item_id
    run.save()
    return True


def _excerpt(text, length=200):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
