"""The XSS corpus is text on every admin page where an editor sees what authors and readers typed:
lists, change forms, revisions and their comparison, history, the review queue, reply moderation,
topics, authors and the confirmation pages of their bulk actions."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from reversion.models import Version

from tests.security.markup import page_problems, report
from tests.security.xss_payloads import PAYLOADS, markers_in, packed
from tests.security.xss_site import reply_model

EVERY_PAYLOAD = {p.number for p in PAYLOADS}


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def article_admin(view, *args):
    return reverse(f"admin:articles_article_{view}", args=args)


def changelist_pages(site):
    return [f"{article_admin('changelist')}?p={n}" for n in (1, 2, 3)]


def changelist_searches(site):
    typed = [{"q": text} for text in packed(1000)]
    typed += [{"pseudonym": text, "topic": text} for text in packed(1000)]
    typed += [{"pseudonym": site.authors[0].pseudonym}, {"topic": site.topics[0].name}]
    return [f"{article_admin('changelist')}?{urlencode(query)}" for query in typed]


def change_forms(site):
    return [article_admin("change", a.pk) for a in site.title_articles]


def comparison(site):
    versions = list(Version.objects.get_for_object(site.showcase).order_by("pk"))
    return [f"{article_admin('revisions', site.showcase.pk)}?a={versions[0].pk}&b={versions[-1].pk}"]


def replies(site):
    model = reply_model()
    return [admin_url(model, "changelist"), *(admin_url(model, "change", r.pk) for r in site.replies[:3])]


# (addresses, whether every payload is expected on the page type)
ADMIN_PAGES = {
    "index (recent actions)": (lambda site: [reverse("admin:index")], False),
    "article list": (changelist_pages, True),
    "article list, searched and filtered": (changelist_searches, True),
    "article change form": (change_forms, True),
    "revisions": (lambda site: [article_admin("revisions", site.showcase.pk)], False),
    "revisions compared": (comparison, True),
    "history": (lambda site: [article_admin("history", a.pk) for a in site.title_articles], True),
    "review queue": (lambda site: [reverse("admin:articles_reviewqueue_changelist")], True),
    "reply moderation": (replies, True),
    "topic list": (lambda site: [reverse("admin:articles_tag_changelist")], True),
    "topic change form": (
        lambda site: [reverse("admin:articles_tag_change", args=[site.topics[0].pk])],
        True,
    ),
    "author list": (lambda site: [reverse("admin:authors_author_changelist")], True),
    "author change form": (
        lambda site: [reverse("admin:authors_author_change", args=[site.authors[0].pk])],
        True,
    ),
}


def read_admin_pages(editor_client, urls):
    bodies = {}
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        bodies[url] = response.content.decode()
    return bodies


def assert_payloads_are_text(bodies, every_payload):
    problems = {url: page_problems(body) for url, body in bodies.items()}
    shown = set().union(*(markers_in(body) for body in bodies.values()))

    assert not any(problems.values()), report({url: p for url, p in problems.items() if p})
    assert shown, "no payload reached the page"
    if every_payload:
        assert shown == EVERY_PAYLOAD, f"never shown: {sorted(EVERY_PAYLOAD - shown)}"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_every_payload_reaches_the_admin_page_as_text_only(editor_client, xss_site, page):
    urls, every_payload = ADMIN_PAGES[page]

    assert_payloads_are_text(read_admin_pages(editor_client, urls(xss_site)), every_payload)


BULK_CONFIRMATIONS = {
    "merge topics": ("articles_tag_changelist", "merge_topics", lambda site: site.topics),
    "take authors down": ("authors_author_changelist", "take_down", lambda site: site.authors),
}


@pytest.mark.parametrize("action", BULK_CONFIRMATIONS)
def test_every_payload_is_text_on_a_bulk_action_confirmation(editor_client, xss_site, action):
    changelist, name, objects = BULK_CONFIRMATIONS[action]
    selected = [str(obj.pk) for obj in objects(xss_site)]

    response = editor_client.post(
        reverse(f"admin:{changelist}"), {"action": name, "_selected_action": selected}
    )

    assert response.status_code == 200
    assert_payloads_are_text({action: response.content.decode()}, every_payload=True)


AUTHOR_PAGES = {
    "article list": lambda site: [article_admin("changelist")],
    "published article (read only)": lambda site: [article_admin("change", site.showcase.pk)],
    "article in review": lambda site: [article_admin("change", site.in_review[0].pk)],
    "draft with the editor's note": lambda site: [article_admin("change", site.authors_draft.pk)],
    "revisions compared": comparison,
    "own profile": lambda site: [reverse("admin:authors_author_change", args=[site.showcase.author.pk])],
}


@pytest.mark.parametrize("page", AUTHOR_PAGES)
def test_every_payload_reaches_the_authors_admin_page_as_text_only(author_client, xss_site, page):
    # An author sees many fields read-only: another way of rendering them.
    bodies = read_admin_pages(author_client, AUTHOR_PAGES[page](xss_site))

    assert_payloads_are_text(bodies, every_payload=page != "article list")
