"""What a change leaves in the whole-page cache: warm 50 distinct public pages, make one change as
an editor would, load the 50 again and count those still served from the cache. Each page that
was not is compared with what it showed before (does it show the change, or was it made stale for
nothing?), and each that was is compared with a fresh render (a stale page must never be served).
In-process with Django's test Client and this process's memory as the cache, so that the count is
exact (`response.page_cache`); the changes are undone at the end. Prints JSON.

Changes: (a) an editor approves one reply, through the admin's "Approve selected replies" action;
(b) a topic's description is edited (Tag.save(), as the admin's change form does).
"""

import json
import os
import re
import secrets

import django

PAGES = 50
# The reply form's token, filled in as each response leaves ("<article id>.<nonce>:<time>:<signature>").
TOKEN = re.compile(rb"\d+\.[\w-]{16}:\w+:[\w-]+")


def configure():
    """The page cache on, in this process's memory (REDIS_URL ignored), DEBUG off."""
    for name in ("REDIS_URL", "CACHE_DISABLED"):
        os.environ.pop(name, None)
    os.environ.update({"PAGE_CACHE_SECONDS": "600", "DEBUG": "0", "TWO_FACTOR_REQUIRED": "0"})
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    hosts = os.environ.get("ALLOWED_HOSTS", "")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver" if hosts else "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fibrosite.settings")
    django.setup()


def warm_pages(article, topic):
    """{name: path}: 50 distinct public pages, among them `article` and `topic`'s page and articles."""
    from articles.models import Article, Tag
    from authors.models import Author

    popular = list(Tag.objects.public().order_by("pk")[:3])
    found = {
        "home": "/",
        "article list, page 1": "/articles/",
        "article list, page 2": "/articles/?page=2",
        "article list, page 3": "/articles/?page=3",
        "three-tag filter": "/articles/?" + "&".join(f"tag={t.slug}" for t in popular),
        f"filter on {topic.name}": f"/articles/?tag={topic.slug}",
        "topic index": "/tags/",
        "author index": "/authors/",
        "feed": "/feed/",
    }
    topics = [topic, *article.tags.exclude(pk=topic.pk), *popular, *Tag.objects.public().order_by("-pk")[:8]]
    for tag in topics:
        if len([n for n in found if n.startswith("topic page")]) < 8:
            found.setdefault(f"topic page {tag.name}", tag.get_absolute_url())
    authors = [article.author, *Author.objects.public().exclude(pk=article.author_id).order_by("pk")[:5]]
    found.update({f"author page {a.pseudonym}": a.get_absolute_url() for a in authors})
    published = Article.objects.published()
    same_topic = published.filter(tags=topic).exclude(pk=article.pk).order_by("-published_at")[:6]
    others = published.exclude(tags=topic).order_by("-published_at")[:PAGES]
    for row in [article, *same_topic, *others]:
        if len(found) == PAGES:
            break
        found.setdefault(
            f"article {row.slug}" + (f" ({topic.name})" if row in same_topic else ""), row.get_absolute_url()
        )
    return found


def shown(response):
    return TOKEN.sub(b"token", response.content)


def fresh(client, path):
    """The page rendered with every cache empty: what a reader should be shown now."""
    from django.test import override_settings

    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy, PAGE_CACHE_SECONDS=0):
        return shown(client.get(path))


def load(client, pages):
    """{name: (page_cache state, content shown)} of one visit of each page."""
    return {name: (response.page_cache, shown(response)) for name, response in
            ((name, client.get(path)) for name, path in pages.items())}  # fmt: skip


def after_change(client, pages, change):
    """Warm every page, make `change()`, and report what the cache served next."""
    load(client, pages)
    before = load(client, pages)
    cold = sorted(name for name, (state, _) in before.items() if state != "hit")
    if cold:
        raise SystemExit(f"Not served from the cache even when warm: {cold}")
    change()
    after = load(client, pages)
    stale = [name for name, (state, _) in after.items() if state != "hit"]
    return {
        "pages": len(pages),
        "served": len(pages) - len(stale),
        "stale": [{"name": n, "path": pages[n], "changed": after[n][1] != before[n][1]} for n in stale],
        # Served from the cache although the page now reads differently: must never happen.
        "wrong": [
            n for n, (state, body) in after.items() if state == "hit" and body != fresh(client, pages[n])
        ],
    }


def main():
    configure()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from benchmarks.pages import measured_article
    from replies.models import Reply

    article = measured_article()
    topic = article.tags.order_by("pk").first()
    pages = warm_pages(article, topic)
    anonymous = Client(headers={"x-forwarded-proto": "https"})
    editor = Client(headers={"x-forwarded-proto": "https"})
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
    editor.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # A reader's reply waiting for review (it changes no page until approved).
    reply = Reply.objects.create(
        article=article, name="A reader", text="Thank you, this helped.", client_hash="bench"
    )
    description = topic.description

    def approve():
        response = editor.post(
            reverse("admin:replies_reply_changelist"),
            {"action": "approve", "_selected_action": [reply.pk], "index": 0},
        )
        reply.refresh_from_db()
        if response.status_code != 302 or reply.status != Reply.Status.APPROVED:
            raise SystemExit(f"The admin's approve action failed ({response.status_code}).")

    def edit_topic():
        topic.description = description + " Edited for the benchmark."
        topic.save()

    try:
        cache.clear()
        results = {
            "article": article.get_absolute_url(),
            "topic": topic.get_absolute_url(),
            "reply approval": after_change(anonymous, pages, approve),
            "topic edit": after_change(anonymous, pages, edit_topic),
        }
    finally:
        reply.delete()
        topic.description = description
        topic.save()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
