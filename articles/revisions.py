"""Revisions of articles (stored by django-reversion): record, read, compare and restore."""

import difflib
from dataclasses import dataclass

import reversion
from django.utils.html import escape
from django.utils.safestring import mark_safe
from reversion.models import Version

from articles import digest
from articles.models import Article, Source, Tag, TaggedArticle

CONTENT_FIELDS = ("title", "summary", "body")  # what "restore" brings back; status moves only by workflow
REVIEWED_LABELS = ("Title", "Summary", "Body", "Sources")  # what a medical review covers
REVIEW_SEARCH_DEPTH = 200  # revisions searched for the reviewed one, newest first


def record_revision(article, user, comment):
    """Store the article as it is now (with its tags and sources) as a new revision."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user if user and user.is_authenticated else None)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


def versions_of(article):
    """The article's stored versions, newest first, with who saved them."""
    return Version.objects.get_for_object(article).select_related("revision__user__author_profile")


@dataclass
class Snapshot:
    """An article's content as one revision stored it."""

    version: Version
    title: str
    summary: str
    body: str
    status: str
    tags: list
    sources: list  # [(title, url)] in reading order

    @property
    def digest(self):
        """The content digest of this snapshot, comparable with an article's `reviewed_digest`."""
        return digest.content_digest(self.title, self.summary, self.body, self.sources)


def snapshot(version):
    fields = version.field_dict
    followed = list(version.revision.version_set.all())
    tag_ids = [v.field_dict["tag_id"] for v in followed if v.content_type.model_class() is TaggedArticle]
    tags = sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True))
    sources = sorted(
        (v.field_dict["position"], int(v.object_id), v.field_dict["title"], v.field_dict["url"])
        for v in followed
        if v.content_type.model_class() is Source
    )
    return Snapshot(
        version=version,
        title=fields["title"],
        summary=fields["summary"],
        body=fields["body"],
        status=Article.Status(fields["status"]).label,
        tags=tags,
        sources=[(title, url) for _, _, title, url in sources],
    )


def current_snapshot(article):
    """The article's content as stored now (whether or not a revision recorded it)."""
    return Snapshot(
        version=None,
        title=article.title,
        summary=article.summary,
        body=article.body,
        status=article.get_status_display(),
        tags=sorted(article.tags.values_list("name", flat=True)),
        sources=list(article.sources.values_list("title", "url")),
    )


def reviewed_version(article):
    """The newest stored revision holding the content the article's medical review covered (None
    when there is no review, or no revision kept that content)."""
    if article.reviewed_at is None:
        return None
    versions = versions_of(article).prefetch_related("revision__version_set__content_type")
    return next(
        (v for v in versions[:REVIEW_SEARCH_DEPTH] if snapshot(v).digest == article.reviewed_digest), None
    )


def changes_since_review(article):
    """(the reviewed revision or None, [(label, changed?, HTML diff)] of what changed since it)
    for an article whose medical review is out of date; (None, []) otherwise."""
    if not article.review_out_of_date:
        return None, []
    version = reviewed_version(article)
    if version is None:
        return None, []
    rows = compare(snapshot(version), current_snapshot(article))
    return version, [row for row in rows if row[0] in REVIEWED_LABELS and row[1]]


def changes_since_last_published(article):
    """(the newest revision in which the article was published, [(label, True, HTML diff)] of what
    changed since) for an article that is not published now but was before; (None, []) otherwise."""
    if article.status == Article.Status.PUBLISHED:
        return None, []
    versions = versions_of(article).prefetch_related("revision__version_set__content_type")
    published = Article.Status.PUBLISHED.value
    version = next((v for v in versions[:REVIEW_SEARCH_DEPTH] if v.field_dict["status"] == published), None)
    if version is None:
        return None, []
    rows = compare(snapshot(version), current_snapshot(article))
    return version, [row for row in rows if row[1] and row[0] != "Status"]


def line_diff(old, new):
    """HTML of a line-by-line diff, both sides escaped: removed lines in <del>, added in <ins>."""
    out = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], escape(line[2:])
        if tag == "- ":
            out.append(f"<del>{text}</del>")
        elif tag == "+ ":
            out.append(f"<ins>{text}</ins>")
        elif tag == "  ":
            out.append(f"<span>{text}</span>")
    return mark_safe("\n".join(out))  # every piece of user text above went through escape()


def compare(older, newer):
    """[(field label, changed?, HTML diff)] between two snapshots."""
    rows = []
    for label, attr in (("Title", "title"), ("Summary", "summary"), ("Body", "body"), ("Status", "status")):
        old, new = getattr(older, attr), getattr(newer, attr)
        rows.append((label, old != new, line_diff(old, new)))
    old_tags, new_tags = ", ".join(older.tags), ", ".join(newer.tags)
    rows.append(("Topics", old_tags != new_tags, line_diff(old_tags, new_tags)))
    old_sources, new_sources = _source_lines(older.sources), _source_lines(newer.sources)
    rows.append(("Sources", old_sources != new_sources, line_diff(old_sources, new_sources)))
    return rows


def _source_lines(sources):
    return "\n".join(f"{title} <{url}>" if url else title for title, url in sources)


def restore(article, version, user):
    """Bring back the content (title, summary, body, topics) of `version` as a new revision; an
    edit like any other (an author's takes an article in review back to draft)."""
    old = snapshot(version)
    for field in CONTENT_FIELDS:
        setattr(article, field, getattr(old, field))
    article.note_edit_by(user)
    article.version += 1
    article.save()
    article.tags.set(list(Tag.objects.filter(name__in=old.tags)))
    record_revision(article, user, f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}")
