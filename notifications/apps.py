from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mail to staff about the editorial work, and each person's choice of what they receive."""

    name = "notifications"
    verbose_name = "E-mail notifications"

    def ready(self):
        from notifications import signals

        signals.connect()
