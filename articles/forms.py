"""Forms: the admin's article form (workflow, medical review, edit conflicts) and the reply form."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils import timezone

from articles.models import Article, Reply, Tag
from articles.replies import (
    RATE_LIMIT,
    RATE_WINDOW_MINUTES,
    TOKEN_PLACEHOLDER,
    form_token,
    token_problem,
)
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


class ReplyForm(forms.ModelForm):
    """A reader's reply, with a honeypot, a minimum writing time and a per-client rate limit."""

    website = forms.CharField(required=False, label="Leave this field empty")  # honeypot for bots
    token = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Reply
        fields = ("name", "email", "text")
        labels = {"name": "Your name", "email": "E-mail (optional)", "text": "Your reply"}
        help_texts = {
            "name": "A first name or a pseudonym is fine.",
            "email": "Never shown to anyone but the editors. Leave it empty if you prefer.",
            "text": "Plain text. Please don't share phone numbers or addresses: we hide them anyway.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 5, "maxlength": 3000})}

    def __init__(self, *args, client_hash="", **kwargs):
        super().__init__(*args, **kwargs)
        self.client_hash = client_hash
        self.fields["token"].initial = TOKEN_PLACEHOLDER
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.helper = FormHelper()
        self.helper.form_id = "reply-form"
        self.helper.disable_csrf = True  # see ArticleDetailView: the page is the same for every reader
        self.helper.layout = Layout(
            "name",
            "email",
            "text",
            Div(Field("website"), css_class="hp", aria_hidden="true"),
            "token",
            Submit("submit", "Send reply", css_class="btn-primary"),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError("This reply looks automated, so it was not sent.")
        problem = token_problem(cleaned.get("token", ""))
        if problem:
            self._renew_token()
            raise forms.ValidationError(problem)
        since = timezone.now() - timedelta(minutes=RATE_WINDOW_MINUTES)
        if Reply.objects.filter(client_hash=self.client_hash, created_at__gte=since).count() >= RATE_LIMIT:
            raise forms.ValidationError(
                "You have sent several replies in the last few minutes. Please wait a little, then try again."
            )
        return cleaned

    def _renew_token(self):
        # The form is shown again with what the reader typed; its clock starts again too.
        self.data = self.data.copy()
        self.data["token"] = form_token()

    def save(self, article):
        reply = super().save(commit=False)
        reply.article, reply.client_hash = article, self.client_hash
        reply.save()
        return reply
