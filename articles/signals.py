"""Signal handlers keeping the search index and the page cache in step with the content."""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from articles import search
from articles.cache import bump_content_version
from articles.models import Article, Correction, Reply, Source, Tag, TaggedArticle, TagRedirect
from authors.models import Author

PUBLIC_CONTENT = (Article, Tag, TaggedArticle, TagRedirect, Source, Correction, Author)


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


def content_changed(sender, **kwargs):
    bump_content_version()


for model in PUBLIC_CONTENT:
    post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
    post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
m2m_changed.connect(content_changed, sender=Article.tags.through, dispatch_uid="page-cache-article-tags")
# A reviewer's name is shown on the articles they reviewed.
post_save.connect(content_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="page-cache-user-save")
post_delete.connect(content_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="page-cache-user-delete")


@receiver(post_save, sender=Reply)
def moderated_reply_changed(sender, instance, created, **kwargs):
    # A reader's new reply waits for review and changes no page; moderation decisions do.
    if not (created and instance.status == Reply.Status.PENDING):
        bump_content_version()


@receiver(post_delete, sender=Reply)
def reply_deleted(sender, instance, **kwargs):
    bump_content_version()
