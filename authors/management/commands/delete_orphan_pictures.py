from django.core.management.base import BaseCommand

from authors.files import delete_orphan_pictures


class Command(BaseCommand):
    help = (
        "Delete the picture files (MEDIA_ROOT/avatars, /articles and /cards) that no author or "
        "article names, nor are renditions of a picture one names: files replaced before "
        "replacements deleted them, renditions of deleted pictures, old share images. Files younger "
        "than an hour are kept: they may belong to a save in progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the files, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        names = delete_orphan_pictures(dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        self.stdout.write(f"{len(names)} file(s) {'would be deleted' if dry_run else 'deleted'}.")
