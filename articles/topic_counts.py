"""Each topic's stored `published_article_count`, kept in step with its topic links at every change.

The stored count is the number of the topic's links whose `published_at` is set: articles in the
published status, including the few scheduled ones whose time has not come. A scheduled article
becomes public at its time without any save, so readers subtract the scheduled links
(`public_counts`): a small set, read from the links' index, exact at any moment. Every change is an
atomic `F()` update; `repair_topic_counts` recounts and fixes any drift (raw SQL, bulk loads).
"""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import post_delete, post_save, pre_save

from articles.models import Article, Tag, TaggedArticle


def change(tag_ids, delta):
    """Add `delta` to the stored count of each topic in `tag_ids`."""
    if tag_ids and delta:
        # Never below 0: a count that drifted low must not make an unpublish fail on the column's
        # check; repair_topic_counts sets it right.
        count = Greatest(F("published_article_count") + delta, 0)
        Tag.objects.filter(pk__in=list(tag_ids)).update(published_article_count=count)


def count_links_moving_to(target, links):
    """Add to `target`'s stored count the published ones of `links` (one topic's links, about to be
    moved onto it), counted within the update statement whatever their number."""
    published = links.filter(published_at__isnull=False).order_by().values("tag").annotate(n=Count("pk"))
    moving = Coalesce(Subquery(published.values("n"), output_field=IntegerField()), 0)
    Tag.objects.filter(pk=target.pk).update(published_article_count=F("published_article_count") + moving)


def recounts():
    """Every topic's pk, stored count and true count (its links in the published status)."""
    counted = Count("tagged_articles", filter=Q(tagged_articles__published_at__isnull=False))
    return Tag.objects.annotate(actual=counted).values_list("pk", "name", "published_article_count", "actual")


def recount(tag_pk=None):
    """Store the true count of topic `tag_pk` (every topic when None: after a bulk load or a
    restore), counted within the update statement."""
    counted = (
        TaggedArticle.objects.filter(tag=OuterRef("pk"), published_at__isnull=False)
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = Coalesce(Subquery(counted, output_field=IntegerField()), 0)
    tags = Tag.objects.all() if tag_pk is None else Tag.objects.filter(pk=tag_pk)
    tags.update(published_article_count=total)


def with_public_counts(tags, at):
    """`tags` annotated with `public_count`: the stored count less the topic's links scheduled after
    `at` (a few, read from the links' index)."""
    scheduled = (
        TaggedArticle.objects.filter(tag=OuterRef("pk"), published_at__gt=at)
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return tags.annotate(
        public_count=F("published_article_count")
        - Coalesce(Subquery(scheduled, output_field=IntegerField()), 0)
    )


def note_links_about_to_flip(sender, instance, raw=False, **kwargs):
    # Links follow the article's publication time on save (articles.signals): those entering or
    # leaving the published status change their topic's count. Read them before the save.
    if raw or instance._state.adding or instance.pk is None:
        return
    counted_after = instance.public_since is not None
    links = TaggedArticle.objects.filter(content_object_id=instance.pk, published_at__isnull=counted_after)
    instance._topic_count_change = (list(links.values_list("tag_id", flat=True)), 1 if counted_after else -1)


def count_flipped_links(sender, instance, raw=False, **kwargs):
    tag_ids, delta = instance.__dict__.pop("_topic_count_change", ((), 0))
    change(tag_ids, delta)


def count_new_link(sender, instance, created, raw=False, **kwargs):
    if created and not raw and instance.published_at is not None:
        change([instance.tag_id], 1)


def uncount_deleted_link(sender, instance, **kwargs):
    # Also reached through an article's deletion (its links cascade with signals). A topic's merge
    # or deletion moves and deletes its links without signals (articles.topics).
    if instance.published_at is not None:
        change([instance.tag_id], -1)


def connect():
    pre_save.connect(note_links_about_to_flip, sender=Article, dispatch_uid="topic_counts_pre")
    post_save.connect(count_flipped_links, sender=Article, dispatch_uid="topic_counts_article")
    post_save.connect(count_new_link, sender=TaggedArticle, dispatch_uid="topic_counts_link_saved")
    post_delete.connect(uncount_deleted_link, sender=TaggedArticle, dispatch_uid="topic_counts_link_deleted")
