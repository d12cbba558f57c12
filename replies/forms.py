"""The reader's reply form: honeypot, form token bound to the article, minimum writing time, rate limit."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.urls import reverse

from replies.limits import RateLimited, store_within_rate_limit, token_used_up
from replies.models import Reply
from replies.tokens import form_token, token_nonce, token_placeholder, token_problem

TOKEN_USED_UP = "This form was already sent several times. Your text is kept below: please send it again."
# The empty form (rendered once for every page) posts here; the page's own reply address replaces it.
ANY_ARTICLE_ACTION = "reply-address-of-the-article"
RATE_LIMITED = "You have sent several replies in the last few minutes. Please wait a little, then try again."


class ReplyForm(forms.ModelForm):
    """A reader's reply to `article`. `save()` stores it only within the client's rate limit (the
    count and the insert are one atomic step) and returns None, with a form error, beyond it."""

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

    def __init__(self, *args, article=None, client_hash="", **kwargs):
        super().__init__(*args, **kwargs)
        self.article, self.client_hash = article, client_hash
        # Filled in as the page leaves (replies.tokens.fill_reply_tokens); 0 stands for any article.
        self.fields["token"].initial = token_placeholder(article.pk if article else 0)
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.helper = FormHelper()
        self.helper.form_id = "reply-form"
        self.helper.form_action = reply_address(article) if article else ANY_ARTICLE_ACTION
        self.helper.disable_csrf = True  # see replies.views: the page is the same for every reader
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
        article_id = self.article.pk if self.article else None
        # Shown again only when refused, with what the reader typed and a new token: its clock
        # starts again, and its uses are counted afresh.
        self.data = self.data.copy()
        self.data["token"] = form_token(article_id)
        if cleaned.get("website"):
            raise forms.ValidationError("This reply looks automated, so it was not sent.")
        token = cleaned.get("token", "")
        problem = token_problem(token, article_id)
        if problem:
            raise forms.ValidationError(problem)
        if token_used_up(token_nonce(token)):
            raise forms.ValidationError(TOKEN_USED_UP)
        return cleaned

    def save(self):
        """The stored reply, or None (and a form error) when the client is over the rate limit.
        Only a reply that is otherwise acceptable counts against the limit."""
        reply = super().save(commit=False)
        reply.article, reply.client_hash = self.article, self.client_hash
        try:
            store_within_rate_limit(reply)
        except RateLimited:
            self.add_error(None, RATE_LIMITED)
            return None
        return reply


def reply_address(article):
    """Where the reply form for `article` is sent."""
    return reverse("replies:post", args=[article.slug])
