from django.core.management.base import BaseCommand

from articles.demo import create_demo_logins, load_demo_content


class Command(BaseCommand):
    help = "Load the demo articles once (never duplicated); with DEBUG on, also the demo logins."

    def handle(self, *args, **options):
        created = load_demo_content()
        self.stdout.write(f"Demo content: {created} new article(s).")
        for username, password in create_demo_logins().items():
            self.stdout.write(f"Demo login for /admin/: username {username!r}, password {password!r}")
