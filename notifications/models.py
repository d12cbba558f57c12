from django.conf import settings
from django.db import models


class Preferences(models.Model):
    """The e-mail a person chose to receive. What asks them to act on their own article (changes
    requested) or takes it down (unpublished) always goes out; everything here can be turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    submitted = models.BooleanField(
        "articles submitted for review", default=True, help_text="Editors: an article waits for review."
    )
    replies = models.BooleanField(
        "replies waiting for moderation",
        default=True,
        help_text="Editors: at most one message every 30 minutes, listing the new replies.",
    )
    review_digest = models.BooleanField(
        "weekly medical review digest",
        default=True,
        help_text="Editors: the articles whose medical review is due or out of date.",
    )
    published = models.BooleanField(
        "my articles scheduled or published", default=True, help_text="Authors: when your article goes live."
    )

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self):
        return "E-mail preferences"


class DigestRun(models.Model):
    """When a digest last went out, and the newest item it listed: a digest lists only what came since."""

    class Kind(models.TextChoices):
        REPLIES = "replies", "Replies waiting for moderation"
        REVIEWS = "reviews", "Medical reviews due or out of date"

    kind = models.CharField(max_length=20, choices=Kind, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_item_id = models.BigIntegerField(default=0)

    def __str__(self):
        return self.get_kind_display()
