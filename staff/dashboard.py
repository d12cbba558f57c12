"""What the admin index shows each role: an author their own articles and what happens next; an editor
the review queue, replies waiting, medical reviews due and scheduled articles. A fixed, small number of
queries each, whatever the amount of content."""

from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PendingVersion
from articles.workflow import is_editor
from notifications.digests import articles_needing_review
from replies.models import Reply

SHOWN = 10  # entries per list; each list links to the full one

DRAFT, IN_REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED
NEXT_STEP = {
    "draft": "Yours to edit. Press “Submit for review” when it is ready.",
    "in_review": "Waiting for an editor. They will publish it or ask for changes; you will get an e-mail.",
    "scheduled": "Accepted: it goes live on its own at the time shown.",
    "live": "Readers can see it. To change it, open it and press “Prepare a change”: readers keep "
    "this version until the change is published.",
}
AUTHOR_GROUPS = (
    ("draft", "Drafts"),
    ("in_review", "In review"),
    ("scheduled", "Scheduled"),
    ("live", "Published"),
)


def desk_for(user):
    """The index's dashboard for `user`: {"role": "editor"|"author", ...}, or None for neither."""
    if is_editor(user):
        return {"role": "editor", **editor_desk()}
    if getattr(user, "author_profile", None) is not None:
        return {"role": "author", "groups": author_desk(user)}
    return None


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def author_desk(user):
    """The author's own articles by status, each with its latest review note and what happens next."""
    articles = (
        Article.objects.for_admin(user)
        .with_editorial_state()
        .select_related("pending_version")  # a change being prepared, in the same query
        .only("title", "status", "published_at", "review_note", "updated_at", "pending_version__status")
        .order_by("-updated_at", "-pk")
    )
    groups = {key: [] for key, _ in AUTHOR_GROUPS}
    for article in articles[:200]:
        key = _group_of(article)
        article.change_url = _change_url(article)
        article.pending = getattr(article, "pending_version", None)  # None: no change being prepared
        if article.pending is not None:
            article.pending.change_url = _pending_change_url(article.pending)
        groups[key].append(article)
    return [
        {"key": key, "label": label, "articles": groups[key], "next_step": NEXT_STEP[key]}
        for key, label in AUTHOR_GROUPS
    ]


def _group_of(article):
    if article.status != PUBLISHED:
        return article.status
    return "live" if article.is_live else "scheduled"


def editor_desk():
    """The review queue and the changes to published articles waiting (oldest submission first),
    replies waiting, reviews due or out of date, and the scheduled articles with their times."""
    queue = Article.objects.filter(status=IN_REVIEW).select_related("author").order_by("submitted_at", "pk")
    changes = PendingVersion.objects.filter(status=PendingVersion.Status.IN_REVIEW).order_by(
        "submitted_at", "pk"
    )
    replies = (
        Reply.objects.filter(status=Reply.Status.PENDING).select_related("article").order_by("created_at")
    )
    reviews = articles_needing_review()
    scheduled = Article.objects.scheduled().select_related("author").order_by("published_at", "pk")
    return {
        "queue": _listed(queue.only("title", "submitted_at", "author__pseudonym")),
        "queue_url": reverse("admin:articles_reviewqueue_changelist"),
        "changes": _listed(
            changes.select_related("article__author").only(
                "title", "submitted_at", "article__author__pseudonym"
            ),
            url=_pending_change_url,
        ),
        "changes_url": reverse("admin:articles_pendingversion_changelist")
        + f"?status__exact={PendingVersion.Status.IN_REVIEW}",
        "replies": _listed(replies.only("name", "created_at", "article__title"), url=_reply_url),
        "replies_url": reverse("admin:replies_reply_changelist") + f"?status__exact={Reply.Status.PENDING}",
        "reviews": _listed(reviews),
        "reviews_url": reverse("admin:articles_article_changelist") + "?review=due",
        "scheduled": _listed(scheduled.only("title", "published_at", "author__pseudonym")),
        "now": timezone.now(),
    }


def _pending_change_url(pending):
    return reverse("admin:articles_pendingversion_change", args=[pending.pk])


def _reply_url(reply):
    return reverse("admin:replies_reply_change", args=[reply.pk])


def _listed(queryset, url=_change_url):
    """The first SHOWN rows, each with its admin address, and how many there are in all."""
    rows = list(queryset[: SHOWN + 1])
    for row in rows:
        row.change_url = url(row)
    total = len(rows) if len(rows) <= SHOWN else queryset.count()
    return {"rows": rows[:SHOWN], "total": total}
