"""E-mail about an article moving along the editorial workflow (articles.models.Article.TRANSITIONS)."""

from django.contrib.auth import get_user_model

from articles.models import Article, PendingVersion
from articles.workflow import staff_name
from notifications import links, recipients
from notifications.mail import send_each

# transition name: (template, who receives it, the preference that turns it off; None: always sent)
MESSAGES = {
    "submit": ("submitted", "editors", "submitted"),
    "request_changes": ("changes_requested", "author", None),
    "schedule": ("scheduled", "author", "published"),
    "publish": ("published", "author", "published"),
    "unpublish": ("unpublished", "author", None),
}


def notify_transition(article_id, transition_name, actor_id, change_id=None):
    """Mail the people concerned that `actor_id` applied `transition_name` to the article (to its
    pending change `change_id`, when given); never the actor themselves. The number of messages sent."""
    if transition_name not in MESSAGES:
        return 0
    template, audience, preference = MESSAGES[transition_name]
    article = Article.objects.select_related("author__user").filter(pk=article_id).first()
    if article is None:
        return 0
    if audience == "editors":
        people = list(recipients.editors(preference).exclude(pk=actor_id))
    else:
        author = recipients.author_of(article, preference)
        people = [author] if author is not None and author.pk != actor_id else []
    change = PendingVersion.objects.filter(pk=change_id).first() if change_id else None
    actor = get_user_model().objects.filter(pk=actor_id).first()
    context = {
        "article": article,
        "pseudonym": article.author.pseudonym,
        "actor": staff_name(actor),
        "admin_url": links.admin_change(change or article),
        "is_change": change is not None,
        "review_note": (change or article).review_note,
        "preferences_url": links.preferences(),
        "optional": preference is not None,
    }
    return send_each(f"notifications/email/{template}", [(person.email, context) for person in people])
