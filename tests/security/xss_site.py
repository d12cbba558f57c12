"""One data set with the XSS corpus spread over every field a person can fill.

Long text fields carry the whole corpus; each short field gets the corpus packed into as many
objects as it takes, so that every payload is in every field of some object. Replies go through the
real reply form and the moderators' approval action; everything else is saved through the models,
with values the admin's forms accept (what they refuse is tested in test_typed_addresses_refused.py).
"""

import io
import time
from dataclasses import dataclass, field
from unittest import mock
from urllib.parse import quote

from bs4 import BeautifulSoup
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Correction, Source
from articles.revisions import record_revision
from tests.factories import make_article, make_author, make_tag
from tests.security.xss_payloads import ALL_IN_ONE, PAYLOADS, packed

REPLY_TEXT_LIMIT = 3000
WRITING_TIME = 60  # seconds a reader "spends" on the form before sending it (the form wants a few)


@dataclass(repr=False)
class XssSite:
    editor: object
    author_login: object = None  # the login of the showcase's author
    authors_draft: object = None  # sent back to that author with the editor's note
    articles: list = field(default_factory=list)  # published, one per author
    authors: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    in_review: list = field(default_factory=list)
    replies: list = field(default_factory=list)

    @property
    def showcase(self):
        """The article carrying every topic, source, correction and reply."""
        return self.articles[0]

    @property
    def title_articles(self):
        """The fewest published articles whose titles, summaries and picture descriptions hold the corpus."""
        needed = max(len(packed(200)), len(packed(300)))
        return self.articles[:needed]


def tiny_png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 120, 80)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def source_url(payload):
    """An address the source form accepts that carries the payload's quotes and brackets."""
    validate = URLValidator(schemes=["http", "https"])
    for safe in ("<>\"'`/:=();!&#", ""):
        url = f"https://example.org/?xss={quote(payload, safe=safe)}"
        try:
            validate(url)
        except ValidationError:
            continue
        return url
    raise AssertionError(f"no valid address for {payload!r}")


def build_xss_site(client, editor):
    """Create the data set (published articles, in-review articles, topics, authors, replies,
    revisions, log entries) and return it."""
    editor.first_name, editor.last_name = packed(150)[0][:150], "Reviewer"
    editor.save()
    site = XssSite(editor=editor)
    pseudonyms, titles, summaries, alts = packed(80), packed(200), packed(300), packed(200)
    site.topics = [make_tag(name, description=ALL_IN_ONE) for name in packed(100)]
    site.authors = [make_author(pseudonym, bio=ALL_IN_ONE) for pseudonym in pseudonyms]
    for i, author in enumerate(site.authors):
        site.articles.append(
            make_article(
                titles[i % len(titles)],
                author=author,
                tags=[site.topics[i % len(site.topics)]],
                days_ago=i + 1,
                summary=summaries[i % len(summaries)],
                body=ALL_IN_ONE,
                disclosure=ALL_IN_ONE,
                review_note=ALL_IN_ONE,
                hero_alt=alts[i % len(alts)],
                hero_image=tiny_png(f"{i}.png"),
            )
        )
    _fill_showcase(site)
    for i, title in enumerate(titles):
        article = make_article(title, author=site.authors[i], status=Article.Status.IN_REVIEW, body=ALL_IN_ONE,
                               summary=summaries[i % len(summaries)], disclosure=ALL_IN_ONE)  # fmt: skip
        article.submitted_at = timezone.now()
        article.tags.set(site.topics)
        article.save()
        site.in_review.append(article)
    _give_the_showcase_author_a_login(site)
    _record_reviews(site)
    _log_admin_actions(site)
    _post_and_approve_replies(site, client)
    return site


def _fill_showcase(site):
    showcase = site.showcase
    showcase.tags.set(site.topics)
    for position, payload in enumerate(PAYLOADS):
        Source.objects.create(
            article=showcase, title=payload.text, url=source_url(payload.text), position=position
        )
    for title in packed(300):
        Source.objects.create(article=showcase, title=title, position=len(PAYLOADS))
    Correction.objects.create(article=showcase, text=ALL_IN_ONE)
    # Two revisions with different content, so that "compare" has payloads on both sides.
    current = (showcase.title, showcase.summary, showcase.body)
    showcase.title, showcase.summary, showcase.body = packed(200)[-1], packed(300)[-1], ALL_IN_ONE[::-1]
    showcase.save()
    record_revision(showcase, site.editor, "Created")
    showcase.title, showcase.summary, showcase.body = current
    showcase.save()
    record_revision(showcase, site.editor, "Changed")


def _give_the_showcase_author_a_login(site):
    login = User.objects.create_user("xss-author", "xss-author@example.org", is_staff=True)
    login.groups.add(Group.objects.get(name="Author"))
    author = site.showcase.author
    author.user = login
    author.save()
    site.author_login = login
    site.authors_draft = make_article(
        packed(200)[1], author=author, status=Article.Status.DRAFT, body=ALL_IN_ONE, review_note=ALL_IN_ONE
    )
    record_revision(site.authors_draft, site.editor, "Changes requested")


def _record_reviews(site):
    for article in site.articles:
        record = getattr(article, "record_review", None)
        if record:  # the model keeps which content was reviewed
            record(site.editor)
        else:
            article.reviewed_by, article.reviewed_at = site.editor, timezone.now()
        article.save()


def _log_admin_actions(site):
    for article in [*site.title_articles, *site.in_review]:
        LogEntry.objects.log_actions(
            user_id=site.editor.pk,
            queryset=[article],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": ["Title", "Summary"]}}],
            single_object=True,
        )


def reply_model():
    return Article._meta.get_field("replies").related_model


def reply_form_inputs(client, article, address="198.51.100.1"):
    """{name: value} of the reply form's inputs as the article page shows them (the token among them)."""
    page = client.get(article.get_absolute_url(), REMOTE_ADDR=address).content.decode()
    start = page.rindex("<form", 0, page.index('id="reply-form"'))  # only the form: the page is long
    form = BeautifulSoup(page[start : page.index("</form>", start)], "html.parser").form
    return {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}


def post_reply(client, article, name, text, email="reader@example.org", address="198.51.100.1"):
    """Send a reply through the article page's own form, as a reader who took a minute to write it."""
    data = {**reply_form_inputs(client, article, address), "name": name, "email": email, "text": text}
    with mock.patch("time.time", return_value=time.time() + WRITING_TIME):
        response = client.post(reverse("replies:post", args=[article.slug]), data, REMOTE_ADDR=address)
    assert response.status_code == 302, f"reply refused: {response.content.decode()[:2000]}"


def approve_replies(editor, replies):
    """Approve `replies` with the moderators' bulk action, as an editor does in the admin."""
    from django.test import Client

    opts = reply_model()._meta
    moderator = Client()
    moderator.force_login(editor)
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    selected = [str(reply.pk) for reply in replies]
    response = moderator.post(url, {"action": "approve", "_selected_action": selected, "index": 0})
    assert response.status_code == 302, response.content.decode()[:2000]


def _post_and_approve_replies(site, client):
    names, texts = packed(80), packed(REPLY_TEXT_LIMIT, separator="\n")
    for i in range(max(len(names), len(texts))):
        # Each from its own address: the form limits how many replies one reader sends at a time.
        address = f"198.51.100.{i + 1}"
        text = texts[i] if i < len(texts) else "Thank you for writing this."
        post_reply(client, site.showcase, names[i % len(names)], text, address=address)
    site.replies = list(reply_model().objects.all())
    approve_replies(site.editor, site.replies)
