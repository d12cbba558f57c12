"""The article form's helpers, for staff: the preview as readers will get it, and the autosaved copy."""

import nh3
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.rendering import render_markdown
from writing.models import AutosavedCopy

MAX_BODY = 200_000  # characters: far beyond any article, short of abuse


@require_POST
def preview(request):
    """The body rendered and sanitised by the very code that publishes it, with its word count."""
    body = request.POST.get("body", "")[:MAX_BODY]
    rendered = render_markdown(body)
    words = len(nh3.clean(rendered.html, tags=set()).split())
    return JsonResponse({"html": rendered.html, "words": words, "minutes": rendered.reading_minutes})


def _article(request, article_id):
    """The article `request.user` may edit, None for a new one; 404 for anything else."""
    if article_id is None:
        if not request.user.has_perm("articles.add_article"):
            raise Http404
        return None
    article = get_object_or_404(
        Article.objects.for_admin(request.user).select_related("author"), pk=article_id
    )
    if not (request.user.has_perm("articles.change_article") and article.is_editable_by(request.user)):
        raise Http404
    return article


@require_POST
def autosave(request, article_id=None):
    """Keep the writer's current title, summary and body as their private copy of the article."""
    article = _article(request, article_id)
    fields = {name: request.POST.get(name, "") for name in ("title", "summary", "body")}
    if len(fields["body"]) > MAX_BODY or len(fields["title"]) > 200:
        return JsonResponse({"error": "Too long to keep."}, status=400)
    copy, _ = AutosavedCopy.objects.update_or_create(user=request.user, article=article, defaults=fields)
    return JsonResponse({"saved_at": copy.saved_at.isoformat()})


@require_GET
def restore(request, article_id=None):
    """The writer's copy when it is newer than what they last saved; a stale copy is deleted."""
    article = _article(request, article_id)
    copy = AutosavedCopy.objects.filter(user=request.user, article=article).first()
    if copy is not None and _saved_since(request.user, article, copy):
        copy.delete()
        copy = None
    if copy is None:
        return JsonResponse({"copy": None})
    return JsonResponse(
        {
            "copy": {
                "title": copy.title,
                "summary": copy.summary,
                "body": copy.body,
                "saved_at": copy.saved_at.isoformat(),
            }
        }
    )


@require_POST
def discard(request, article_id=None):
    """Delete the writer's copy (they chose the saved text, or saved the form)."""
    AutosavedCopy.objects.filter(user=request.user, article=_article(request, article_id)).delete()
    return JsonResponse({"copy": None})


def _saved_since(user, article, copy):
    # Saving the form makes the copy stale: the article's own save, or for a new article, the writer
    # adding an article after the copy was kept.
    if article is not None:
        return article.updated_at >= copy.saved_at
    added = LogEntry.objects.filter(
        user=user,
        action_flag=ADDITION,
        content_type=ContentType.objects.get_for_model(Article),
        action_time__gte=copy.saved_at,
    )
    return added.exists()
