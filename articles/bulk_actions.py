"""The article list's bulk actions: one workflow transition on the selected articles; publishing
first shows the articles whose medical review does not cover their current text."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from articles.models import Article
from articles.revisions import changes_since_review, record_revision
from articles.workflow import TransitionNotAllowed

SEEN_FIELD = "review_changes_seen"  # the confirmation page's answer: which changes were read


def _seen(article):
    # The article and the content it had when its changes were shown: a later edit asks again.
    return f"{article.pk}:{article.content_digest}"


def _outdated_publication(modeladmin, request, articles):
    """The confirmation page listing the articles whose medical review does not cover their text,
    each with the changes since; None when there are none or the editor read those very changes."""
    outdated = [
        article
        for article in articles
        if article.review_out_of_date
        and "publish" in {t.name for t in article.allowed_transitions(request.user)}
    ]
    seen = set(request.POST.getlist(SEEN_FIELD))
    if all(_seen(article) in seen for article in outdated):
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": "Publish articles whose medical review is out of date?",
        "articles": articles,
        "outdated": [(article, _seen(article), *changes_since_review(article)) for article in outdated],
        "seen_field": SEEN_FIELD,
    }
    return TemplateResponse(request, "admin/articles/article/publish_confirmation.html", context)


def bulk_transition(name):
    """A bulk action applying one workflow transition wherever the user may apply it; publishing
    asks first when a medical review does not cover an article's current text."""

    def action(modeladmin, request, queryset):
        if name == "publish":
            articles = list(queryset.select_related("author"))
            confirmation = _outdated_publication(modeladmin, request, articles)
            if confirmation is not None:
                return confirmation
        done = skipped = 0
        for article in queryset.select_related("author"):
            try:
                transition = article.apply_transition(name, request.user)
            except TransitionNotAllowed:
                skipped += 1
                continue
            article.version += 1
            article.save()
            record_revision(article, request.user, f"{transition.label} (bulk action)")
            modeladmin.log_change(request, article, transition.label)
            done += 1
        modeladmin.message_user(request, f"{done} article(s) changed.", messages.SUCCESS)
        if skipped:
            modeladmin.message_user(
                request, f"{skipped} article(s) skipped: that step is not open for them.", messages.WARNING
            )
        return None

    transition = next(t for t in Article.TRANSITIONS if t.name == name)
    action.__name__ = f"bulk_{name}"
    permission = "publish" if transition.editors_only else "change"
    return admin.action(description=f"{transition.label}: selected articles", permissions=[permission])(
        action
    )
