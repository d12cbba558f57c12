"""Keeping an article's content digest, and the date readers see it revised, in step when only its
sources change (an admin inline, code)."""

from django.db.models.signals import post_delete, post_save

from articles.models import Article, Source


def refresh_digest_of_source_article(sender, instance, raw=False, **kwargs):
    # Sources are part of what a medical review covers; the page shows whether the review is current.
    if raw:
        return
    Article.objects.filter(pk=instance.article_id).refresh_content_digests()  # touched: articles.invalidation


def connect():
    post_save.connect(refresh_digest_of_source_article, sender=Source, dispatch_uid="review-source-save")
    post_delete.connect(refresh_digest_of_source_article, sender=Source, dispatch_uid="review-source-delete")
