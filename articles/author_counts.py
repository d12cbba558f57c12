"""Each author's stored `published_article_count`, kept in step with their articles at every change.

The stored count is the number of the author's articles in the published status, including the few
scheduled ones whose time has not come, as topics store theirs (articles.topic_counts): readers
subtract the scheduled ones (`authors.models.count_public_articles`). A save that moves an article
into or out of the published status, or to another author, and a deletion change the counts by
atomic `F()` updates; `repair_topic_counts` recounts topics and authors and fixes any drift.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import post_delete, post_save, pre_delete

from articles.models import Article
from authors.models import Author

COUNTED = Q(status=Article.Status.PUBLISHED, published_at__isnull=False)


COUNTED_FIELDS = {"author", "status", "published_at"}


def counted_for(row):
    """The author whose stored count an article is part of (its `COUNTED` in Python), from its
    (author_id, status, published_at), or None (for no row too)."""
    return row[0] if row and row[1] == Article.Status.PUBLISHED and row[2] is not None else None


def change(author_id, delta):
    # Never below 0: a count that drifted low (raw SQL, servers running older code during a deploy)
    # must not make an unpublish fail on the column's check; repair_topic_counts sets it right.
    count = Greatest(F("published_article_count") + delta, 0)
    Author.objects.filter(pk=author_id).update(published_article_count=count)


def recounts():
    """Every author's pk, pseudonym, stored count and true count."""
    authors = Author.objects.annotate(actual=_true_count())
    return authors.values_list("pk", "pseudonym", "published_article_count", "actual")


def recount(author_pk=None):
    """Store the true count of author `author_pk` (every author when None: after a bulk load or a
    restore), counted within the update statement."""
    authors = Author.objects.all() if author_pk is None else Author.objects.filter(pk=author_pk)
    authors.update(published_article_count=_true_count())


def _true_count():
    counted = Article.objects.filter(COUNTED, author=OuterRef("pk")).order_by().values("author")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def count_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Article.save() read the row as it was (`saved_row`), locked: concurrent saves of one article
    # are counted one after the other. Loading fixtures (raw) counts nothing: a recount follows.
    if raw or (update_fields is not None and not COUNTED_FIELDS & set(update_fields)):
        return
    if update_fields is None or set(update_fields) >= COUNTED_FIELDS:
        after = counted_for((instance.author_id, instance.status, instance.published_at))
    else:  # some of them written: the others are as stored, whatever the instance holds
        after = counted_for(_row(instance.pk))
    before = counted_for(getattr(instance, "saved_row", None))
    if before != after:
        if before is not None:
            change(before, -1)
        if after is not None:
            change(after, 1)


def note_before_delete(sender, instance, **kwargs):
    # The stored row, not the instance: one loaded earlier may hold another author or status.
    instance._author_counted = counted_for(_row(instance.pk, lock=True))


def uncount_deleted(sender, instance, **kwargs):
    if (author_id := instance.__dict__.pop("_author_counted", None)) is not None:
        change(author_id, -1)


def _row(pk, lock=False):
    rows = Article._base_manager.select_for_update() if lock else Article._base_manager
    return rows.filter(pk=pk).values_list("author_id", "status", "published_at").first()


def connect():
    post_save.connect(count_saved, sender=Article, dispatch_uid="author_counts_saved")
    pre_delete.connect(note_before_delete, sender=Article, dispatch_uid="author_counts_pre_delete")
    post_delete.connect(uncount_deleted, sender=Article, dispatch_uid="author_counts_deleted")
