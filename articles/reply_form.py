"""The reader's reply form: honeypot, form token, minimum writing time and rate limit."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils import timezone

from articles.models import Reply
from articles.replies import (
    RATE_LIMIT,
    RATE_WINDOW_MINUTES,
    TOKEN_PLACEHOLDER,
    form_token,
    token_problem,
)


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
