from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import IsNull
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles import digest
from articles.citations import Citation
from articles.rendering import render_markdown
from articles.workflow import Transition, TransitionNotAllowed, is_editor, staff_name
from authors.converters import slug_url, slug_url_maker
from authors.counts import StoredArticleCount
from authors.images import MetadataFreeImageField, article_picture_path, card_path
from authors.models import Author
from authors.renditions import ResponsivePicture
from authors.slugs import unique_slug

REVIEW_INTERVAL = timedelta(days=365)  # health content is re-checked at least yearly


def _published(at=None):
    # The one definition of what the public may see: published, and its time has come.
    return Q(status=Article.Status.PUBLISHED, published_at__lte=at or timezone.now())


def _review_out_of_date():
    # A recorded medical review that covered other content than the current one. Article's
    # `review_out_of_date` says the same of one loaded article (tests hold the two together).
    # A review that recorded no digest (restored from an older backup) is never taken as current.
    return Q(reviewed_at__isnull=False) & (Q(reviewed_digest="") | ~Q(reviewed_digest=F("content_digest")))


def _public_links(prefix="", at=None):
    # The same rule read from topic links, whose `published_at` is set only while published.
    return Q(**{f"{prefix}published_at__lte": at or timezone.now()})


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """Articles the public may see (at `at`, default now): published, and their time has come."""
        return self.filter(_published(at))

    def scheduled(self):
        """Published articles whose time has not come yet: the rest of the published status."""
        return self.filter(status=Article.Status.PUBLISHED).exclude(_published())

    def for_admin(self, user):
        """The articles `user` sees in the admin: all of them for editors, their own for authors."""
        return self if is_editor(user) else self.filter(author__user=user, author__user__isnull=False)

    def previewable_by(self, user):
        """What `user` may open on the site: published articles, and as staff the ones they work on."""
        if not user.is_staff:
            return self.published()
        return self.filter(_published() | Q(pk__in=Article.objects.for_admin(user).values("pk")))

    def with_editorial_state(self):
        """Annotated with `is_live` (the public sees it), `review_due` (live, and never medically
        reviewed or not for a year) and `review_outdated` (the text changed since its review)."""
        stale = Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=timezone.now() - REVIEW_INTERVAL)
        return self.annotate(
            is_live=ExpressionWrapper(_published(), output_field=BooleanField()),
            review_due=ExpressionWrapper(_published() & stale, output_field=BooleanField()),
            review_outdated=ExpressionWrapper(_review_out_of_date(), output_field=BooleanField()),
        )

    def refresh_content_digests(self):
        """Store each article's content digest again, and its revision time when that changed what
        readers read (its sources changed without the article being saved)."""
        for article in self.only("pk", "title", "summary", "body", *Article.PUBLIC_CONTENT):
            article.content_digest = article.current_content_digest()
            changes = {"content_digest": article.content_digest}
            if article.note_revision():
                changes["revised_at"] = article.revised_at
            Article.objects.filter(pk=article.pk).update(**changes)

    def with_tags(self, tags):
        """Articles carrying every one of `tags` (Tag objects or slugs)."""
        articles = self
        for tag in tags:
            articles = articles.filter(tags__slug=getattr(tag, "slug", tag))
        return articles

    def cards(self):
        """The articles as list pages show them (Cards with their topics), in this QuerySet's order:
        one query, plus one for their topics. Rows, not instances: a page shows twenty."""
        return cards_of(self.values_list("pk", *CARD_FIELDS))


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def public_cards_by(self, author_id):
        """Author `author_id`'s public articles, newest first, as Cards read a page at a time (sliced
        as a QuerySet is), with statements built once per process."""
        from articles.listings import cards_by  # articles.listings builds on this module

        return cards_by(author_id)


# What a card (and a feed item) shows of an article, in the order Card takes them.
CARD_FIELDS = (
    *("title", "slug", "summary", "published_at", "revised_at", "reading_minutes"),
    *("author__pseudonym", "author__slug"),
    *("hero_image", "hero_width", "hero_height", "hero_alt"),
)


