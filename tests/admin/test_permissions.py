"""Who may see and do what in the admin: authors, other authors, editors, superusers and the anonymous.

Everything goes through the admin's real URLs, and every POST is followed by a look at the database.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin import ArticleAdmin
from articles.models import Article
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article, make_author, make_tag

DRAFT, IN_REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.PUBLISHED
ROLES = ("anonymous", "author_user", "other_author_user", "editor", "superuser")


def own_article(author_user, status, **fields):
    return make_article(f"Own {status}", author=author_user.author_profile, status=status, **fields)


def at(moment):
    """The admin's split date/time widget values for `moment`."""
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


def form_of(response):
    assert response.status_code == 200, f"expected the form back with errors, got {response.status_code}"
    return response.context["adminform"].form


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_sent_to_login(response):
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def assert_hidden(response):
    """The admin treats the object as missing for this user: 403, 404, or back to the index saying so."""
    if response.status_code in (403, 404):
        return
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("admin:index")
    assert any(
        "doesn\N{RIGHT SINGLE QUOTATION MARK}t exist" in message for message in messages_of(response)
    ), messages_of(response)


def assert_refused(response, role):
    if role == "anonymous":
        assert_sent_to_login(response)
    else:
        assert_hidden(response)


def workflow_buttons(response):
    """The labels of the workflow buttons the change form offers."""
    html = response.content.decode()
    return re.findall(r'<button[^>]*name="_transition"[^>]*>([^<]*)</button>', html)


def public_page(article):
    """The article's public page as an anonymous reader gets it."""
    return Client().get(article.get_absolute_url())


# The article changelist


@pytest.mark.parametrize("role", ROLES)
def test_article_changelist_shows_authors_only_their_own_articles(client, log_in, role, author_user):
    own = [own_article(author_user, status) for status in (DRAFT, IN_REVIEW, PUBLISHED)]
    other_user = make_user("third", "Author")
    others = [make_article(author=make_author("Third Pen", user=other_user), status=DRAFT), make_article()]
    visible = {
        "anonymous": None,
        "author_user": own,
        "other_author_user": [],
        "editor": own + others,
        "superuser": own + others,
    }[role]
    log_in(role)

    response = client.get(reverse("admin:articles_article_changelist"))

    if visible is None:
        assert_sent_to_login(response)
    else:
        assert response.status_code == 200
        assert set(response.context["cl"].result_list) == set(visible)


# Opening and changing an article


@pytest.mark.parametrize("status", [DRAFT, IN_REVIEW])
@pytest.mark.parametrize(
    ("role", "may_change"),
    [
        ("anonymous", False),
        ("author_user", True),
        ("other_author_user", False),
        ("editor", True),
        ("superuser", True),
    ],
)
def test_unpublished_article_is_changed_only_by_its_author_and_editors(
    client, log_in, author_user, status, role, may_change
):
    article = own_article(author_user, status)
    log_in(role)

    page = client.get(change_url(article))
    response = client.post(change_url(article), form_data(article, title="Changed title", body="New body"))

    article.refresh_from_db()
    if may_change:
        assert page.status_code == 200 and 'name="_save"' in page.content.decode()
        assert response.status_code == 302, form_of(response).errors
        assert (article.title, article.body, article.version) == ("Changed title", "New body", 2)
    else:
        assert_refused(page, role)
        assert_refused(response, role)
        assert (article.title, article.version) == (f"Own {status}", 1)
    author_edited_in_review = may_change and role == "author_user" and status == IN_REVIEW
    assert article.status == (DRAFT if author_edited_in_review else status)  # back to draft: see #9


def test_author_sees_own_published_article_read_only(client, author_user):
    article = own_article(author_user, PUBLISHED)
    client.force_login(author_user)

    page = client.get(change_url(article))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in html and 'value="Save"' not in html
    assert workflow_buttons(page) == []
    assert "Prepare a change" in html  # a pending change, which readers do not see (#13)


def test_author_cannot_change_own_published_article_by_a_crafted_post(client, author_user):
    article = own_article(author_user, PUBLISHED)
    published_at = article.published_at
    client.force_login(author_user)

    response = client.post(change_url(article), form_data(article, title="Sneaky edit", body="Sneaky body"))

    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert (article.title, article.status, article.published_at, article.version) == (
        "Own published",
        PUBLISHED,
        published_at,
        1,
    )


