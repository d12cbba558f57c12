import stat
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.backup import private_folder, write_backup

DEFAULT_FOLDER = Path("backups")


class Command(BaseCommand):
    help = (
        "Write the site's content and uploaded media to a .tar.gz (default: backups/fibrosite-<time>.tar.gz), "
        "readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup (a new file).")

    def handle(self, *args, path=None, **options):
        if path is None:
            path = private_folder(DEFAULT_FOLDER) / f"fibrosite-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        else:
            path = Path(path)
            if path.parent.is_dir():
                self.warn_if_shared(path.parent)
            else:
                private_folder(path.parent)
        try:
            count = write_backup(path)
        except FileExistsError as error:
            raise CommandError(f"{path} already exists: choose a new file name.") from error
        self.stdout.write(f"Backed up {count} objects and the media files to {path}")

    def warn_if_shared(self, folder):
        # A folder the command did not create is not ours to change; the file itself is 0600.
        if folder.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            self.stderr.write(
                f"Note: other users can open {folder}; keep backups in a folder only you can open."
            )
