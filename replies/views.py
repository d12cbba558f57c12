from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt

from articles.models import Article
from articles.views import article_page
from replies.clients import client_fingerprint
from replies.forms import ReplyForm

THANKS = "Thank you. Your reply is waiting for review and will appear once approved."


# Replies come from anonymous readers with no session to protect, so the form carries no CSRF
# token (as on most blogs) and the article's page can be cached for everyone. It is guarded instead
# by a signed form token, a honeypot, a minimum writing time and a rate limit (replies/tokens.py,
# replies/limits.py).
@csrf_exempt
def post_reply(request, slug):
    """Store a reader's reply to a published article and go back to it; a refused reply is shown
    again on the article's page with what the reader typed and why."""
    article = get_object_or_404(Article.objects.published().select_related("author").defer("body"), slug=slug)
    if request.method != "POST":
        return redirect(article)  # this address stays in the address bar after a refused reply
    form = ReplyForm(request.POST, article=article, client_hash=client_fingerprint(request))
    if not (form.is_valid() and form.save()):
        return article_page(request, article, reply_form=form)
    messages.success(request, THANKS)
    return redirect(f"{article.get_absolute_url()}#leave-reply")