@pytest.mark.parametrize(
    ("status", "transition"),
    [
        (DRAFT, "publish"),
        (DRAFT, "schedule"),
        (DRAFT, "request_changes"),
        (DRAFT, "unpublish"),
        (IN_REVIEW, "publish"),
        (IN_REVIEW, "schedule"),
        (IN_REVIEW, "request_changes"),
        (IN_REVIEW, "unpublish"),
    ],
)
def test_author_cannot_apply_editor_transitions(client, author_user, status, transition):
    article = own_article(author_user, status)
    client.force_login(author_user)
    data = form_data(
        article,
        _transition=transition,
        review_note="Please fix",
        **at(timezone.now() + timedelta(days=3)),
    )

    response = client.post(change_url(article), data)

    assert "not open to you" in str(form_of(response).non_field_errors())
    article.refresh_from_db()
    assert (article.status, article.published_at, article.review_note, article.version) == (
        status,
        None,
        "",
        1,
    )


def test_author_cannot_move_own_article_to_another_author(client, author_user, other_author_user, own_draft):
    client.force_login(author_user)

    response = client.post(
        change_url(own_draft), form_data(own_draft, author=other_author_user.author_profile.pk)
    )

    assert response.status_code == 302, form_of(response).errors
    own_draft.refresh_from_db()
    assert own_draft.author == author_user.author_profile


@pytest.mark.parametrize(
    "posted",
    [
        at(timezone.now() - timedelta(days=1)),
        {"review_note": "I approve of myself"},
        {"record_review": "on"},
    ],
    ids=["published_at", "review_note", "record_review"],
)
def test_author_cannot_set_editor_only_fields(client, author_user, own_draft, posted):
    client.force_login(author_user)

    response = client.post(change_url(own_draft), form_data(own_draft, title="Edited", **posted))

    assert response.status_code == 302, form_of(response).errors
    own_draft.refresh_from_db()
    assert own_draft.title == "Edited"  # the rest of the form was saved
    assert own_draft.published_at is None
    assert own_draft.review_note == ""
    assert (own_draft.reviewed_by, own_draft.reviewed_at) == (None, None)


def test_author_adds_article_as_own_draft_whoever_the_post_names(client, author_user, other_author_user):
    client.force_login(author_user)
    data = {
        "title": "My new article",
        "slug": "",
        "author": other_author_user.author_profile.pk,
        "summary": "",
        "body": "What helped me.",
        "status": PUBLISHED,
        "review_note": "",
        "disclosure": "",
        "hero_alt": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
        **at(timezone.now() - timedelta(days=1)),
    }

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302, form_of(response).errors
    article = Article.objects.get(title="My new article")
    assert article.author == author_user.author_profile
    assert (article.status, article.published_at) == (DRAFT, None)


def test_author_without_profile_is_told_and_nothing_is_created(client, db):
    lone_user = make_user("unlinked", "Author")
    client.force_login(lone_user)
    data = {
        "title": "Typed by an unlinked user",
        "slug": "",
        "summary": "",
        "body": "Words.",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:articles_article_add"), data)

    assert "not linked to an author profile" in str(form_of(response).non_field_errors())
    assert 'value="Typed by an unlinked user"' in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(("role", "may_delete"), [("author_user", False), ("editor", True)])
def test_only_editors_delete_articles(client, log_in, author_user, own_draft, role, may_delete):
    log_in(role)
    delete_url = reverse("admin:articles_article_delete", args=[own_draft.pk])

    page = client.get(delete_url)
    response = client.post(delete_url, {"post": "yes"})

    if may_delete:
        assert page.status_code == 200 and response.status_code == 302
    else:
        assert page.status_code == 403 and response.status_code == 403
    assert Article.objects.filter(pk=own_draft.pk).exists() is not may_delete


# Bulk actions


def bulk(client, action, articles):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "index": "0", "_selected_action": [article.pk for article in articles]},
    )


@pytest.mark.parametrize("action", ["bulk_publish", "bulk_unpublish", "delete_selected"])
def test_author_is_not_offered_editor_bulk_actions(client, author_user, action):
    articles = [own_article(author_user, status) for status in (DRAFT, IN_REVIEW, PUBLISHED)]
    before = [(a.pk, a.status, a.published_at, a.version) for a in articles]
    client.force_login(author_user)

    response = bulk(client, action, articles)

    assert response.status_code == 302
    assert "No action selected." in messages_of(response)
    after = [
        (a.pk, a.status, a.published_at, a.version)
        for a in Article.objects.filter(pk__in=[a.pk for a in articles])
    ]
    assert sorted(after) == sorted(before)


def test_bulk_submit_submits_only_the_authors_own_drafts(client, author_user, other_author_user):
    own_drafts = [
        own_article(author_user, DRAFT),
        make_article(author=author_user.author_profile, status=DRAFT),
    ]
    own_published = own_article(author_user, PUBLISHED)
    others_draft = make_article(author=other_author_user.author_profile, status=DRAFT)
    client.force_login(author_user)

    response = bulk(client, "bulk_submit", [*own_drafts, own_published, others_draft])

    assert response.status_code == 302
    statuses = dict(Article.objects.values_list("pk", "status"))
    assert [statuses[a.pk] for a in own_drafts] == [IN_REVIEW, IN_REVIEW]
    assert statuses[own_published.pk] == PUBLISHED
    assert statuses[others_draft.pk] == DRAFT


