from django.db import models

from articles.models import Article
from replies.masking import mask_private_details


class ReplyQuerySet(models.QuerySet):
    def approved(self):
        """Replies readers may see: approved by an editor, oldest first."""
        return self.filter(status=Reply.Status.APPROVED).order_by("created_at", "pk")


class Reply(models.Model):
    """A reader's answer to an article; shown only once an editor approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="replies")
    name = models.CharField(max_length=80, help_text="Shown with the reply; a pseudonym is fine.")
    email = models.EmailField(blank=True, help_text="Private: never shown anywhere public.")
    text = models.TextField(max_length=3000)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    allow_links = models.BooleanField(
        "make links clickable",
        default=False,
        help_text="Only after checking where the reply's web addresses lead.",
    )
    client_hash = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        db_table = "articles_reply"  # the table it had when replies lived in articles: kept, rows and all
        ordering = ["-created_at"]
        verbose_name_plural = "replies"

    def __str__(self):
        return f"{self.name} on {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#reply-{self.pk}"

    @property
    def public_name(self):
        """The name as readers see it: readers sometimes type an e-mail address or phone number."""
        return mask_private_details(self.name)

    @property
    def public_text(self):
        """The text as readers see it: phone numbers and e-mail addresses masked."""
        return mask_private_details(self.text)
