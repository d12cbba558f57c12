"""Signal handlers keeping the search index in step with the content (the page cache: articles.invalidation)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles import search
from articles.models import Article, Tag, TaggedArticle


@receiver(post_save, sender=Article)
def copy_publication_time_to_topic_links(sender, instance, raw=False, **kwargs):
    # Topic pages read the publication time from the links (TaggedArticle.published_at).
    if not raw:
        instance.tagged_items.exclude(published_at=instance.public_since).update(
            published_at=instance.public_since
        )


@receiver(pre_save, sender=TaggedArticle)
def copy_publication_time_from_article(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.published_at = instance.content_object.public_since


@receiver(post_save, sender=Article)
def reindex_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        search.index_article(instance)


@receiver(m2m_changed, sender=Article.tags.through)
def reindex_article_when_its_topics_change(sender, instance, action, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Article):
        search.index_article(instance)


@receiver(post_save, sender=Tag)
def reindex_articles_of_renamed_topic(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        for article in Article.objects.filter(tags=instance):
            search.index_article(article)


@receiver(pre_delete, sender=Tag)
def remember_articles_of_deleted_topic(sender, instance, **kwargs):
    # The database drops the topic's links without signals; note the articles to reindex after.
    instance._articles_to_reindex = list(Article.objects.filter(tags=instance))


@receiver(post_delete, sender=Tag)
def reindex_articles_of_deleted_topic(sender, instance, **kwargs):
    for article in getattr(instance, "_articles_to_reindex", []):
        search.index_article(article)


@receiver(post_delete, sender=Article)
def unindex_deleted_article(sender, instance, **kwargs):
    search.unindex_article(instance.pk)
