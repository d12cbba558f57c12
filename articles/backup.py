"""Backups: the database's content (as Django fixtures, so any engine restores any other's) and the
uploaded media files, in one .tar.gz."""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from articles import search
from articles.models import Article

DATA_NAME = "data.json"
MEDIA_PREFIX = "media/"
# Rebuilt by Django or by us after a restore rather than copied.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "articles.searchentry"]


def write_backup(path):
    """Write the content and the media files to the .tar.gz at `path`."""
    data = io.StringIO()
    call_command("dumpdata", natural_foreign=True, exclude=EXCLUDED, stdout=data)
    payload = data.getvalue().encode()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(DATA_NAME)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        if media.is_dir():
            for file in sorted(p for p in media.rglob("*") if p.is_file()):
                archive.add(file, arcname=MEDIA_PREFIX + file.relative_to(media).as_posix())
    return len(json.loads(payload))


def restore_backup(path):
    """Load a backup into a migrated, empty database and put its media files back; return the
    number of objects loaded."""
    if Article.objects.exists():
        raise ValueError("The database already has articles: restore only into an empty database.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as archive, tempfile.TemporaryDirectory() as scratch:
        archive.extractall(scratch, filter="data")  # the "data" filter refuses paths outside scratch
        with transaction.atomic():
            call_command("loaddata", str(Path(scratch) / DATA_NAME), verbosity=0)
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
