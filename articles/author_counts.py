"""Each author's stored `published_article_count`, kept in step with their articles at every change.

The stored count is the number of the author's articles in the published status, including the few
scheduled ones whose time has not come, as topics store theirs (articles.topic_counts): readers
subtract the scheduled ones (`authors.models.count_public_articles`). A save that moves an article
into or out of the published status, or to another author, and a deletion change the counts by
atomic `F()` updates; `repair_topic_counts` recounts topics and authors and fixes any drift.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save

from articles.models import Article
from authors.models import Author

COUNTED = Q(status=Article.Status.PUBLISHED, published_at__isnull=False)


def counted_for(article):
    """The author whose stored count `article` is part of (in the published status), or None."""
    return article.author_id if article.public_since is not None else None


def change(author_id, delta):
    Author.objects.filter(pk=author_id).update(published_article_count=F("published_article_count") + delta)


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


def note_count_before_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = None
    if not instance._state.adding and instance.pk is not None:
        saved = (
            Article.objects.filter(pk=instance.pk).values_list("author_id", "status", "published_at").first()
        )
        if saved and saved[1] == Article.Status.PUBLISHED and saved[2] is not None:
            before = saved[0]
    instance._author_count_before = before


def count_after_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before, after = instance.__dict__.pop("_author_count_before", None), counted_for(instance)
    if before != after:
        if before is not None:
            change(before, -1)
        if after is not None:
            change(after, 1)


def uncount_deleted(sender, instance, **kwargs):
    if (author_id := counted_for(instance)) is not None:
        change(author_id, -1)


def connect():
    pre_save.connect(note_count_before_save, sender=Article, dispatch_uid="author_counts_pre")
    post_save.connect(count_after_save, sender=Article, dispatch_uid="author_counts_saved")
    post_delete.connect(uncount_deleted, sender=Article, dispatch_uid="author_counts_deleted")
