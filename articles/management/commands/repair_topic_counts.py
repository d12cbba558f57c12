"""Recount every topic's and every author's published articles and fix the stored counts that drifted."""

from django.core.management.base import BaseCommand

from articles import author_counts, topic_counts


class Command(BaseCommand):
    help = (
        "Recount each topic's and each author's published articles; print and fix the stored counts "
        "that drifted."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the drift without fixing it.")

    def handle(self, *args, dry_run=False, **options):
        for kind, counts in (("topic", topic_counts), ("author", author_counts)):
            drifted = [row for row in counts.recounts() if row[2] != row[3]]
            for pk, name, stored, actual in drifted:
                self.stdout.write(f"{kind} {name}: stored {stored}, actual {actual}")
                if not dry_run:
                    counts.recount(pk)  # counted again in the update itself: a change meanwhile is not lost
            verb = "found" if dry_run else "fixed"
            self.stdout.write(f"{len(drifted)} {kind} count(s) drifted: {verb}.")