# A card's topic, read with it: one row per article and topic (None for an article without any).
CARD_TOPIC_FIELDS = ("tagged_items__tag", "tagged_items__tag__name", "tagged_items__tag__slug")


def cards_with_topics(rows, convert=list):
    """Cards of rows of ("pk", *CARD_FIELDS, *CARD_TOPIC_FIELDS), one row per article and topic,
    each article's topics by name (the cards come in the order of their first rows): a list and
    its topics in one statement. `convert` converts rows as the ORM would: only each article's first row is used."""
    url = slug_url_maker("articles:tag")
    firsts, topics = {}, {}
    for row in rows:
        if row[0] not in firsts:
            firsts[row[0]], topics[row[0]] = row, []
        topic, name, slug = row[-3:]
        if topic is not None:
            topics[row[0]].append(TopicLink(topic, name, slug, url(slug)))
    return cards_of((row[:-3] for row in convert(list(firsts.values()))), topics)


def cards_of(rows, topics=None):
    """Cards of rows of ("pk", *CARD_FIELDS), with their topics: `topics` ({pk: TopicLinks}), or
    read with one query."""
    rows = list(rows)
    if topics is None:
        topics = topic_links([row[0] for row in rows])
    article_url, author_url = slug_url_maker("articles:detail"), slug_url_maker("authors:profile")
    return [
        Card(
            *(pk, title, article_url(slug), summary, published_at),
            public_update_time(published_at, revised_at),
            *(minutes, AuthorLink(name, author_url(by)), topics[pk]),
            ResponsivePicture(hero, width, height, alt) if hero else None,
        )
        for (
            pk,
            title,
            slug,
            summary,
            published_at,
            revised_at,
            minutes,
            name,
            by,
            hero,
            width,
            height,
            alt,
        ) in rows
    ]


def public_update_time(published_at, revised_at):
    """When readers last saw an article change: its last revision, or its publication if later
    (feeds, sitemap and structured data date it by this, never by an editorial save)."""
    return max(revised_at, published_at) if published_at else revised_at


class AuthorLink(NamedTuple):
    """An article's author as a card links it: the pseudonym and the profile's address."""

    pseudonym: str
    url: str

    def __str__(self):
        return self.pseudonym

    def get_absolute_url(self):
        return self.url


class Card(NamedTuple):
    """A published article as list pages show it ({% article_card %}: articles/templatetags/cards.py)."""

    pk: int
    title: str
    url: str
    summary: str
    published_at: object  # datetime
    public_updated_at: object  # datetime (public_update_time)
    reading_minutes: int
    author: AuthorLink
    topics: list  # of TopicLink
    hero: ResponsivePicture | None = None  # its renditions are what the card shows

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url


class TopicLink(NamedTuple):
    """A topic as cards and articles show it: a plain row with its address, several times cheaper
    to make and to render than a Tag (a list page shows about eighty)."""

    pk: int
    name: str
    slug: str
    url: str
    article_count: int | None = None  # where a page shows how many articles carry it

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.url


def counted_topic_links(rows):
    """TopicLinks of (pk, name, slug, article count) rows."""
    url = slug_url_maker("articles:tag")
    return [TopicLink(pk, name, slug, url(slug), count) for pk, name, slug, count in rows]


def topic_links(article_ids):
    """{article id: its topics as TopicLinks, by name} for `article_ids`, from one query over their links."""
    topics = {pk: [] for pk in article_ids}
    if not topics:
        return topics
    url = slug_url_maker("articles:tag")
    # Written out: every list and article page runs it; built by the ORM it costs several times
    # what the database spends on it (no conversion needed: ids and text).
    links, tags = TaggedArticle._meta.db_table, Tag._meta.db_table
    marks = ", ".join(["%s"] * len(topics))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.content_object_id, t.id, t.name, t.slug FROM {links} AS l JOIN {tags} AS t "
            f"ON t.id = l.tag_id WHERE l.content_object_id IN ({marks}) ORDER BY t.name",
            list(topics),
        )
        for article_id, pk, name, slug in cursor.fetchall():
            topics[article_id].append(TopicLink(pk, name, slug, url(slug)))
    return topics


