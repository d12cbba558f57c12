"""Demo content: the seed patient post and a few more articles, loaded once and never duplicated."""

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Tag
from articles.revisions import record_revision
from authors.models import Author

DEMO_DIR = Path(__file__).resolve().parent
SEED_FILE = DEMO_DIR / "botox-injections-for-fibromyalgia.txt"
SEED_TAGS = ["botox", "injections", "pain-relief", "non-medication"]
SCHEDULED_DAYS_AHEAD = 30

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
    """Create the demo authors, topics and articles that do not exist yet; return how many articles."""
    now = now or timezone.now()
    content = tomllib.loads((DEMO_DIR / "content.toml").read_text(encoding="utf-8"))
    topics = tomllib.loads((DEMO_DIR / "topics.toml").read_text(encoding="utf-8"))["topic"]
    with transaction.atomic():
        authors = {a["pseudonym"]: _author(a["pseudonym"], a.get("bio", "")) for a in content["author"]}
        for name, description in topics.items():
            Tag.objects.get_or_create(name__iexact=name, defaults={"name": name, "description": description})
        post = parse_patient_post(SEED_FILE.read_text(encoding="utf-8"))
        articles = [
            {
                "title": post.title,
                "slug": SEED_FILE.stem,
                "author": post.author,
                "summary": post.summary,
                "body": post.body,
                "tags": SEED_TAGS,
                "status": "published",
                "days_ago": 0,
            },
            *content["article"],
        ]
        created = 0
        for data in articles:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            author = authors.get(data["author"]) or _author(data["author"], "")
            article = Article.objects.create(
                title=data["title"],
                slug=data["slug"],
                author=author,
                summary=data["summary"],
                body=data["body"].strip(),
                **_publication(data, now),
            )
            article.tags.set(data["tags"])
            record_revision(article, None, "Demo content loaded")
            created += 1
    return created


def _author(pseudonym, bio):
    author = Author.objects.filter(pseudonym__iexact=pseudonym).first()
    return author or Author.objects.create(pseudonym=pseudonym, bio=bio.strip())


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
        if "profile" in spec:
            Author.objects.filter(pseudonym=spec["profile"], user=None).update(user=user)
        logins[username] = spec["password"]
    return logins
