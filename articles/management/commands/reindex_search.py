"""Refresh the search entries waiting in the backlog, in batches: the articles of deleted topics, and
the articles of renamed topics and of topics others were merged into, each topic gone through in
article id order a batch at a time (articles.search). Run it from cron; several servers may."""

from django.core.management.base import BaseCommand, CommandError

from articles import search


class Command(BaseCommand):
    help = (
        "Re-index the articles waiting in the search backlog, and those of the topics waiting in it, "
        "a batch per transaction, until none is left."
    )

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
