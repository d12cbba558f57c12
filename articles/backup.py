"""Backups: the database's content (as Django fixtures, so any engine restores any other's) and the
uploaded media files, in one .tar.gz.

A backup holds every login, e-mail address, real name and password hash: it is written readable by
its owner only (0600), in a folder only its owner may open (0700)."""

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from articles import author_counts, search, topic_counts
from articles.models import Article

DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"
# Rebuilt by Django or by us after a restore rather than copied.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "articles.searchentry"]
# Models that moved to another app since older backups were written: (app, model) then and now.
MOVED_MODELS = {("articles", "reply"): ("replies", "reply")}
BATCH = 10_000  # articles dated per statement when restoring an old backup


def write_backup(path):
    """Write the content and the media files to the .tar.gz at `path`."""
    data = io.StringIO()
    call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, stdout=data)
    payload = data.getvalue().encode()
    media = Path(settings.MEDIA_ROOT)
    with open_private(path) as file, tarfile.open(fileobj=file, mode="w:gz") as archive:
        info = tarfile.TarInfo(DATA_NAME)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        if media.is_dir():
            for file in sorted(p for p in media.rglob("*") if p.is_file()):
                archive.add(file, arcname=MEDIA_PREFIX + file.relative_to(media).as_posix())
    return len(json.loads(payload))


def private_folder(folder):
    """Create `folder` (and its parents) if missing, and make it openable by its owner only."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # whatever the umask, and an existing folder tightened
    return folder


def open_private(path):
    """A new file at `path`, open for writing, readable by its owner only from the moment it exists.
    Raises FileExistsError rather than write into a file (or a link) that is already there."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)  # exactly 0600, whatever the umask
    except OSError:
        os.close(fd)
        raise
    return os.fdopen(fd, "wb")


def restore_backup(path):
    """Load a backup into a migrated, empty database and put its media files back; return the
    number of objects loaded."""
    if Article.objects.exists():
        raise ValueError("The database already has articles: restore only into an empty database.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as scratch:
        archive.extractall(scratch, filter="data")  # the "data" filter refuses paths outside scratch
        with transaction.atomic():
            data = Path(scratch) / DATA_NAME
            data.write_text(
                json.dumps(_undated_as_drafts(_relabel_moved_models(json.loads(data.read_text()))))
            )
            call_command("loaddata", str(data), verbosity=0)
            _date_articles_from_older_backups(json.loads(data.read_text()))
            topic_counts.recount()  # a backup from before the stored counts loads them as 0
            author_counts.recount()
            for article in Article.objects.all():
                search.index_article(article)
        extracted_media = Path(scratch) / MEDIA_PREFIX
        if extracted_media.is_dir():
            for file in extracted_media.rglob("*"):
                if file.is_file():
                    target = media / file.relative_to(extracted_media)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(file.read_bytes())
        return len(json.loads((Path(scratch) / DATA_NAME).read_text()))


def _date_articles_from_older_backups(objects):
    # A backup made before articles had `revised_at` would otherwise show every article as
    # "Updated" on the day of the restore: their last save is the best date there is.
    undated = [
        obj["pk"]
        for obj in objects
        if obj["model"] == "articles.article" and "revised_at" not in obj["fields"]
    ]
    for start in range(0, len(undated), BATCH):  # a statement takes a bounded number of parameters
        Article.objects.filter(pk__in=undated[start : start + BATCH]).update(revised_at=F("updated_at"))


def _undated_as_drafts(objects):
    """The fixture `objects` with each published article without a date (which an older backup may
    hold, from before the database refused one) as the draft it looked to readers, as migration
    articles 0022 made such rows."""
    for obj in objects:
        fields = obj["fields"]
        if (
            obj["model"] == "articles.article"
            and fields.get("status") == "published"
            and not fields.get("published_at")
        ):
            fields["status"] = "draft"
    return objects


def _relabel_moved_models(value):
    """The fixture `value` with each moved model's rows and natural keys (of its content type and
    permissions) under its app of today, so that a backup from before the move restores."""
    if isinstance(value, dict):
        relabelled = {key: _relabel_moved_models(item) for key, item in value.items()}
        if isinstance(value.get("model"), str) and "fields" in value:
            app, _, model = value["model"].partition(".")
            relabelled["model"] = ".".join(MOVED_MODELS.get((app, model), (app, model)))
        return relabelled
    if isinstance(value, list):
        # A natural key ends with the content type's (app, model): ["articles", "reply"] for the
        # content type itself, ["change_reply", "articles", "reply"] for a permission.
        key = tuple(value[-2:])
        if len(key) == 2 and all(isinstance(part, str) for part in key) and key in MOVED_MODELS:
            return [*value[:-2], *MOVED_MODELS[key]]
        return [_relabel_moved_models(item) for item in value]
    return value
