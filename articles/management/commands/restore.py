from django.core.management.base import BaseCommand, CommandError

from articles.backup import restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into a migrated, empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar.gz written by `backup`.")

    def handle(self, *args, path, **options):
        try:
            count = restore_backup(path)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {count} objects and the media files from {path}")
