"""Merging and deleting topics in a fixed number of statements, however many articles carry them.

A topic may carry tens of thousands of articles. Its links are moved or deleted in one statement
each, without the per-link signals (which cost queries per link: articles.topic_counts,
articles.invalidation): what those would have done is done once for the whole topic here. The stored
counts change by one UPDATE, the page cache is made stale through the topic's keys, on which the
pages of its articles depend, and the search backlog (articles.search) gets the topic merged into,
whose articles are then the merged topic's too, or the deleted topic's articles, copied before their
links go. Changes to one article's topics still go link by link, through the signals.
"""

from django.db import models, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from articles import topic_counts
from articles.models import PendingVersion, SearchBacklog, SearchBacklogTopic, TaggedArticle, TagRedirect
from pagecache import registry


def delete_links(tags):
    """Delete every article link of `tags` (Tag instances) in one statement, its articles queued
    for search first; returns the number of links deleted. The caller then deletes the topics."""
    tags = list(tags)
    for tag in tags:
        # One backlog row per article, before the links go: afterwards nothing says which articles
        # carried the topic. It writes as many rows as the DELETE below removes (deleting a topic is
        # rarer than renaming or merging one, which queue the topic alone).
        SearchBacklog.add_articles_of(tag)
    links = TaggedArticle.objects.filter(tag__in=tags)
    # _raw_delete: one DELETE, where QuerySet.delete() would load every link and send post_delete
    # for each (their receivers adjust the counts and the page cache per link). Nothing references
    # a link, so no cascade is skipped; the deleted topics take their counts and page-cache keys
    # with them (Tag's own post_delete touches `topic:<id>`, the listing and the topic names).
    return links._raw_delete(links.db)


def merge(source, target):
    """Move `source`'s articles to `target` (none twice), redirect its addresses there, delete it."""
    if source.pk == target.pk:
        raise ValueError("A topic cannot be merged into itself.")  # it would lose every article
    with transaction.atomic():
        # Every article of the merged topic is one of the target's afterwards: re-indexing the target's
        # articles (its own ones too, a bounded cost) renames the merged topic in their entries.
        SearchBacklogTopic.add(target)
        moving = TaggedArticle.objects.filter(tag=source).exclude(
            content_object__in=TaggedArticle.objects.filter(tag=target).values("content_object")
        )
        topic_counts.count_links_moving_to(target, moving)
        moving.update(tag=target)  # QuerySet.update() sends no signal: the counts are done above
        # The links left, of articles that carried both, go here, not as a deleted topic's would
        # (delete_links queues its articles one by one, though the target's queue covers them).
        left = TaggedArticle.objects.filter(tag=source)
        left._raw_delete(left.db)  # their topic's count goes with it; the target's is unchanged
        # Changes being prepared to published articles (articles.pending) keep the topic too; their
        # links left (a change with both topics) go with the merged topic's deletion below.
        pending = PendingVersion.tags.through.objects
        pending.filter(tag=source).exclude(
            pendingversion__in=pending.filter(tag=target).values("pendingversion")
        ).update(tag=target)
        source.redirects.update(tag=target)
        TagRedirect.objects.update_or_create(old_slug=source.slug, defaults={"tag": target})
        # Model.delete, not Tag.delete: no link is left to queue or delete, and looking again would
        # walk the index entries the move has just left behind (tens of milliseconds at 50,000).
        models.Model.delete(source)
        registry.touch([f"topic:{target.pk}"])  # its page and its articles' pages show the merge


def with_link_counts(tags):
    """`tags` annotated with `link_count` (their article links) and `redirect_count` (their old
    addresses), each counted from its own index."""

    def counted(model):
        rows = model.objects.filter(tag=OuterRef("pk")).order_by().values("tag").annotate(n=Count("pk"))
        return Coalesce(Subquery(rows.values("n")), 0)

    return tags.annotate(link_count=counted(TaggedArticle), redirect_count=counted(TagRedirect))
