"""What a citation is, for an article's sources and for a pending change's sources alike."""

from django.db import models

CITATION_FIELDS = ("title", "url", "position")  # what is copied between an article and a pending change


class Citation(models.Model):
    """A cited source: its title, address and place in the list."""

    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def copied_fields(self):
        """{field name: value} of what a copy of this citation elsewhere carries."""
        return {field: getattr(self, field) for field in CITATION_FIELDS}
