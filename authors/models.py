from functools import partial

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower

from authors.converters import slug_url
from authors.counts import StoredArticleCount
from authors.files import delete_author_pictures
from authors.images import MetadataFreeImageField, avatar_path, new_folder_name
from authors.slugs import unique_slug
from authors.statements import STAND_IN_TEXT, STAND_IN_TIME, Paged, now, prepared, stand_in_ids

MANAGE_PERMISSION = "authors.manage_authors"  # the Meta permission below


class AuthorQuerySet(models.QuerySet):
    def with_published_counts(self, at=None):
        """Authors annotated with `article_count`, the number of their articles the public may see
        (at `at`, default now), counted per author from the (author, status, published_at) index alone."""
        counted = self._published_articles(at).order_by().values("author").annotate(n=Count("*")).values("n")
        return self.annotate(article_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))

    def public(self, at=None):
        """Authors with at least one published article (at `at`, default now): a pseudonym is public
        from its first article. One index probe each, not a count. A to Z ignoring case, in the order
        of the unique index on the lower-cased pseudonym: a page of them is read from it, without
        sorting every author."""
        return self.filter(Exists(self._published_articles(at))).order_by(Lower("pseudonym"))

    def _published_articles(self, at=None):
        # Article is reached through the relation so that authors/ never imports articles/.
        return self.model.articles.field.model.objects.published(at=at).filter(author=OuterRef("pk"))

    def previewable_by(self, user):
        """Authors `user` may see: public ones, and as staff the profiles they may edit."""
        if user.is_staff and user.has_perm(MANAGE_PERMISSION):  # has_perm is False when inactive
            return self
        visible = Q(Exists(self._published_articles()))
        if user.is_staff:
            visible |= Q(user=user)
        return self.filter(visible)


class Author(StoredArticleCount, models.Model):
    pseudonym = models.CharField(
        max_length=80,
        help_text="The only name readers see. Never the author's real name.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Part of the profile's web address; filled from the pseudonym when left empty.",
    )
    bio = models.TextField(blank=True, help_text="A few sentences shown on the public profile.")
    avatar = MetadataFreeImageField(
        upload_to=avatar_path,
        blank=True,
        db_index=True,  # the media view finds a picture's author by its file name
        help_text="Optional picture. Location and camera data are removed on upload.",
    )
    # Their articles in the published status, scheduled ones included: kept by
    # articles.author_counts, never by save(). A default in the database too: servers still running
    # the code of before it (during a deploy) create authors without it.
    published_article_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
        help_text="The private login that may edit this profile. Never shown publicly.",
    )
    picture_folder = models.CharField(
        max_length=32,
        default=new_folder_name,
        db_default="",  # rows written without it (by an older migration's code) share no folder
        editable=False,
        help_text="The random folder holding this author's pictures, all deleted on takedown.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["pseudonym"]
        permissions = [("manage_authors", "Can edit every author profile and take authors down")]
        constraints = [
            models.UniqueConstraint(
                Lower("pseudonym"),
                name="author_pseudonym_unique_ci",
                violation_error_message="An author with this pseudonym already exists.",
            ),
        ]

    def __str__(self):
        return self.pseudonym

    def save(self, *args, **kwargs):
        # The address follows the pseudonym: an old one could carry a name the author left behind.
        if not self.slug or self.pseudonym != self._saved_pseudonym():
            self.slug = unique_slug(self, self.pseudonym, fallback="author")
        super().save(*args, **kwargs)

    save.alters_data = True  # as Model.save: a template never calls it

    def get_absolute_url(self):
        return slug_url("authors:profile", self.slug)

    def anonymise(self):
        """Replace the pseudonym by a neutral name at a new address; drop bio and login link, and
        (once committed) every picture this author ever uploaded."""
        old_folder = self.picture_folder
        self.pseudonym = f"Former author {self.pk}"
        self.bio = ""
        self.avatar = ""
        self.picture_folder = new_folder_name()  # nothing new joins the old pictures' folder
        self.user = None
        self.save()
        transaction.on_commit(partial(delete_author_pictures, old_folder), robust=True)

    def _saved_pseudonym(self):
        if self.pk is None:
            return self.pseudonym
        return Author.objects.filter(pk=self.pk).values_list("pseudonym", flat=True).first()


def count_public_articles(authors):
    """Set each of `authors`' `article_count`, the number of their articles the public may see: their
    stored count (articles.author_counts; loaded with them) less their scheduled articles, a few,
    read in one statement with one probe per author of the (author, status, published_at) index."""
    if not authors:
        return
    ids = dict(zip(stand_in_ids(len(authors)), (author.pk for author in authors), strict=True))
    waiting = dict(_scheduled_per_author(len(authors)).rows({**now(), **ids}))
    for author in authors:
        author.article_count = author.published_article_count - waiting.get(author.pk, 0)


@prepared
def _scheduled_per_author(count):
    Article = Author.articles.field.model  # reached through the relation: authors/ never imports articles/
    waiting = Article.objects.filter(
        author__in=stand_in_ids(count),
        status=Article.Status.PUBLISHED,
        published_at__gt=STAND_IN_TIME,
    )
    return waiting.order_by().values_list("author").annotate(n=Count("*"))


def public_authors_a_to_z():
    """Every author the public sees, A to Z, as instances with what the author index shows, for a
    paginator: each page read with a statement built once per process."""
    return Paged(_authors_a_to_z(), now())


@prepared
def _authors_a_to_z():
    authors = Author.objects.public(at=STAND_IN_TIME)
    return authors.only("pseudonym", "slug", "avatar", "published_article_count")


def public_profile(slug):
    """The author at `slug` with `article_count`, the number of their articles the public may see,
    or None when they have none yet (a pseudonym is public from its first article)."""
    found = _public_profile().instances({**now(), STAND_IN_TEXT: slug})
    return found[0] if found else None


@prepared
def _public_profile():
    authors = Author.objects.with_published_counts(at=STAND_IN_TIME)
    return authors.filter(slug=STAND_IN_TEXT, article_count__gt=0)[:1]