# Author profiles


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("author_user", {"Own Pen"}),
        ("other_author_user", {"Other Pen"}),
        ("editor", {"Own Pen", "Other Pen"}),
        ("superuser", {"Own Pen", "Other Pen"}),
    ],
)
def test_author_profile_changelist_shows_authors_only_their_own(
    client, log_in, author_user, other_author_user, role, visible
):
    log_in(role)

    response = client.get(reverse("admin:authors_author_changelist"))

    assert response.status_code == 200
    assert {author.pseudonym for author in response.context["cl"].result_list} == visible


def test_author_edits_own_profile_but_not_its_login_or_address(client, author_user, other_author_user):
    profile = author_user.author_profile
    client.force_login(author_user)
    url = reverse("admin:authors_author_change", args=[profile.pk])

    page = client.get(url)
    response = client.post(
        url, {"pseudonym": "New Pen", "bio": "A new bio.", "slug": "hijacked", "user": other_author_user.pk}
    )

    assert page.status_code == 200
    assert response.status_code == 302, form_of(response).errors
    profile.refresh_from_db()
    assert (profile.pseudonym, profile.bio) == ("New Pen", "A new bio.")
    # The address follows the new pseudonym (never the crafted one): the old one carried the old name.
    assert (profile.slug, profile.user) == ("new-pen", author_user)


@pytest.mark.parametrize("role", ["anonymous", "other_author_user"])
def test_author_profile_cannot_be_opened_or_changed_by_others(client, log_in, author_user, role):
    profile = author_user.author_profile
    log_in(role)
    url = reverse("admin:authors_author_change", args=[profile.pk])

    page = client.get(url)
    response = client.post(url, {"pseudonym": "Defaced", "bio": "Defaced"})

    assert_refused(page, role)
    assert_refused(response, role)
    profile.refresh_from_db()
    assert (profile.pseudonym, profile.bio, profile.user) == ("Own Pen", "", author_user)


# The editor's workflow


def test_editor_publishes_an_article_now(client, editor, author_user):
    article = own_article(author_user, IN_REVIEW)
    client.force_login(editor)

    response = client.post(change_url(article), form_data(article, _transition="publish"))

    assert response.status_code == 302, form_of(response).errors
    article.refresh_from_db()
    assert article.status == PUBLISHED
    assert abs(article.published_at - timezone.now()) < timedelta(minutes=1)
    assert public_page(article).status_code == 200


def test_scheduled_article_is_hidden_until_its_time(client, editor, author_user):
    article = own_article(author_user, IN_REVIEW)
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    client.force_login(editor)

    response = client.post(change_url(article), form_data(article, _transition="schedule", **at(when)))

    assert response.status_code == 302, form_of(response).errors
    article.refresh_from_db()
    assert (article.status, article.published_at) == (PUBLISHED, when)
    assert public_page(article).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(minutes=1))
    assert public_page(article).status_code == 200


def test_scheduling_in_the_past_is_refused_and_keeps_what_was_typed(client, editor, author_user):
    article = own_article(author_user, IN_REVIEW)
    client.force_login(editor)
    data = form_data(
        article, title="A better title", _transition="schedule", **at(timezone.now() - timedelta(days=1))
    )

    response = client.post(change_url(article), data)

    assert "published_at" in form_of(response).errors
    assert 'value="A better title"' in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.published_at, article.title, article.version) == (
        IN_REVIEW,
        None,
        "Own in_review",
        1,
    )


def test_requesting_changes_needs_a_note(client, editor, author_user):
    article = own_article(author_user, IN_REVIEW)
    client.force_login(editor)

    response = client.post(change_url(article), form_data(article, _transition="request_changes"))

    assert "review_note" in form_of(response).errors
    article.refresh_from_db()
    assert (article.status, article.version) == (IN_REVIEW, 1)


def test_requested_changes_go_back_to_the_author_with_the_note(client, editor, author_user):
    article = own_article(author_user, IN_REVIEW)
    client.force_login(editor)

    response = client.post(
        change_url(article),
        form_data(article, _transition="request_changes", review_note="Please cite the trial."),
    )

    assert response.status_code == 302, form_of(response).errors
    article.refresh_from_db()
    assert (article.status, article.review_note) == (DRAFT, "Please cite the trial.")
    client.force_login(author_user)
    page = client.get(change_url(article))
    assert page.status_code == 200
    assert "Please cite the trial." in page.content.decode()


