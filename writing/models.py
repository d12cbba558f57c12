from django.conf import settings
from django.db import models


class AutosavedCopy(models.Model):
    """Someone's unsaved work on one article (or on a new one), kept every few seconds so that a closed
    tab or a crash loses nothing. Private to its writer: never public, never a revision."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for an article not saved yet.",
    )
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_article"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(article__isnull=True), name="autosave_one_new_article"
            ),
        ]

    def __str__(self):
        return f"Autosaved copy of {self.title or 'a new article'}"