def topics_among(article_ids, leave_out=(), carried_by_fewer=False, limit=None):
    """TopicLinks of the topics `article_ids` carry, each with how many of them carry it
    (`article_count`), most carried first, then by name: those not in `leave_out` (topic ids), only
    those fewer than all of them carry if `carried_by_fewer`, the first `limit`. `article_ids`: a
    list, or the ids a statement selects (its `sql`, `params` and `columns`, the first the ids, as
    `listings.ArticleIds`), then read within the same query unless they were read already. One
    query."""
    leave_out = list(leave_out)
    if getattr(article_ids, "is_read", False):  # ArticleIds already read: their ids
        article_ids = article_ids.ids
    if hasattr(article_ids, "sql"):
        # Selected once (MATERIALIZED: SQLite would otherwise select them for each use).
        columns = ", ".join(article_ids.columns)
        params, head = list(article_ids.params), f"WITH ids({columns}) AS MATERIALIZED ({article_ids.sql}) "
        among, how_many, counted = "SELECT id FROM ids", "(SELECT COUNT(*) FROM ids)", []
    else:
        article_ids = list(article_ids)
        if not article_ids:
            return []
        head, how_many, counted = "", "%s", [len(article_ids)]
        if connection.vendor == "postgresql":
            # One array: each of hundreds of parameters would cost psycopg a pass over the statement
            # to number them, and each number of ids would make a statement of its own to prepare.
            params, among = [article_ids], "SELECT unnest(%s::bigint[])"
        else:
            params, among = article_ids, ", ".join(["%s"] * len(article_ids))
    # Written out, as topic_links: built by the ORM, each id of the hundreds given costs it a
    # lookup's work, several times what the database spends on them. The links are counted first,
    # then only the topics counted are read (joined before counting, PostgreSQL reads all topics).
    links, tags = TaggedArticle._meta.db_table, Tag._meta.db_table
    counts = f"SELECT tag_id, COUNT(*) AS n FROM {links} WHERE content_object_id IN ({among})"
    if leave_out:
        counts += f" AND tag_id NOT IN ({', '.join(['%s'] * len(leave_out))})"
        params = params + leave_out
    counts += " GROUP BY tag_id"
    if carried_by_fewer:
        counts += f" HAVING COUNT(*) < {how_many}"
        params = params + counted
    sql = (
        f"{head}SELECT t.id, t.name, t.slug, c.n FROM ({counts}) AS c JOIN {tags} AS t ON t.id = c.tag_id "
        "ORDER BY c.n DESC, t.name"
    )
    if limit is not None:
        sql += " LIMIT %s"
        params = [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return counted_topic_links(cursor.fetchall())


def with_topics(articles):
    """The loaded `articles`, each with its `topics` filled in (`topic_links`, one query for all)."""
    articles = list(articles)
    topics = topic_links([article.pk for article in articles])
    for article in articles:
        article.__dict__["topics"] = topics[article.pk]  # the cached property, filled in
    return articles


class TagQuerySet(models.QuerySet):
    def get_by_natural_key(self, name):
        """Topics are found by name in fixtures and backups (taggit's natural key)."""
        return self.get(name=name)

    def public(self):
        """Topics the public may see: those carrying at least one published article."""
        return self.filter(Exists(TaggedArticle.objects.public().filter(tag=OuterRef("pk"))))

    def in_use(self):
        """Tags carried by at least one published article, annotated with `article_count` (their
        published articles), most used first. Among given articles: `topics_among()`."""
        return (
            self.filter(_public_links("tagged_articles__"))
            .annotate(article_count=Count("tagged_articles"))
            .order_by("-article_count", "name")
        )

    def delete(self):
        """Delete these topics, with their article links in one statement however many there are
        (articles.topics); the articles stay. Used by the admin's bulk delete too."""
        from articles.topics import delete_links  # articles.topics builds on this module

        with transaction.atomic(using=self.db, savepoint=False):  # as QuerySet.delete()
            links = delete_links(self)
            deleted, per_model = super().delete()
        return deleted + links, {**per_model, TaggedArticle._meta.label: links}


class Tag(StoredArticleCount, TagBase):
    """A treatment topic (botox, exercise, sleep, ...)."""

    description = models.TextField(blank=True, help_text="Shown at the top of the topic's page.")
    # Its published articles, scheduled ones included: kept by articles.topic_counts, never by save().
    published_article_count = models.PositiveIntegerField(default=0, editable=False)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        indexes = [models.Index(fields=["-published_article_count", "name"], name="tag_most_used")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tag_name_unique_ci",
                violation_error_message="A topic with this name already exists (names ignore case).",
            ),
        ]

    def get_absolute_url(self):
        return slug_url("articles:tag", self.slug)

    def slugify(self, tag, i=None):
        # A name of only punctuation or emoji has no slug characters; it still needs an address.
        return super().slugify(tag, i) or super().slugify("topic", i)

    def delete(self, using=None, keep_parents=False):
        """Delete the topic, with its article links in one statement however many there are
        (articles.topics); the articles stay."""
        from articles.topics import delete_links  # articles.topics builds on this module

        with transaction.atomic(using=using, savepoint=False):  # as Model.delete()
            links = delete_links([self])
            deleted, per_model = super().delete(using, keep_parents)
        return deleted + links, {**per_model, TaggedArticle._meta.label: links}

    def merge_into(self, target):
        """Move this topic's articles to `target` (no duplicates), redirect its address there, delete it,
        in a fixed number of statements however many articles it has (articles.topics)."""
        from articles.topics import merge

        merge(self, target)


