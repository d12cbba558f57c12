"""The admin's article form: workflow, medical review, edit conflicts."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from articles.models import Article, Tag
from articles.revisions import compare, snapshot, versions_of
from articles.workflow import is_editor, staff_name

TRANSITION_FIELD = "_transition"  # the name of the workflow buttons in the change form
PUBLISHING = ("publish", "schedule")  # the steps that put an article before readers
# Either box tells that the editor saw what changed since the medical review before publishing.
REVIEW_SEEN_FIELDS = ("record_review", "acknowledge_review_changes")
REVIEW_CHANGED = (
    "What you are publishing differs from what the medical review covered (changes already saved are "
    "shown at the top). Tick “I have read the changes since the medical review”, or record a new "
    "review, then publish again."
)


def review_changes_seen(data):
    """True when the posted change form ticks a box saying the changes since the review were seen."""
    return any(forms.CheckboxInput().value_from_datadict(data, None, name) for name in REVIEW_SEEN_FIELDS)


class UnlabelledHiddenInput(forms.HiddenInput):
    """A hidden input the admin's label points nowhere near (HTML allows no label for a hidden input)."""

    def id_for_label(self, id_):
        return ""


class ArticleTextForm(forms.ModelForm):
    """The fields of the forms that edit an article's text, its own or a pending change's: the version
    the form was opened at, the medical-review boxes and the topics. The admin's get_form sets `user`
    and `transition` per request; each form words the review boxes for what it edits in `labels` and
    `help_texts` (as ModelForm's Meta options do for model fields)."""

    base_version = forms.IntegerField(widget=UnlabelledHiddenInput, required=False)
    record_review = forms.BooleanField(required=False)
    acknowledge_review_changes = forms.BooleanField(
        required=False,
        label="I have read the changes since the medical review",  # as REVIEW_CHANGED names it
    )
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.all(),
        required=False,
        label="Topics",
        widget=AutocompleteSelectMultiple(Article._meta.get_field("tags"), admin.site),
    )

    user = None
    transition = ""
    labels = {}
    help_texts = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            self.fields[name].label = label
        for name, text in self.help_texts.items():
            self.fields[name].help_text = text


class ArticleAdminForm(ArticleTextForm):
    """Set up per request by the admin (articles.admin_base.WorkflowFormAdmin: `user`, `transition`)."""

    labels = {"record_review": "Record a medical review now"}
    help_texts = {
        "record_review": "Tick after checking the health claims and sources: you are shown as the "
        "reviewer, with today's date, under your full name.",
        "acknowledge_review_changes": "Needed to publish or schedule an article whose title, summary, body "
        "or sources changed since its medical review (unless you record a new review). Readers are told "
        "that an earlier version was reviewed.",
        "tags": "Type to find a topic. Editors add new topics under Topics.",
    }

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
        if not (is_editor(self.user) and self.instance.reviewed_at):
            del self.fields["acknowledge_review_changes"]
        if self.instance.pk:
            self.initial.setdefault("base_version", self.instance.version)
            self.initial["tags"] = list(self.instance.tags.all())

    def clean(self):
        cleaned = super().clean()
        if not is_editor(self.user) and not hasattr(self.user, "author_profile"):
            raise forms.ValidationError(
                "Your login is not linked to an author profile yet, so you cannot write articles. "
                "Ask the site administrator to link it."
            )
        self._check_not_edited_meanwhile(cleaned)
        self._check_transition(cleaned)
        self._check_review_changes_seen(cleaned)
        self._check_hero_described(cleaned)
        return cleaned

    def _check_hero_described(self, cleaned):
        # Readers with a screen reader hear the description in place of the picture.
        if (
            "hero_alt" in self.fields
            and cleaned.get("hero_image")
            and not cleaned.get("hero_alt", "").strip()
        ):
            self.add_error("hero_alt", "Describe the picture in a few words, for readers who cannot see it.")

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
        who = staff_name(newest.revision.user if newest else None)
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

    def _check_review_changes_seen(self, cleaned):
        # Publishing text its medical review did not cover needs the editor to have seen the changes.
        if self.transition not in PUBLISHING or "acknowledge_review_changes" not in self.fields:
            return
        edited_now = {"title", "summary", "body"} & set(self.changed_data)
        unseen = not (cleaned.get("record_review") or cleaned.get("acknowledge_review_changes"))
        if unseen and (self.instance.review_out_of_date or edited_now):
            self.add_error("acknowledge_review_changes", REVIEW_CHANGED)


class SourceFormSet(BaseInlineFormSet):
    """The article's sources; changing them while publishing a reviewed article needs the same
    acknowledgement as changing its text (the form checks the text, this checks the sources)."""

    def clean(self):
        super().clean()
        reviewed = self.instance.pk is not None and self.instance.reviewed_at is not None
        publishing = self.data.get(TRANSITION_FIELD) in PUBLISHING
        if reviewed and publishing and self.has_changed() and not review_changes_seen(self.data):
            raise forms.ValidationError(REVIEW_CHANGED)
