"""What each change to the content makes stale in the page cache (pagecache.registry), in one place.

Keys: `article:<id>` (its page), `topic:<id>` (its page, and the pages of its articles, which
show its name), `topic-description:<id>` (its page alone), `author:<id>` (the profile), `reviewer:<user id>` (articles naming that medical
reviewer), `listing` (which articles are published, in what order, and what their cards show: home,
lists, topic index, feeds, sitemap), and `topic-names` and `author-names` (any topic's or
pseudonym's name: on the cards of topic and author pages, which do not depend on the whole
listing). Replies say theirs in replies/invalidation.py (`replies:<article id>`).
An edit nobody public sees (a draft, a login, the admin log, a pending change of a published article:
articles.pending, unregistered on purpose) touches nothing; publishing a change saves the article,
its topic links and its sources, whose rules below touch what shows them.
"""

from django.conf import settings

from articles.cache import scheduled
from articles.models import Article, Correction, Source, Tag, TaggedArticle, TagRedirect
from authors.models import Author
from pagecache import registry
from pagecache.store import LISTING

# What a card, a feed or the sitemap shows of an article besides its topics and author's name.
LISTED_FIELDS = (
    *("status", "published_at", "title", "slug", "summary", "body", "revised_at", "author_id"),
    *("hero_image", "hero_alt"),  # cards show the hero's smallest rendition
)
ARTICLE_FIELDS = (*LISTED_FIELDS, "reviewed_by_id")
TOPIC_NAMES = "topic-names"
AUTHOR_NAMES = "author-names"


def article_keys(article, before, after):
    # Scheduled articles count as shown: they change the listing at their time.
    shown = [state for state in (before, after) if state and state["status"] == Article.Status.PUBLISHED]
    if not shown:
        return []  # a draft before and after
    keys = [f"article:{article.pk}", *(f"author:{state['author_id']}" for state in shown)]
    if before is None or after is None or any(before[f] != after[f] for f in LISTED_FIELDS):
        topics = TaggedArticle.objects.filter(content_object_id=article.pk).values_list("tag_id", flat=True)
        keys += [LISTING, *(f"topic:{pk}" for pk in topics)]
    return keys


def topic_link_keys(link, before, after):
    # One article's topic added or removed. A topic's merge or deletion moves or deletes its links
    # without this rule (articles.topics): the topic's own keys cover them, since its articles' pages
    # depend on `topic:<id>` and every card's topic names on `topic-names` (topic_keys).
    # The link keeps the article's publication time while it is published (or scheduled).
    if link.published_at is None:
        return []
    # Its card, with all its topics, is also on its other topics' pages and on its author's.
    others = TaggedArticle.objects.filter(content_object_id=link.content_object_id).values_list(
        "tag_id", flat=True
    )
    author = Article.objects.filter(pk=link.content_object_id).values_list("author_id", flat=True).first()
    keys = [f"article:{link.content_object_id}", LISTING, *(f"topic:{pk}" for pk in {link.tag_id, *others})]
    return keys + ([f"author:{author}"] if author else [])


def topic_keys(tag, before, after):
    if before is None:
        return []  # a new topic has no article yet
    if after is None or (before["name"], before["slug"]) != (after["name"], after["slug"]):
        return [f"topic:{tag.pk}", LISTING, TOPIC_NAMES]  # its name is on its articles and the lists
    if before["description"] != after["description"]:
        return [f"topic-description:{tag.pk}"]  # shown on its own page only
    return []


def author_keys(author, before, after):
    keys = [f"author:{author.pk}"]
    if before and after and (before["pseudonym"], before["slug"]) != (after["pseudonym"], after["slug"]):
        # The pseudonym is on every card and page of theirs, and as reviewer if they review.
        articles = Article.objects.filter(author=author).values_list("pk", flat=True)
        keys += [LISTING, AUTHOR_NAMES, *(f"article:{pk}" for pk in articles)]
        keys += [f"reviewer:{author.user_id}"] if author.user_id else []
    return keys


def reviewer_keys(user, before, after):
    # Deleted: their articles name "an editor" (the link is cleared in SQL, without signals).
    if before is not None and before != after:
        return [f"reviewer:{user.pk}"]
    return []  # a new login, a login, a password change: nothing public


def of_article(row, before, after):
    return [f"article:{row.article_id}"]


def source_keys(source, before, after):
    # A published article's sources date its revision (articles.review), shown in feeds and the sitemap.
    published = Article.objects.filter(pk=source.article_id, status=Article.Status.PUBLISHED).exists()
    return [f"article:{source.article_id}", *([LISTING] if published else [])]


def connect():
    registry.register_schedule(lambda: scheduled()[0])
    registry.invalidates(Article, article_keys, fields=ARTICLE_FIELDS)
    registry.invalidates(TaggedArticle, topic_link_keys)
    registry.invalidates(Tag, topic_keys, fields=("name", "slug", "description"))
    registry.invalidates(TagRedirect, lambda redirect, before, after: [f"topic:{redirect.tag_id}"])
    registry.invalidates(Source, source_keys)
    registry.invalidates(Correction, of_article)
    registry.invalidates(Author, author_keys, fields=("pseudonym", "slug"))
    registry.invalidates(settings.AUTH_USER_MODEL, reviewer_keys, fields=("first_name", "last_name"))