class TagRedirect(models.Model):
    """An old topic address (after a rename or a merge) that now leads to another topic."""

    old_slug = models.CharField(max_length=100, unique=True)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.tag.slug}"


class TaggedArticleQuerySet(models.QuerySet):
    def public(self, at=None):
        """Topic links of the articles the public may see (at `at`, default now):
        `Article.objects.published()` read from the links' own copy of the publication time (kept
        in step by articles.signals)."""
        return self.filter(_public_links(at=at))

    def article_ids(self, tags, at=None, within_newest=None):
        """Ids of the articles public at `at` (default now) carrying every one of `tags` (topic
        ids, the rarest first: its links drive the query; each other topic costs one index probe
        per link), newest first; `within_newest`: only among the rarest topic's newest that many,
        each id with whether those are all its links (then the matches found are all the matches).
        articles.listings runs it for Tag objects, built once per process."""
        rarest = links = self.public(at).filter(tag=tags[0])
        for tag in tags[1:]:
            others = TaggedArticle.objects.filter(content_object=OuterRef("content_object"), tag=tag)
            links = links.filter(Exists(others))
        links = links.order_by("-published_at", "-content_object")
        if not within_newest:
            return links.values_list("content_object", flat=True)
        rarest = rarest.order_by("-published_at").values("published_at")
        oldest = Subquery(rarest[within_newest - 1 : within_newest])  # None: fewer links than that
        return links.filter(
            published_at__gte=Coalesce(oldest, Value(datetime.min.replace(tzinfo=UTC)))
        ).values_list("content_object", IsNull(oldest, True))


@reversion.register()
class TaggedArticle(TaggedItemBase):
    # No index of their own: an article's links are read from the unique constraint's index, which
    # starts with the article, a topic's from `tagged_article_public`, which starts with the topic
    # (a merge moves tens of thousands of links: every index costs it a write per link).
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items", db_index=False
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles", db_index=False)
    # A copy of the article's publication time while it is published (None otherwise), so that a
    # topic's newest public articles and their number are read from one index, whatever its size.
    published_at = models.DateTimeField(null=True, editable=False)

    objects = TaggedArticleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique"),
        ]
        indexes = [
            models.Index(fields=["tag", "published_at", "content_object"], name="tagged_article_public")
        ]


