"""A site with private details to look for: an author's login (distinctive username, e-mail and real
name) linked to a profile with published articles, pictures and replies; the editor who reviewed one
of them (their full name is public by design, their login and e-mail are not); readers' e-mails; and
another author whose login, unpublished article and pseudonym an Author must not see in the admin."""

import io
import xml.etree.ElementTree as ET
from collections import deque
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, PngImagePlugin

from articles.models import Article
from articles.revisions import record_revision
from tests.factories import make_article, make_author, make_draft
from tests.security.xss_site import approve_replies, post_reply, reply_model

AUTHOR_LOGIN = {"username": "zq-login-7731", "email": "zq.mail.7731@example.org",
                "first_name": "Zquillina", "last_name": "Vortmann"}  # fmt: skip
REVIEWER_LOGIN = {"username": "zq-editor-4410", "email": "zq.editor.4410@example.org",
                  "first_name": "Quorvale", "last_name": "Edmark"}  # fmt: skip
OTHER_AUTHOR_LOGIN = {"username": "zq-other-5520", "email": "zq.other.5520@example.org",
                      "first_name": "Ombrine", "last_name": "Taskel"}  # fmt: skip
OTHER_AUTHOR_PSEUDONYM = "Unseen Quill 5520"  # has never published
OTHER_AUTHOR_DRAFT = "Unreleased diary 5520"
READER_EMAIL = "zq.reader.7731@example.org"
EMAIL_IN_REPLY_TEXT = "zq.text.7731@example.org"

# Never in public output.
PRIVATE = [
    *AUTHOR_LOGIN.values(), "Zquillina Vortmann", "zq.mail.7731",
    REVIEWER_LOGIN["username"], REVIEWER_LOGIN["email"], "zq.editor.4410",
    READER_EMAIL, "zq.reader.7731", EMAIL_IN_REPLY_TEXT, "zq.text.7731",
    *OTHER_AUTHOR_LOGIN.values(), OTHER_AUTHOR_PSEUDONYM, OTHER_AUTHOR_DRAFT,
    slugify(OTHER_AUTHOR_PSEUDONYM), slugify(OTHER_AUTHOR_DRAFT),  # as they would be in an address
]  # fmt: skip
# Never shown to the Author in the admin: other people's logins, and another author's unpublished work.
NOT_FOR_THE_AUTHOR = [
    REVIEWER_LOGIN["username"], REVIEWER_LOGIN["email"],
    *OTHER_AUTHOR_LOGIN.values(), OTHER_AUTHOR_PSEUDONYM, OTHER_AUTHOR_DRAFT,
    slugify(OTHER_AUTHOR_PSEUDONYM), slugify(OTHER_AUTHOR_DRAFT),  # as they would be in an address
]  # fmt: skip


def picture(name):
    """A PNG upload whose name and text chunk carry the author's private details."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Zquillina Vortmann <zq.mail.7731@example.org>")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (90, 140, 200)).save(buffer, format="PNG", pnginfo=info)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def staff_login(group, **fields):
    user = User.objects.create_user(password="pw", is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def record_review(article, reviewer):
    if hasattr(article, "record_review"):  # the model keeps which content was reviewed
        article.record_review(reviewer)
    else:
        article.reviewed_by, article.reviewed_at = reviewer, timezone.now()
    article.save()


def build_private_site():
    """The demo content and the people above, with their articles, reviews, revisions and replies."""
    call_command("load_demo", verbosity=0)
    author_login = staff_login("Author", **AUTHOR_LOGIN)
    reviewer = staff_login("Editor", **REVIEWER_LOGIN)
    author = make_author("Harbor Fern", bio="Writing about warmth and rest.", user=author_login,
                         avatar=picture("Zquillina-Vortmann-zq-login-7731.png"))  # fmt: skip
    articles = [
        make_article("Warm socks at night", author=author, body="Socks helped.\n\n## Why\n\nWarmth.",
                     hero_image=picture("zq.mail.7731@example.org.png"), hero_alt="Socks"),
        make_article("Resting after work", author=author, days_ago=2),
    ]  # fmt: skip
    draft = make_draft(title="Unfinished thoughts", author=author)
    for article in [*articles, draft]:
        record_revision(article, author_login, "Created")
    record_review(articles[0], reviewer)
    record_review(draft, reviewer)
    record_revision(draft, reviewer, "Checked the sources")
    other = make_author(OTHER_AUTHOR_PSEUDONYM, user=staff_login("Author", **OTHER_AUTHOR_LOGIN))
    others_draft = make_article(OTHER_AUTHOR_DRAFT, author=other, status=Article.Status.IN_REVIEW)
    client = Client()
    replies = [
        ("Harbor Fern", AUTHOR_LOGIN["email"], "Thank you all for reading."),
        ("A reader", READER_EMAIL, f"Lovely. Write to me at {EMAIL_IN_REPLY_TEXT} if you like."),
    ]
    for number, (name, email, text) in enumerate(replies):
        post_reply(client, articles[0], name, text, email=email, address=f"192.0.2.{number + 1}")
    approve_replies(reviewer, reply_model().objects.all())
    return SimpleNamespace(
        author=author, author_login=author_login, reviewer=reviewer, others=[other, others_draft]
    )


def body_of(response):
    """The whole body, also of a streamed response (a picture)."""
    if response.streaming:
        response.content_bytes = getattr(response, "content_bytes", None) or b"".join(
            response.streaming_content
        )
        return response.content_bytes
    return response.content


def found_in(response, values):
    """Which of `values` occur in the response's body or headers (case-insensitive)."""
    text = body_of(response).decode("latin-1") + "\n".join(f"{k}: {v}" for k, v in response.items())
    lowered = text.lower()
    return [value for value in values if value.lower() in lowered]


def links_in(response, base):
    """Same-site addresses an HTML page, a feed or the sitemap points to."""
    content_type = response.get("Content-Type", "")
    found = []
    if content_type.startswith("text/html"):
        soup = BeautifulSoup(body_of(response), "html.parser")
        found = [tag.get("href") for tag in soup.find_all(["a", "link"], href=True)]
        found += [tag.get("src") for tag in soup.find_all(["img", "script"], src=True)]
    elif "xml" in content_type:
        root = ET.fromstring(body_of(response))
        found = [el.text for el in root.iter() if el.tag.split("}")[-1] in ("loc", "link") and el.text]
        found += [el.get("href") for el in root.iter() if el.get("href")]
    addresses = []
    for href in found:
        parts = urlsplit(urljoin(base, href.strip()))
        if parts.netloc in ("", "testserver") and parts.scheme in ("", "http", "https"):
            addresses.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return addresses


def crawl(client, start, within=lambda address: True, limit=400):
    """{address: response} of every address reachable from `start` by links, kept `within` (bounded:
    reaching `limit` means an endless family of addresses)."""
    seen, queue, responses = set(start), deque(start), {}
    while queue:
        address = queue.popleft()
        responses[address] = client.get(address)
        assert len(responses) < limit, "the crawl did not end: an endless family of addresses?"
        for link in links_in(responses[address], f"http://testserver{address}"):
            if link not in seen and within(link):
                seen.add(link)
                queue.append(link)
    return responses
