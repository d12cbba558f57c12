"""Revisions of articles (stored by django-reversion): record, read, compare and restore."""

import difflib
from dataclasses import dataclass

import reversion
from django.utils.html import escape
from django.utils.safestring import mark_safe
from reversion.models import Version

from articles.models import Article, Tag, TaggedArticle

CONTENT_FIELDS = ("title", "summary", "body")  # what "restore" brings back; status moves only by workflow


def record_revision(article, user, comment):
    """Store the article as it is now (with its tags and sources) as a new revision."""
    with reversion.create_revision(manage_manually=True):
        reversion.set_user(user if user and user.is_authenticated else None)
        reversion.set_comment(comment)
        reversion.add_to_revision(article)


def versions_of(article):
    """The article's stored versions, newest first, with who saved them."""
    return Version.objects.get_for_object(article).select_related("revision__user")


@dataclass
class Snapshot:
    """An article's content as one revision stored it."""

    version: Version
    title: str
    summary: str
    body: str
    status: str
    tags: list


def snapshot(version):
    fields = version.field_dict
    tag_ids = [
        v.field_dict["tag_id"]
        for v in version.revision.version_set.all()
        if v.content_type.model_class() is TaggedArticle
    ]
    tags = sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True))
    return Snapshot(
        version=version,
        title=fields["title"],
        summary=fields["summary"],
        body=fields["body"],
        status=Article.Status(fields["status"]).label,
        tags=tags,
    )


def _line_diff(old, new):
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
        rows.append((label, old != new, _line_diff(old, new)))
    old_tags, new_tags = ", ".join(older.tags), ", ".join(newer.tags)
    rows.append(("Topics", old_tags != new_tags, _line_diff(old_tags, new_tags)))
    return rows


def restore(article, version, user):
    """Bring back the content (title, summary, body, topics) of `version` as a new revision."""
    old = snapshot(version)
    for field in CONTENT_FIELDS:
        setattr(article, field, getattr(old, field))
    article.version += 1
    article.save()
    article.tags.set(list(Tag.objects.filter(name__in=old.tags)))
    record_revision(article, user, f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}")