@reversion.register(follow=("sources", "tagged_items"))
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    # The editorial workflow, in one place: the admin's buttons and bulk actions read this table.
    TRANSITIONS = (
        Transition("submit", "Submit for review", (Status.DRAFT,), Status.IN_REVIEW, editors_only=False),
        Transition("publish", "Publish", (Status.DRAFT, Status.IN_REVIEW), Status.PUBLISHED),
        Transition("schedule", "Schedule", (Status.DRAFT, Status.IN_REVIEW), Status.PUBLISHED),
        Transition("request_changes", "Request changes", (Status.IN_REVIEW,), Status.DRAFT),
        Transition("unpublish", "Unpublish", (Status.PUBLISHED,), Status.DRAFT),
    )

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
        upload_to=article_picture_path,
        blank=True,
        db_index=True,  # the media view finds an article by its picture's file name (articles.media)
        width_field="hero_width",
        height_field="hero_height",
        help_text="Optional picture at the top. Location and camera data are removed on upload.",
    )
    hero_alt = models.CharField(
        "hero image description",
        max_length=200,
        blank=True,
        help_text="What the picture shows, for readers who use a screen reader (required with a picture).",
    )
    # Stored by the picture field as it saves a new picture (declared after it: saved after it).
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    share_image = MetadataFreeImageField(
        upload_to=card_path,
        blank=True,
        editable=False,
        db_index=True,  # the media view finds an article by its share image's file name
        help_text="1,200 x 630 picture for links shared on social sites (articles/share_cards.py).",
    )
    share_image_key = models.CharField(
        max_length=64, blank=True, default="", editable=False, help_text="What the share image was made from."
    )
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="articles")
    tags = TaggableManager(through=TaggedArticle, blank=True, help_text="Treatment topics, comma-separated.")
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the article becomes public. A future date schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revised_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="When what readers read last changed (see PUBLIC_CONTENT); editorial saves leave it.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who checked the health claims.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    content_digest = models.CharField(
        max_length=64,
        editable=False,
        default="",
        help_text="Fingerprint of the title, summary, body and sources as they are now.",
    )
    reviewed_digest = models.CharField(
        max_length=64,
        editable=False,
        blank=True,
        default="",
        help_text="Fingerprint of the title, summary, body and sources the medical review covered.",
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the article was last submitted for review."
    )
    review_note = models.TextField(
        blank=True, help_text="From the editor to the author (required to request changes); never public."
    )
    disclosure = models.TextField(
        blank=True,
        help_text="Sponsorship or conflict of interest, shown to readers above the article when filled.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one on every save, so that no edit is lost."
    )

    objects = ArticleManager()

    # What readers read as the article, so what dates it as revised: the digest (title, summary, body,
    # sources) and the disclosure. The picture and topics illustrate and file it, the review note,
    # medical review and status are editorial, and corrections carry their own date.
    PUBLIC_CONTENT = ("content_digest", "disclosure")

    class Meta:
        ordering = ["-published_at", "-pk"]
        # Both end with the id, as the ordering does: PostgreSQL then pages through published
        # articles newest first from the index alone, without sorting or reading rows (page 500 of
        # the list read 10,000 rows and sorted them: 28 ms). SQLite's indexes end with it anyway.
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="article_published"),
            # An author's published articles, counted and listed from the index alone.
            models.Index(fields=["author", "status", "published_at", "id"], name="article_author_published"),
            # Every article in the ordering, whatever its status (the admin's list): PostgreSQL puts
            # the undated drafts first and, with the date alone indexed, sorted all of them by id.
            models.Index(fields=["published_at", "id"], name="article_published_at_id"),
        ]
        constraints = [
            # What the workflow guarantees (apply_transition, the admin form), held by the database too.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message="A published article needs a date. To take it down, use Unpublish.",
            ),
        ]
        permissions = [("publish_article", "Can publish, schedule, unpublish and request changes")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title, fallback="article")
        rendered = render_markdown(self.body)
        self.body_html, self.toc, self.reading_minutes = rendered.html, rendered.toc, rendered.reading_minutes
        self.content_digest = self.current_content_digest()  # one small query: the stored sources
        self.note_revision()
        with transaction.atomic():
            # The stored row as it was, locked until this save commits: the counts' handlers
            # (articles.author_counts, articles.topic_counts) then see every earlier save of it whole.
            self.saved_row = None
            if not self._state.adding and self.pk is not None:
                saved = Article._base_manager.select_for_update().filter(pk=self.pk)
                self.saved_row = saved.values_list("author_id", "status", "published_at").first()
            super().save(*args, **kwargs)
        self._remember_public_content()

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # What readers read as stored, so that saving only editorial fields costs no extra query.
        article._stored_public_content = {
            f: getattr(article, f) for f in cls.PUBLIC_CONTENT if f in field_names
        }
        return article

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using, fields, from_queryset)
        self._remember_public_content(fields)

    @property
    def is_public(self):
        """True when the public may see this article (asks `published()`, so costs one query)."""
        return Article.objects.published().filter(pk=self.pk).exists()

    @property
    def hero(self):
        """The hero picture with its size and description (a ResponsivePicture), or None."""
        if not self.hero_image:
            return None
        return ResponsivePicture(self.hero_image.name, self.hero_width, self.hero_height, self.hero_alt)

    @property
    def share_image_alt(self):
        """What the share image shows: the hero's description, or the drawn card's words."""
        return self.hero_alt if self.hero_image else f"{self.title}, by {self.author.pseudonym}"

    @cached_property
    def topics(self):
        """The article's topics as TopicLinks, by name, loaded once per instance (lists load them
        for all their articles at once: `with_topics()`)."""
        return topic_links([self.pk])[self.pk]

    @property
    def approved_replies(self):
        """Replies readers may see, oldest first (not read when `public_article` found none)."""
        return self.replies.approved() if getattr(self, "has_replies", True) else []

    @property
    def shown_corrections(self):
        """The corrections, oldest first (not read when `public_article` found none)."""
        return self.corrections.all() if getattr(self, "has_corrections", True) else []

    @property
    def shown_sources(self):
        """The sources, in order (not read when `public_article` found none)."""
        return self.sources.all() if getattr(self, "has_sources", True) else []

    @property
    def public_since(self):
        """The publication time while published (the public sees it once that time has come)."""
        return self.published_at if self.status == self.Status.PUBLISHED else None

    @property
    def is_scheduled(self):
        """True when published but waiting for its time (asks `scheduled()`, so costs one query)."""
        return Article.objects.scheduled().filter(pk=self.pk).exists()

    @property
    def reviewer_name(self):
        """The medical reviewer as readers see them (articles.workflow.staff_name), never by login."""
        return staff_name(self.reviewed_by, unknown="an editor")

    def current_content_digest(self):
        """The digest of the title, summary and body in memory and of the sources stored now."""
        sources = list(self.sources.values_list("title", "url")) if self.pk else []
        return digest.content_digest(self.title, self.summary, self.body, sources)

    def _remember_public_content(self, fields=None):
        # As from_db, for the fields just read again or written.
        stored = getattr(self, "_stored_public_content", {})
        deferred = self.get_deferred_fields()
        for name in self.PUBLIC_CONTENT:
            if (fields is None or name in fields) and name not in deferred:
                stored[name] = getattr(self, name)
        self._stored_public_content = stored

    def note_revision(self):
        """Date the article revised now (not saved) when it is new or what readers read
        (PUBLIC_CONTENT) differs from what is stored; True when it did."""
        stored = getattr(self, "_stored_public_content", {})
        missing = [name for name in self.PUBLIC_CONTENT if name not in stored]
        if missing and not self._state.adding:
            row = Article.objects.filter(pk=self.pk).values_list(*missing).first()
            stored = {**stored, **dict(zip(missing, row or (), strict=False))}
        current = {name: getattr(self, name) for name in self.PUBLIC_CONTENT}
        if not self._state.adding and current == stored:
            return False
        self.revised_at = timezone.now()
        return True

    def record_review(self, user, when=None):
        """Record `user`'s medical review of the content as it stands, sources included (not saved)."""
        self.reviewed_by, self.reviewed_at = user, when or timezone.now()
        self.content_digest = self.reviewed_digest = self.current_content_digest()

    @property
    def review_out_of_date(self):
        """True when a medical review was recorded and the title, summary, body or sources changed since
        (or it recorded no digest of what it covered)."""
        covered = self.reviewed_digest and self.reviewed_digest == self.content_digest
        return self.reviewed_at is not None and not covered

    @property
    def review_is_current(self):
        """True when a medical review covers the text as it is now."""
        return self.reviewed_at is not None and not self.review_out_of_date

    def note_edit_by(self, user):
        """Apply the rule for edits (not saved): an author's edit takes an article in review back to
        draft, so that no editor reviews a text that changed under them. True when it did."""
        if self.status == self.Status.IN_REVIEW and not is_editor(user):
            self.status = self.Status.DRAFT
            return True
        return False

    def is_editable_by(self, user):
        """Editors change any article; authors change their own until it is published."""
        if is_editor(user):
            return True
        is_own = self.author.user_id is not None and self.author.user_id == user.pk
        return is_own and self.status != self.Status.PUBLISHED

    def allowed_transitions(self, user):
        """The transitions `user` may apply to this article now."""
        editor = is_editor(user)
        return [
            t
            for t in self.TRANSITIONS
            if self.status in t.sources and (editor if t.editors_only else self.is_editable_by(user))
        ]

    def apply_transition(self, name, user, when=None):
        """Move the article along the workflow (not saved). `when` is the date for "schedule"."""
        transition = next((t for t in self.allowed_transitions(user) if t.name == name), None)
        if transition is None:
            raise TransitionNotAllowed(f"You may not {name.replace('_', ' ')} this article.")
        self.status = transition.target
        if name == "submit":
            self.submitted_at = timezone.now()
        elif name == "publish":
            self.published_at = timezone.now()
        elif name == "schedule":
            self.published_at = when
        elif name == "unpublish":
            self.published_at = None
        self.applied_transition = (transition, user)  # for whoever reacts to the save (notifications)
        return transition

    @property
    def public_updated_at(self):
        return public_update_time(self.published_at, self.revised_at)

    @property
    def was_updated(self):
        """True when what readers read changed on a later day than it was published."""
        return bool(self.published_at) and self.revised_at.date() > self.published_at.date()

    def related(self, limit=3, candidates=20):
        """Other published articles sharing the most topics with this one (then the newest), among
        the latest `candidates` of each of its topics (a popular topic has tens of thousands), each
        with its title, address and author's pseudonym and address (other fields load if asked for).
        Twenty of each topic: recent reading first, and each candidate's shared topics are counted
        by probing its links, so the page's cost grows with that number."""
        tag_ids = [tag.pk for tag in self.topics]
        if not tag_ids:
            return []
        with connection.cursor() as cursor:
            cursor.execute(*_related_query(self.pk, tag_ids, limit, candidates))
            rows = cursor.fetchall()
        db, related = Article.objects.db, []
        for pk, title, slug, author_id, pseudonym, author_slug in rows:
            article = Article.from_db(db, ("id", "title", "slug", "author_id"), (pk, title, slug, author_id))
            article.author = Author.from_db(
                db, ("id", "pseudonym", "slug"), (author_id, pseudonym, author_slug)
            )
            related.append(article)
        return related


