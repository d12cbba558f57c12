"""The admin's article form: workflow, medical review, edit conflicts."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils import timezone

from articles.models import Article, Tag
from articles.revisions import compare, snapshot, versions_of
from articles.workflow import is_editor

TRANSITION_FIELD = "_transition"  # the name of the workflow buttons in the change form


class ArticleAdminForm(forms.ModelForm):
    """Set up per request by ArticleAdmin.get_form, which sets `user` and `transition`."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    record_review = forms.BooleanField(
        required=False,
        label="Record a medical review now",
        help_text="Tick after checking the health claims and sources: you are shown as the reviewer, "
        "with today's date, under your full name.",
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        label="Topics",
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
        help_text="Type to find a topic. Editors add new topics under Topics.",
    )

    user = None
    transition = ""

    class Meta:
        model = Article
        fields = (
            "title", "slug", "author", "summary", "body", "tags", "published_at", "review_note",
            "disclosure", "hero_image", "hero_alt",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if not is_editor(self.user):
            del self.fields["record_review"]  # declared fields exist whatever the fieldsets say
        if self.instance.pk:
            self.initial.setdefault("base_version", self.instance.version)
            self.initial["tags"] = list(self.instance.tags.all())

    def clean(self):
        cleaned = super().clean()
        if not is_editor(self.user) and not hasattr(self.user, "author_profile"):
            raise forms.ValidationError(
                "Your login is not linked to an author profile yet, so you cannot write articles. "
                "Ask an editor to link it."
            )
        self._check_not_edited_meanwhile(cleaned)
        self._check_transition(cleaned)
        return cleaned

    def _check_not_edited_meanwhile(self, cleaned):
        # Optimistic locking: the form carries the version it was opened at; a newer one refuses it.
        if not self.instance.pk:
            return
        current = Article.objects.select_for_update().get(pk=self.instance.pk)
        started_from = cleaned.get("base_version")
        if started_from == current.version:
            return
        versions = list(versions_of(current)[:50])
        newest = versions[0] if versions else None
        base = next((v for v in versions if v.field_dict.get("version") == started_from), None)
        if newest and base:
            self.conflict = [row for row in compare(snapshot(base), snapshot(newest)) if row[1]]
        who = newest.revision.user.get_username() if newest and newest.revision.user else "someone"
        # The next save, made knowingly after reading the changes, may replace them.
        self.data = self.data.copy()
        self.data["base_version"] = current.version
        raise forms.ValidationError(
            f"{who} saved this article while you were editing it. Nothing of yours was saved, and "
            "your text is kept below. Read their changes, merge what you need, then save again."
        )

    def _check_transition(self, cleaned):
        published = self.instance.status == Article.Status.PUBLISHED
        if (
            published
            and not self.transition
            and "published_at" in self.fields
            and not cleaned.get("published_at")
        ):
            self.add_error(
                "published_at", "A published article needs a date. To take it down, use Unpublish."
            )
        if not self.transition:
            return
        allowed = (
            {t.name for t in self.instance.allowed_transitions(self.user)} if self.instance.pk else set()
        )
        if self.transition not in allowed:
            raise forms.ValidationError("That step is not open to you for this article in its current state.")
        if self.transition == "schedule":
            when = cleaned.get("published_at")
            if not when or when <= timezone.now():
                self.add_error("published_at", "To schedule, choose a date and time in the future.")
        if self.transition == "request_changes" and not cleaned.get("review_note", "").strip():
            self.add_error("review_note", "Tell the author what to change before sending the article back.")
