"""Refresh the search entries waiting in the backlog (topic renames, merges, deletes), in batches."""

from django.core.management.base import BaseCommand, CommandError

from articles import search


class Command(BaseCommand):
    help = "Re-index the articles waiting in the search backlog, a batch per transaction, until none is left."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=search.BACKLOG_BATCH, help="articles per transaction (default 500)"
        )

    def handle(self, *args, batch, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        total = 0
        while done := search.work_off_backlog(batch):
            total += done
        self.stdout.write(f"Re-indexed {total} article{'s' if total != 1 else ''}.")
