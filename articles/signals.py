"""Signal handlers keeping the search index in step with the content (the page cache: articles.invalidation).

A renamed topic waits in the search backlog whole (articles.search); a topic's merge or deletion
queues what it changes itself (articles.topics)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from articles import search
from articles.models import Article, SearchBacklogTopic, Tag, TaggedArticle


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


@receiver(pre_save, sender=Tag)
def notice_topic_rename(sender, instance, raw=False, **kwargs):
    # Only the name is in the search index: a description edit leaves every entry right.
    if not raw and instance.pk:
        stored = Tag.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        instance._renamed = stored is not None and stored != instance.name


@receiver(post_save, sender=Tag)
def queue_articles_of_renamed_topic(sender, instance, created, raw=False, **kwargs):
    # Queued, not re-indexed here: a topic may carry tens of thousands of articles (reindex_search).
    if getattr(instance, "_renamed", False):
        SearchBacklogTopic.add(instance)
        instance._renamed = False


@receiver(post_delete, sender=Article)
def unindex_deleted_article(sender, instance, **kwargs):
    search.unindex_article(instance.pk)