def test_editor_unpublishes_an_article(client, editor, author_user):
    article = own_article(author_user, PUBLISHED)
    client.force_login(editor)

    response = client.post(change_url(article), form_data(article, _transition="unpublish"))

    assert response.status_code == 302, form_of(response).errors
    article.refresh_from_db()
    assert (article.status, article.published_at) == (DRAFT, None)
    assert public_page(article).status_code == 404


def test_editor_records_a_medical_review_shown_to_readers(client, editor, author_user):
    article = own_article(author_user, PUBLISHED)
    client.force_login(editor)

    response = client.post(change_url(article), form_data(article, record_review="on"))

    assert response.status_code == 302, form_of(response).errors
    article.refresh_from_db()
    assert article.reviewed_by == editor
    assert abs(article.reviewed_at - timezone.now()) < timedelta(minutes=1)
    assert "Medically reviewed by Erin Reviewer on" in public_page(article).content.decode()


def test_article_never_reviewed_says_so_to_readers(author_user):
    article = own_article(author_user, PUBLISHED)

    page = public_page(article)

    assert page.status_code == 200
    assert "has not been medically reviewed" in page.content.decode()


# The change form's buttons


@pytest.mark.parametrize(
    ("role", "status", "buttons"),
    [
        ("author_user", DRAFT, ["Submit for review"]),
        ("author_user", IN_REVIEW, []),
        ("author_user", PUBLISHED, []),
        ("editor", IN_REVIEW, ["Publish", "Schedule", "Request changes"]),
        ("editor", PUBLISHED, ["Unpublish"]),
        ("superuser", IN_REVIEW, ["Publish", "Schedule", "Request changes"]),
        ("superuser", PUBLISHED, ["Unpublish"]),
    ],
)
def test_change_form_offers_only_the_steps_open_to_the_user(
    client, log_in, author_user, role, status, buttons
):
    article = own_article(author_user, status)
    log_in(role)

    page = client.get(change_url(article))

    assert page.status_code == 200
    assert workflow_buttons(page) == buttons


# The review queue


@pytest.mark.parametrize("role", ROLES)
def test_review_queue_lists_articles_in_review_oldest_submission_first_for_editors(
    client, log_in, author_user, role
):
    now = timezone.now()
    newest = own_article(author_user, IN_REVIEW, submitted_at=now - timedelta(hours=1))
    oldest = make_article(
        "Oldest", author=author_user.author_profile, status=IN_REVIEW, submitted_at=now - timedelta(days=3)
    )
    middle = make_article(
        "Middle", author=author_user.author_profile, status=IN_REVIEW, submitted_at=now - timedelta(days=1)
    )
    own_article(author_user, DRAFT)
    own_article(author_user, PUBLISHED)
    log_in(role)

    response = client.get(reverse("admin:articles_reviewqueue_changelist"))

    if role == "anonymous":
        assert_sent_to_login(response)
    elif role in ("editor", "superuser"):
        assert response.status_code == 200
        assert [a.pk for a in response.context["cl"].result_list] == [oldest.pk, middle.pk, newest.pk]
    else:
        assert response.status_code == 403


# Preview of unpublished articles on the site


@pytest.mark.parametrize("status", [DRAFT, IN_REVIEW])
@pytest.mark.parametrize(
    ("role", "may_preview"),
    [
        ("anonymous", False),
        ("author_user", True),
        ("other_author_user", False),
        ("editor", True),
        ("superuser", True),
    ],
)
def test_unpublished_article_is_previewed_only_by_its_author_and_editors(
    client, log_in, author_user, status, role, may_preview
):
    article = own_article(author_user, status)
    log_in(role)

    page = client.get(article.get_absolute_url())

    if may_preview:
        assert page.status_code == 200
        assert "Preview — not published" in page.content.decode()
    else:
        assert page.status_code == 404


# The cost of the changelist


def changelist_queries(client, count):
    """The SQL of the editor's article changelist with `count` articles of 3 tags each (rolled back after)."""
    with transaction.atomic():
        tags = [make_tag(f"Topic {number}") for number in range(5)]
        for number in range(count):
            make_article(tags=tags[number % 3 : number % 3 + 3], days_ago=number + 1)
        url = reverse("admin:articles_article_changelist")
        client.get(url)  # warm-up: per-process caches (content types, ...) are filled before measuring
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) == min(count, ArticleAdmin.list_per_page)
        transaction.set_rollback(True)
    return [query["sql"] for query in captured.captured_queries]


def test_article_changelist_costs_the_same_queries_for_3_and_30_articles(client, editor):
    client.force_login(editor)

    small, large = changelist_queries(client, 3), changelist_queries(client, 30)

    assert len(small) == len(large), "\n".join(large)
