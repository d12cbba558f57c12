"""The admin of changes to published articles (articles.pending): start one from the article, edit,
submit, review and publish it, with the difference from the live text shown before it goes live."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin_base import SourcesInline, WorkflowFormAdmin
from articles.forms import REVIEW_CHANGED, TRANSITION_FIELD, ArticleTextForm, review_changes_seen
from articles.models import Article
from articles.pending import PendingSource, PendingVersion
from articles.revisions import Snapshot, compare, current_snapshot, line_diff
from articles.workflow import is_editor, staff_name

REVIEWED_TEXT = {"title", "summary", "body"}
STALE_FORM = (
    "Someone saved this change while you were editing it. Nothing of yours was saved and your text is "
    "kept below: open the change again in another tab, merge what you need, then save."
)


def pending_snapshot(pending):
    """The pending change as a revisions.Snapshot, comparable with the live article's."""
    return Snapshot(
        version=None,
        title=pending.title,
        summary=pending.summary,
        body=pending.body,
        status=pending.article.get_status_display(),  # the status is the article's: not compared
        tags=sorted(pending.tags.values_list("name", flat=True)),
        sources=list(pending.sources.values_list("title", "url")),
    )


def changes_from_live(pending):
    """[(label, True, escaped HTML diff)] of what publishing `pending` changes in the live article."""
    rows = compare(current_snapshot(pending.article), pending_snapshot(pending))
    live, new = pending.article.disclosure, pending.disclosure
    rows.append(("Disclosure", live != new, line_diff(live, new)))
    return [row for row in rows if row[1] and row[0] != "Status"]


class PendingVersionForm(ArticleTextForm):
    """Set up per request by the admin (articles.admin_base.WorkflowFormAdmin: `user`, `transition`)."""

    labels = {"record_review": "Record a medical review of this change now"}
    help_texts = {
        "record_review": "Tick after checking the health claims and sources of this version: once "
        "published, readers see you as the reviewer, with today's date.",
        "acknowledge_review_changes": "Needed to publish text the article's medical review did not cover "
        "(unless you record a new review). Readers are then told that an earlier version was reviewed.",
        "tags": "Type to find a topic.",
    }

    class Meta:
        model = PendingVersion
        fields = ("title", "summary", "body", "tags", "disclosure", "review_note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_editor(self.user):
            del self.fields["record_review"]
            del self.fields["acknowledge_review_changes"]
        self.initial.setdefault("base_version", self.instance.version)

    def clean(self):
        cleaned = super().clean()
        current = PendingVersion.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current is not None and cleaned.get("base_version") != current:
            raise forms.ValidationError(STALE_FORM)
        if not self.transition:
            return cleaned
        if self.transition not in {t.name for t in self.instance.allowed_transitions(self.user)}:
            raise forms.ValidationError("That step is not open to you for this change in its current state.")
        if self.transition == "request_changes" and not cleaned.get("review_note", "").strip():
            self.add_error("review_note", "Tell the author what to change before sending the change back.")
        if self.transition == "publish" and self._review_would_lapse(cleaned):
            self.add_error("acknowledge_review_changes", REVIEW_CHANGED)
        return cleaned

    def _review_would_lapse(self, cleaned):
        # The article was reviewed, and the text going live is not what a review covered, unseen.
        if self.instance.article.reviewed_at is None and self.instance.reviewed_at is None:
            return False
        if cleaned.get("record_review") or cleaned.get("acknowledge_review_changes"):
            return False
        return bool(REVIEWED_TEXT & set(self.changed_data)) or not self.instance.review_will_cover()


class PendingSourceFormSet(BaseInlineFormSet):
    """The change's sources; changing them while publishing needs the acknowledgement the text needs."""

    def clean(self):
        super().clean()
        pending = self.instance
        reviewed = pending.article.reviewed_at is not None or pending.reviewed_at is not None
        publishing = self.data.get(TRANSITION_FIELD) == "publish"
        if reviewed and publishing and self.has_changed() and not review_changes_seen(self.data):
            raise forms.ValidationError(REVIEW_CHANGED)


class PendingSourceInline(SourcesInline):
    model = PendingSource
    formset = PendingSourceFormSet

    # As the change itself: whoever may edit the change edits its sources (no model permissions of their own).
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request) and (obj is None or obj.is_editable_by(request.user))

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(PendingVersion)
class PendingVersionAdmin(WorkflowFormAdmin, admin.ModelAdmin):
    """Permissions follow the article's (Article.objects.for_admin), not model permissions of their own."""

    form = PendingVersionForm
    list_display = ("title", "live_article", "status", "submitted_at", "updated_at")
    list_filter = ("status",)
    list_select_related = ("article__author",)
    readonly_fields = ("live_article", "status", "reviewer", "reviewed_at")
    inlines = (PendingSourceInline,)
    change_form_template = "admin/articles/pendingversion/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).for_admin(request.user).select_related("article__author")

    def get_fieldsets(self, request, obj=None):
        review = ("reviewer", "reviewed_at")
        if is_editor(request.user):
            review += ("record_review", "acknowledge_review_changes")
        return (
            (None, {"fields": ("live_article", "title", "summary", "body", "tags", "base_version")}),
            ("Review", {"fields": ("status", "review_note", *review)}),
            ("Disclosure", {"fields": ("disclosure",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if is_editor(request.user) else (*self.readonly_fields, "review_note")

    def has_module_permission(self, request):
        return request.user.has_perm("articles.change_article")

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)  # get_queryset keeps each to their own

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.is_editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)  # discarding a change leaves the article as it is

    def has_add_permission(self, request):
        return False  # begun from the article (start_view), as a copy of its live content

    def save_model(self, request, obj, form, change):
        if obj.note_edit_by(request.user):
            self.message_user(request, "Your edit took the change back to draft: submit it again when ready.")
        obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pending = form.instance
        if form.cleaned_data.get("record_review"):
            pending.record_review(request.user)  # after the sources: the review covers them too
            pending.save()
        if form.transition:
            pending.apply_transition(form.transition, request.user)
            if form.transition == "publish":
                request.published_article = pending.article
            else:
                pending.save()

    def response_change(self, request, obj):
        article = getattr(request, "published_article", None)
        if article is None:
            return super().response_change(request, obj)
        self.message_user(request, "The change is published: readers see the new text now.", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = obj.allowed_transitions(request.user)
            context["transition_field"] = TRANSITION_FIELD
            context["changes"] = changes_from_live(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="Live article")
    def live_article(self, pending):
        url = reverse("admin:articles_article_change", args=[pending.article_id])
        return format_html('<a href="{}">{}</a>', url, pending.article.title)

    @admin.display(description="Reviewed by")
    def reviewer(self, pending):
        return staff_name(pending.reviewed_by, unknown="an editor") if pending.reviewed_at else "—"

    def get_urls(self):
        start = self.admin_site.admin_view(self.start_view)
        return [
            path("start/<path:article_id>/", start, name="articles_pendingversion_start"),
            *super().get_urls(),
        ]

    def start_view(self, request, article_id):
        """POST: open the article's pending change, begun as a copy of the live text if there is none."""
        if request.method != "POST":
            return redirect("admin:articles_article_change", article_id)
        try:
            article = get_object_or_404(Article.objects.for_admin(request.user), pk=unquote(article_id))
        except (ValueError, TypeError) as error:
            raise Http404("No such article.") from error
        if not (self.has_module_permission(request) and PendingVersion.may_start(article, request.user)):
            raise PermissionDenied
        pending = PendingVersion.start(article, request.user)
        return redirect("admin:articles_pendingversion_change", pending.pk)
