"""A change to a published article, prepared while readers keep seeing the live text.

A PendingVersion holds the editable content of one published article (title, summary, body,
disclosure, topics, sources). It is edited, submitted and reviewed like a draft; nothing public reads
it. Publishing it copies the content onto the article in one transaction and deletes it: the
article keeps its address, publication date and revisions (a new revision records the change).
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from articles import digest
from articles.citations import Citation
from articles.workflow import Transition, TransitionNotAllowed, is_editor

CONTENT_FIELDS = ("title", "summary", "body", "disclosure")  # copied from and back to the article


class PendingVersionQuerySet(models.QuerySet):
    def for_admin(self, user):
        """The changes `user` sees in the admin: all for editors, those of their own articles for authors."""
        if is_editor(user):
            return self
        return self.filter(article__author__user=user, article__author__user__isnull=False)


class PendingVersion(models.Model):
    """The next version of a published article, waiting to replace the live text."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"

    # The workflow of a change, in one place: the admin's buttons read this table. "publish" ends the
    # change: its content becomes the article's and the row is deleted.
    TRANSITIONS = (
        Transition("submit", "Submit the change for review", (Status.DRAFT,), Status.IN_REVIEW, False),
        Transition("publish", "Publish the change", (Status.DRAFT, Status.IN_REVIEW), "published"),
        Transition("request_changes", "Request changes", (Status.IN_REVIEW,), Status.DRAFT),
    )

    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="pending_version"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(
        max_length=300, blank=True, help_text="One or two sentences for lists, search results and feeds."
    )
    body = models.TextField(help_text="Markdown: ## for a section heading, - for a list item.")
    disclosure = models.TextField(
        blank=True,
        help_text="Sponsorship or conflict of interest, shown to readers above the article when filled.",
    )
    tags = models.ManyToManyField("articles.Tag", blank=True, related_name="+", verbose_name="topics")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_note = models.TextField(
        blank=True, help_text="From the editor to the author (required to request changes); never public."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_digest = models.CharField(
        max_length=64,
        editable=False,
        blank=True,
        default="",
        help_text="Fingerprint of the title, summary, body and sources this change's medical review covered.",
    )
    based_on_digest = models.CharField(
        max_length=64,
        editable=False,
        default="",
        help_text="The live article's fingerprint when the change began.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PendingVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "change to a published article"
        verbose_name_plural = "changes to published articles"

    def __str__(self):
        return f"Change to “{self.article.title}”"

    @classmethod
    def start(cls, article, user):
        """The article's pending change, begun now as a copy of the live content if there is none."""
        with transaction.atomic():
            pending, created = cls.objects.get_or_create(
                article=article,
                defaults={
                    **{field: getattr(article, field) for field in CONTENT_FIELDS},
                    "started_by": user,
                    "based_on_digest": article.content_digest,
                },
            )
            if created:
                pending.tags.set(article.tags.all())
                PendingSource.objects.bulk_create(
                    PendingSource(pending=pending, **source.copied_fields())
                    for source in article.sources.all()
                )
        return pending

    @staticmethod
    def may_start(article, user):
        """True when `user` may prepare a change of `article`: published, and theirs or they edit."""
        own = article.author.user_id is not None and article.author.user_id == user.pk
        return article.status == article.Status.PUBLISHED and (is_editor(user) or own)

    def current_digest(self):
        """The digest of the title, summary and body in memory and of the stored sources (articles.digest)."""
        sources = list(self.sources.values_list("title", "url")) if self.pk else []
        return digest.content_digest(self.title, self.summary, self.body, sources)

    @property
    def review_is_current(self):
        """True when a medical review was recorded on this change and covers its text as it is now."""
        return self.reviewed_at is not None and self.reviewed_digest == self.current_digest()

    def review_will_cover(self):
        """True when, once published, a medical review covers this text: this change's own review, or
        the article's when the reviewed content is unchanged (only topics or the disclosure changed)."""
        article = self.article
        unchanged = article.reviewed_at is not None and article.reviewed_digest == self.current_digest()
        return self.review_is_current or unchanged

    @property
    def live_changed_since_start(self):
        """True when the live article's text changed after this change began (publishing replaces it)."""
        return self.based_on_digest != self.article.content_digest

    def record_review(self, user, when=None):
        """Record `user`'s medical review of this change's content, sources included (not saved)."""
        self.reviewed_by, self.reviewed_at = user, when or timezone.now()
        self.reviewed_digest = self.current_digest()

    def is_editable_by(self, user):
        """Editors change any pending change; authors those of their own articles."""
        author_user = self.article.author.user_id
        return is_editor(user) or (author_user is not None and author_user == user.pk)

    def note_edit_by(self, user):
        """As Article.note_edit_by: an author's edit takes a change in review back to draft (not saved)."""
        if self.status == self.Status.IN_REVIEW and not is_editor(user):
            self.status = self.Status.DRAFT
            return True
        return False

    def allowed_transitions(self, user):
        """The transitions `user` may apply now; publishing needs the article still published."""
        editor = is_editor(user)
        live = self.article.status == self.article.Status.PUBLISHED
        return [
            t
            for t in self.TRANSITIONS
            if self.status in t.sources
            and (editor if t.editors_only else self.is_editable_by(user))
            and (t.name != "publish" or live)
        ]

    def apply_transition(self, name, user):
        """Move the change along its workflow; "publish" makes it the article's text (and deletes
        it), the others are left unsaved."""
        transition = next((t for t in self.allowed_transitions(user) if t.name == name), None)
        if transition is None:
            raise TransitionNotAllowed(f"You may not {name.replace('_', ' ')} this change.")
        if name == "publish":
            self.publish(user)
            return transition
        self.status = transition.target
        if name == "submit":
            self.submitted_at = timezone.now()
        self.applied_transition = (transition, user)  # for whoever reacts to the save (notifications)
        return transition

    def publish(self, user):
        """Replace the live article's content with this change's, keep its address, publication date
        and earlier revisions, record a revision, and delete this change. Returns the article."""
        from articles.models import Article, Source
        from articles.revisions import record_revision  # revisions imports models, which imports this

        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=self.article_id)
            for field in CONTENT_FIELDS:
                setattr(article, field, getattr(self, field))
            article.tags.set(list(self.tags.all()))
            article.sources.all().delete()
            for source in self.sources.all():
                Source.objects.create(article=article, **source.copied_fields())
            if self.review_is_current:
                # The review line then describes exactly the text that goes live.
                article.reviewed_by, article.reviewed_at = self.reviewed_by, self.reviewed_at
                article.reviewed_digest = self.reviewed_digest
            publish = next(t for t in Article.TRANSITIONS if t.name == "publish")
            article.applied_transition = (publish, user)  # announced as a publication (notifications)
            article.version += 1
            article.save()
            record_revision(article, user, "Published a change prepared while it stayed online")
            self.delete()
        return article


class PendingSource(Citation):
    """A citation of a pending change; it replaces the article's sources on publication."""

    pending = models.ForeignKey(PendingVersion, on_delete=models.CASCADE, related_name="sources")
