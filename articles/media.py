"""Uploaded pictures, served only to those who may see the article or author they belong to."""

from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from articles.models import Article
from authors.images import ARTICLE_FOLDER, AVATAR_FOLDER, CARD_FOLDER
from authors.models import Author
from authors.renditions import source_names

PUBLIC_MAX_AGE = 24 * 60 * 60  # a picture unpublished or taken down leaves shared caches within a day
CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}  # fmt: skip


def owners(name, user):
    """(the rows naming the picture `name`, or the picture a rendition `name` was made from, that
    everyone may see, those `user` may see): a rendition or share image is as public as its row."""
    parts = PurePosixPath(name).parts
    folder = parts[0] if parts and ".." not in parts and "\x00" not in name else None
    names = [name, *source_names(name)]  # the picture itself, or the one a rendition is made from
    if folder == ARTICLE_FOLDER:
        articles = Article.objects.filter(hero_image__in=names)
        return articles.published(), articles.previewable_by(user)
    if folder == CARD_FOLDER:
        articles = Article.objects.filter(share_image=name)
        return articles.published(), articles.previewable_by(user)
    if folder == AVATAR_FOLDER:
        authors = Author.objects.filter(avatar__in=names)
        return authors.public(), authors.previewable_by(user)
    return Article.objects.none(), Article.objects.none()


@require_safe
def picture(request, name):
    """The picture file `name` when its article or author is public, or previewable by the user
    (then never stored by a shared cache); 404 for anything else, unknown files included."""
    public, previewable = owners(name, request.user)
    is_public = public.exists()
    if not is_public and not (request.user.is_staff and previewable.exists()):
        raise Http404("No such picture.")
    try:
        file = default_storage.open(name)  # the name is a row's, so it cannot leave MEDIA_ROOT
    except OSError:
        raise Http404("No such picture.") from None  # its row outlived the file (an old revision)
    extension = name.rpartition(".")[2]
    response = FileResponse(file, content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
    if extension not in CONTENT_TYPES:  # an upload from before the formats were checked
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}" if is_public else "private, no-store"
    return response
