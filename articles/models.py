from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.rendering import render_markdown
from authors.images import MetadataFreeImageField
from authors.slugs import unique_slug


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of what the public may see: published, and its time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_tags(self, tags):
        """Articles carrying every one of `tags` (Tag objects or slugs)."""
        articles = self
        for tag in tags:
            articles = articles.filter(tags__slug=getattr(tag, "slug", tag))
        return articles

    def for_listing(self):
        """Newest first, with what a list entry shows, at a fixed number of queries."""
        return (
            self.select_related("author")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")
            .defer("body", "body_html", "toc")
        )


class TagQuerySet(models.QuerySet):
    def with_counts(self, articles=None):
        """Tags annotated with `article_count`: how many of `articles` (default: published) carry each."""
        if articles is None:
            articles = Article.objects.published()
        return self.annotate(
            article_count=Count("tagged_articles", filter=Q(tagged_articles__content_object__in=articles))
        )

    def in_use(self, articles=None):
        """Tags carried by at least one of `articles`, most used first."""
        return self.with_counts(articles).filter(article_count__gt=0).order_by("-article_count", "name")


class Tag(TagBase):
    """A treatment topic (botox, exercise, sleep, ...)."""

    description = models.TextField(blank=True, help_text="Shown at the top of the topic's page.")

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tag_name_unique_ci",
                violation_error_message="A topic with this name already exists (names ignore case).",
            ),
        ]

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def slugify(self, tag, i=None):
        # A name of only punctuation or emoji has no slug characters; it still needs an address.
        return super().slugify(tag, i) or super().slugify("topic", i)


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique"),
        ]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Part of the article's web address; filled from the title when left empty.",
    )
    summary = models.TextField(
        max_length=300, blank=True, help_text="One or two sentences for lists, search results and feeds."
    )
    body = models.TextField(help_text="Markdown: ## for a section heading, - for a list item.")
    body_html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    hero_image = MetadataFreeImageField(
        upload_to="articles/",
        blank=True,
        help_text="Optional picture at the top. Location and camera data are removed on upload.",
    )
    hero_alt = models.CharField(
        "hero image description",
        max_length=200,
        blank=True,
        help_text="What the picture shows, for readers who use a screen reader.",
    )
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True, help_text="Treatment topics, comma-separated.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the article becomes public. A future date schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who checked the health claims.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, help_text="From the editor to the author; never public.")
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, fallback="article")
        rendered = render_markdown(self.body)
        self.body_html, self.toc, self.reading_minutes = rendered.html, rendered.toc, rendered.reading_minutes
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def was_updated(self):
        """True when the article changed on a later day than it was published."""
        return bool(self.published_at) and self.updated_at.date() > self.published_at.date()

    def related(self, limit=3):
        """Other published articles sharing the most tags with this one."""
        tag_ids = [tag.pk for tag in self.tags.all()]
        return (
            Article.objects.published()
            .filter(tags__in=tag_ids)
            .exclude(pk=self.pk)
            .annotate(shared_tags=Count("tags"))
            .select_related("author")
            .defer("body", "body_html", "toc")
            .order_by("-shared_tags", "-published_at")[:limit]
        )


class Source(models.Model):
    """A citation an article relies on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title
