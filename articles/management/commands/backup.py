from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.backup import write_backup


class Command(BaseCommand):
    help = (
        "Write the site's content and uploaded media to a .tar.gz (default: backups/fibrosite-<time>.tar.gz)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup.")

    def handle(self, *args, path=None, **options):
        path = Path(path or f"backups/fibrosite-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        path.parent.mkdir(parents=True, exist_ok=True)
        count = write_backup(path)
        self.stdout.write(f"Backed up {count} objects and the media files to {path}")
