"""The reader's reply form: honeypot, form token bound to the article, minimum writing time, rate limit."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms

from articles.models import Reply
from articles.replies import form_token, token_nonce, token_placeholder, token_problem
from articles.reply_limits import RateLimited, store_within_rate_limit, token_used_up

TOKEN_USED_UP = "This form was already sent several times. Your text is kept below: please send it again."
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
        # Filled in as the page leaves (articles.replies.fill_reply_tokens); 0 stands for any article.
        self.fields["token"].initial = token_placeholder(article.pk if article else 0)
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