def _related_query(article_id, tag_ids, limit, candidates):
    # In SQL written out: the candidates come from the topic links' index (the newest of each
    # topic), then each one's shared topics are counted by probing its own links, so the work is
    # the same whatever the topics' sizes (built by the ORM the same query costs several times more,
    # and left to itself a planner may read every link of the topics instead).
    links, articles, authors = (model._meta.db_table for model in (TaggedArticle, Article, Author))
    now = timezone.now()
    latest = " UNION ".join(
        f"SELECT * FROM (SELECT content_object_id, published_at FROM {links} WHERE tag_id = %s "
        f"AND published_at <= %s ORDER BY published_at DESC LIMIT %s) AS latest_{n}"
        for n in range(len(tag_ids))
    )
    marks = ", ".join(["%s"] * len(tag_ids))
    ranked = (
        f"SELECT c.content_object_id, c.published_at, (SELECT COUNT(*) FROM {links} AS l "
        f"WHERE l.content_object_id = c.content_object_id AND l.tag_id IN ({marks})) AS shared "
        f"FROM ({latest}) AS c WHERE c.content_object_id <> %s "
        "ORDER BY shared DESC, c.published_at DESC, c.content_object_id DESC LIMIT %s"
    )
    # Only what a link shows (no conversion needed: ids and text).
    sql = (
        "SELECT a.id, a.title, a.slug, a.author_id, w.pseudonym, w.slug "
        f"FROM ({ranked}) AS r JOIN {articles} AS a ON a.id = r.content_object_id "
        f"JOIN {authors} AS w ON w.id = a.author_id ORDER BY r.shared DESC, r.published_at DESC, a.id DESC"
    )
    params = [*tag_ids, *(p for tag_id in tag_ids for p in (tag_id, now, candidates)), article_id, limit]
    return sql, params


