"""Demo content: the seed patient post and a few more articles, loaded once and never duplicated,
with avatars and a few hero pictures drawn by `articles.demo.pictures`."""

import json
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from reversion.models import Version

from articles.demo.pictures import avatar_for, hero_for
from articles.models import Article, Tag
from articles.revisions import record_revision
from authors.models import Author

DEMO_DIR = Path(__file__).resolve().parent
SEED_FILE = DEMO_DIR / "botox-injections-for-fibromyalgia.txt"
SEED_TAGS = ["botox", "injections", "pain-relief", "non-medication"]
SCHEDULED_DAYS_AHEAD = 30
DEMO_REVISION = "Demo content loaded"  # the comment of each demo article's first revision

# Demo logins, created only with DEBUG on. The private details prove that none of them leaks.
DEMO_LOGINS = {
    "editor": {
        "password": "fibro-editor-demo",
        "group": "Editor",
        "email": "editor@example.org",
        "first_name": "Demo",
        "last_name": "Editor",
    },
    "author": {
        "password": "fibro-author-demo",
        "group": "Author",
        "email": "author@example.org",
        "first_name": "Private",
        "last_name": "Realname",
        "profile": "Fibro Warrior",
    },
}


@dataclass
class PatientPost:
    title: str
    author: str
    summary: str
    body: str  # Markdown


def parse_patient_post(text):
    """Turn a plain-text patient post into a title, author, summary and Markdown body.

    Upper-case lines become section headings; once a paragraph introduces a list of them (it ends
    with ':'), the headings that follow are its subsections. The "Author:" signature and the
    "Leave a Reply" line belong to the page around the post, not to its body.
    """
    blocks = [block.strip() for block in text.strip().split("\n\n") if block.strip()]
    title, blocks = blocks[0], blocks[1:]
    author, body, level, previous = "", [], 2, ""
    for block in blocks:
        if block.startswith("Author:"):
            author = block.removeprefix("Author:").strip()
        elif block.lower() == "leave a reply":
            continue
        elif "\n" not in block and block.isupper():
            if previous.endswith(":"):
                level = 3
            body.append(f"{'#' * level} {block}")
        else:
            body.append(block)
        previous = block
    paragraphs = [b for b in body if not b.startswith("#")]
    return PatientPost(title=title, author=author, summary=paragraphs[0], body="\n\n".join(body))


def load_demo_content(now=None):
    """Create the demo articles this database never had, with their authors and topics; return how many.

    Demo content is known by the slug each article was created with, kept by the revision recorded
    then: what an editor renamed, moved to another address or deleted stays as they left it."""
    now = now or timezone.now()
    content = _read("content.toml")
    descriptions = _read("topics.toml")["topic"]
    bios = {author["pseudonym"]: author.get("bio", "").strip() for author in content["author"]}
    articles = demo_articles()
    written_by = {data["slug"]: data["author"] for data in articles}
    created = 0
    with transaction.atomic():
        loaded = loaded_demo_articles()
        for data in articles:
            if data["slug"] in loaded or Article.objects.filter(slug=data["slug"]).exists():
                continue
            author = find_demo_author(data["author"], loaded, written_by) or Author.objects.create(
                pseudonym=data["author"],
                bio=bios.get(data["author"], ""),
                avatar=avatar_for(data["author"]),
            )
            article = Article.objects.create(
                title=data["title"],
                slug=data["slug"],
                author=author,
                summary=data["summary"],
                body=data["body"].strip(),
                **_publication(data, now),
                **hero_for(data["slug"]),
            )
            article.tags.set([_demo_topic(name, descriptions.get(name, "")) for name in data["tags"]])
            record_revision(article, None, DEMO_REVISION)
            loaded[data["slug"]] = article.pk
            created += 1
    return created


def demo_articles():
    """The demo's articles as data: the seed post, then those of content.toml."""
    post = parse_patient_post(SEED_FILE.read_text(encoding="utf-8"))
    seed = {
        "title": post.title,
        "slug": SEED_FILE.stem,
        "author": post.author,
        "summary": post.summary,
        "body": post.body,
        "tags": SEED_TAGS,
        "status": "published",
        "days_ago": 0,
    }
    return [seed, *_read("content.toml")["article"]]


def _read(name):
    return tomllib.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def loaded_demo_articles():
    """{the slug it was created with: its id} for every demo article this database was given, deleted
    ones included (their revisions stay)."""
    versions = Version.objects.get_for_model(Article).filter(revision__comment=DEMO_REVISION)
    return {_slug_at_creation(version): int(version.object_id) for version in versions}


def find_demo_author(pseudonym, loaded, written_by):
    """The author who stands for the demo's `pseudonym`, however an editor renamed them, or None:
    the author of one of their demo articles, else the profile of the demo login, else by name."""
    theirs = [pk for slug, pk in loaded.items() if written_by.get(slug) == pseudonym]
    logins = [name for name, spec in DEMO_LOGINS.items() if spec.get("profile") == pseudonym]
    return (
        Author.objects.filter(articles__pk__in=theirs).first()
        or Author.objects.filter(user__username__in=logins).first()
        or Author.objects.filter(pseudonym__iexact=pseudonym).first()
    )


def _slug_at_creation(version):
    if version.format == "json":  # read as stored: fields added to Article since do not matter
        return json.loads(version.serialized_data)[0]["fields"]["slug"]
    return version.field_dict["slug"]


def _demo_topic(name, description):
    """The topic first made for the demo's `name`: by its address, an old address an editor moved or
    merged it from, or its name; made now if none is found."""
    slug = slugify(name)
    return (
        Tag.objects.filter(slug=slug).first()
        or Tag.objects.filter(redirects__old_slug=slug).first()
        or Tag.objects.filter(name__iexact=name).first()
        or Tag.objects.create(name=name, description=description)
    )


def _publication(data, now):
    if data["status"] == "draft":
        return {"status": Article.Status.DRAFT, "published_at": None}
    if data["status"] == "scheduled":
        return {
            "status": Article.Status.PUBLISHED,
            "published_at": now + timedelta(days=SCHEDULED_DAYS_AHEAD),
        }
    # The seed post (days_ago 0) is the newest, an hour old, so the home page leads with it.
    return {
        "status": Article.Status.PUBLISHED,
        "published_at": now - timedelta(days=data["days_ago"], hours=1),
    }


def create_demo_logins():
    """With DEBUG on, create (or reset) the demo editor and author logins; return {username: password}."""
    if not settings.DEBUG:
        return {}
    logins = {}
    for username, spec in DEMO_LOGINS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.email = spec["email"]
        user.first_name = spec.get("first_name", "")
        user.last_name = spec.get("last_name", "")
        user.is_staff = True
        user.set_password(spec["password"])
        user.save()
        user.groups.add(Group.objects.get(name=spec["group"]))
        if "profile" in spec and not Author.objects.filter(user=user).exists():
            # A login has one profile, a profile one login: link them only while both are free.
            written_by = {data["slug"]: data["author"] for data in demo_articles()}
            profile = find_demo_author(spec["profile"], loaded_demo_articles(), written_by)
            if profile:
                Author.objects.filter(pk=profile.pk, user=None).update(user=user)
        logins[username] = spec["password"]
    return logins
