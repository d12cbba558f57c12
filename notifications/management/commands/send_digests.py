from django.core.management.base import BaseCommand

from notifications.digests import send_reply_digest, send_review_digest


class Command(BaseCommand):
    help = (
        "Mail the editors the replies still waiting for moderation (at most every 30 minutes) and the weekly "
        "digest of medical reviews due or out of date (at most once a week). Run it from cron every 15 minutes."
    )

    def handle(self, *args, **options):
        for name, send in (
            ("Replies digest", send_reply_digest),
            ("Medical review digest", send_review_digest),
        ):
            self.stdout.write(f"{name}: {'sent' if send() else 'nothing to send'}")