@reversion.register()
class Source(Citation):
    """A citation an article relies on."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")


class Correction(models.Model):
    """A dated note on a published article saying what was corrected."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    corrected_on = models.DateField(default=timezone.localdate)
    text = models.TextField(help_text="What was wrong and what it says now. Shown above the article.")

    class Meta:
        ordering = ["corrected_on", "pk"]

    def __str__(self):
        return f"Corrected on {self.corrected_on}"


class ReviewQueue(Article):
    """The articles waiting for an editor, oldest submission first (a view of Article in the admin)."""

    class Meta:
        proxy = True
        verbose_name = "article waiting for review"
        verbose_name_plural = "review queue"


class SearchEntry(models.Model):
    """An article's searchable text. The table is made per database engine by a migration: an FTS5
    table on SQLite, a table with a GIN index over its weighted search vector on PostgreSQL."""

    article = models.OneToOneField(
        Article, on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid", related_name="+"
    )
    title = models.TextField()
    summary = models.TextField()
    body = models.TextField()
    tags = models.TextField()
    # PostgreSQL: the weighted search vector, stored so that ranking need not recompute it.
    # SQLite: an unindexed, always empty column of the FTS5 table.
    document = SearchVectorField(null=True)

    class Meta:
        managed = False
        db_table = "articles_search"
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class SearchBacklog(models.Model):
    """An article whose search entry waits to be refreshed after one of its topics was deleted (a
    renamed or merged topic waits whole: SearchBacklogTopic)."""

    # No database constraint: an article deleted while waiting is simply skipped when its turn comes.
    article = models.OneToOneField(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "search backlog"

    def __str__(self):
        return f"article {self.article_id}"

    @classmethod
    def add_articles_of(cls, tag):
        """Note every article carrying `tag`, in one statement whatever their number."""
        links = TaggedArticle._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {cls._meta.db_table} (article_id) SELECT content_object_id FROM {links} "
                "WHERE tag_id = %s ON CONFLICT (article_id) DO NOTHING",
                [tag.pk],
            )


class SearchBacklogTopic(models.Model):
    """A topic whose articles' search entries wait to be refreshed after it was renamed or another
    topic was merged into it; `reindex_search` goes through its articles a batch at a time."""

    # No database constraint: a topic deleted while waiting has no article left to go through (its
    # deletion queued them one by one in SearchBacklog).
    tag = models.OneToOneField(
        Tag, on_delete=models.DO_NOTHING, db_constraint=False, primary_key=True, related_name="+"
    )
    # Its articles are gone through in id order: those up to this id are re-indexed already.
    done_up_to = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name_plural = "search backlog topics"

    def __str__(self):
        return f"topic {self.tag_id}"

    @classmethod
    def add(cls, tag):
        """Queue `tag`'s articles, from its first one again if it waits already, in one statement."""
        cls.objects.bulk_create(
            [cls(tag=tag)], update_conflicts=True, unique_fields=["tag"], update_fields=["done_up_to"]
        )


# Changes to published articles live in their own module (a model module Django must load with this one).
from articles.pending import PendingSource, PendingVersion  # noqa: E402, F401
