"""Every admin URL shape, walked by every role: who gets in, who is refused, and that a refusal (or an
allowed page) never shows a title, pseudonym, login or e-mail that role may not see."""

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article
from articles.revisions import record_revision, versions_of
from replies.models import Reply
from tests.admin.conftest import make_user
from tests.factories import make_article, make_author, make_tag

ROLES = ("anonymous", "author_user", "other_author_user", "editor", "superuser")
SECRET_TITLE = "Secret draft about dosage"
SECRET_TOPIC = "Secret topic"
UNPUBLISHED_PEN = "Unpublished Quill"
REPLY_NAME = "Private Replier"
DESK_LOGIN = "desk-login-7f3"  # an editor's login with no full name: history must not show it to authors

# What each role must never see: the owner's draft and profile (other author), the other author's and the
# unpublished profile (owner), and other people's logins and e-mails (everyone but superusers).
DRAFT_SECRETS = [SECRET_TITLE, "secret-draft-about-dosage", "Own Pen", UNPUBLISHED_PEN]
EMAILS = r"@example\.org"
SECRETS = {
    "anonymous": [*DRAFT_SECRETS, r"\bwriter\b", r"\botherwriter\b", r"\bed\b", EMAILS],
    "author_user": ["Other Pen", UNPUBLISHED_PEN, REPLY_NAME, r"\botherwriter\b", DESK_LOGIN, EMAILS],
    "other_author_user": [*DRAFT_SECRETS, r"\bwriter\b", DESK_LOGIN, EMAILS],
    "editor": [r"\bwriter\b", r"\botherwriter\b", r"\broot\b", DESK_LOGIN, EMAILS],
    "superuser": [],
}

# Outcomes
LOGIN = "sent to the login page"
OK = "200"
MOVED = "302 onwards"
HIDDEN = "treated as missing"  # 403, 404, or back to the admin index saying it does not exist
NOT_FOUND = "404"
DENIED = "403"
REFUSED = "lookup refused"  # 400, or the changelist's own "?e=1" error redirect
NO_LEAK = "anything but a 5xx, as long as nothing secret shows"


def expect(owner, other, editor, superuser=OK, anonymous=LOGIN):
    return {
        "anonymous": anonymous,
        "author_user": owner,
        "other_author_user": other,
        "editor": editor,
        "superuser": superuser,
    }


OWNER_AND_EDITORS = expect(OK, HIDDEN, OK)


@pytest.fixture
def world(author_user, other_author_user, editor, superuser):
    """A draft of the Author (with a topic and two revisions), a profile not yet public, a reply, and an
    editor's change in the draft's history."""
    topic = make_tag(SECRET_TOPIC)
    draft = make_article(SECRET_TITLE, author=author_user.author_profile, status=Article.Status.DRAFT)
    draft.tags.add(topic)
    record_revision(draft, author_user, "First version")
    Article.objects.filter(pk=draft.pk).update(body="A second body.")
    record_revision(Article.objects.get(pk=draft.pk), author_user, "Second version")
    older, newer = sorted(versions_of(draft), key=lambda version: version.pk)
    desk = make_user(DESK_LOGIN, "Editor")
    LogEntry.objects.log_actions(desk.pk, [draft], CHANGE, change_message="Checked the sources")
    public = make_article("A public piece", author=other_author_user.author_profile)
    reply = Reply.objects.create(article=public, name=REPLY_NAME, email="replier@example.org", text="Hi.")
    return SimpleNamespace(
        draft=draft,
        older=older,
        newer=newer,
        unpublished=make_author(UNPUBLISHED_PEN),
        reply=reply,
        owner_profile=author_user.author_profile,
        login=author_user,
    )


def shortcut(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def changelist(model, **query):
    return f"{reverse(f'admin:{model}_changelist')}?{urlencode(query)}"


def autocomplete(app_label, model_name, field_name, term=""):
    query = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    return f"{reverse('admin:autocomplete')}?{urlencode(query)}"


CASES = {
    "article change": (
        lambda w: reverse("admin:articles_article_change", args=[w.draft.pk]),
        OWNER_AND_EDITORS,
    ),
    "article history": (
        lambda w: reverse("admin:articles_article_history", args=[w.draft.pk]),
        OWNER_AND_EDITORS,
    ),
    "article delete": (
        lambda w: reverse("admin:articles_article_delete", args=[w.draft.pk]),
        expect(DENIED, HIDDEN, OK),
    ),
    "article revisions": (
        lambda w: reverse("admin:articles_article_revisions", args=[w.draft.pk]),
        OWNER_AND_EDITORS,
    ),
    "compare two revisions": (
        lambda w: (
            reverse("admin:articles_article_revisions", args=[w.draft.pk]) + f"?a={w.older.pk}&b={w.newer.pk}"
        ),
        OWNER_AND_EDITORS,
    ),
    "restore a revision (POST)": (
        lambda w: ("post", reverse("admin:articles_article_restore", args=[w.draft.pk, w.older.pk])),
        expect(MOVED, HIDDEN, MOVED, MOVED),
    ),
    "topic autocomplete": (
        lambda w: autocomplete("articles", "article", "tags"),
        expect(NO_LEAK, NO_LEAK, OK),
    ),
    "author autocomplete": (lambda w: autocomplete("articles", "article", "author"), expect(OK, OK, OK)),
    "login autocomplete": (
        lambda w: autocomplete("authors", "author", "user"),
        expect(DENIED, DENIED, DENIED),
    ),
    "login autocomplete with a term": (
        lambda w: autocomplete("authors", "author", "user", term="wr"),
        expect(DENIED, DENIED, DENIED),
    ),
    "view on site: a draft": (lambda w: shortcut(w.draft), expect(MOVED, NOT_FOUND, MOVED, MOVED)),
    "view on site: a profile not yet public": (
        lambda w: shortcut(w.unpublished),
        expect(NOT_FOUND, NOT_FOUND, MOVED, MOVED),
    ),
    "view on site: a login": (
        lambda w: shortcut(w.login),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "view on site: a reply": (lambda w: shortcut(w.reply), expect(NOT_FOUND, NOT_FOUND, MOVED, MOVED)),
    "view on site: a missing article": (
        lambda w: reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, 10**9]),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "view on site: a malformed id": (
        lambda w: reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, "x"]),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "view on site: an absurd id": (
        lambda w: reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, 10**30]),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "view on site: an unregistered model": (
        lambda w: reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(ContentType).pk, 1]),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "view on site: an unknown content type": (
        lambda w: reverse("admin:view_on_site", args=["not-a-type", 1]),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
    "article list by pseudonym": (
        lambda w: changelist("articles_article", pseudonym="Own Pen"),
        expect(NO_LEAK, NO_LEAK, OK),
    ),
    "article list by topic": (
        lambda w: changelist("articles_article", topic=SECRET_TOPIC),
        expect(NO_LEAK, NO_LEAK, OK),
    ),
    "article list by author id": (
        lambda w: changelist("articles_article", author__id__exact=w.owner_profile.pk),
        expect(OK, NO_LEAK, OK),
    ),
    "article list by the author's login": (
        lambda w: changelist("articles_article", author__user__username="writer"),
        expect(REFUSED, REFUSED, REFUSED, REFUSED),
    ),
    "article list by the reviewer's login": (
        lambda w: changelist("articles_article", reviewed_by__username__startswith="r"),
        expect(REFUSED, REFUSED, REFUSED, REFUSED),
    ),
    "author list by login": (
        lambda w: changelist("authors_author", user__username="writer"),
        expect(REFUSED, REFUSED, REFUSED, REFUSED),
    ),
    "author list by e-mail": (
        lambda w: changelist("authors_author", user__email__contains="example"),
        expect(REFUSED, REFUSED, REFUSED, REFUSED),
    ),
    "author list by real name": (
        lambda w: changelist("authors_author", user__last_name__startswith="R"),
        expect(REFUSED, REFUSED, REFUSED, REFUSED),
    ),
    "author profile change": (
        lambda w: reverse("admin:authors_author_change", args=[w.owner_profile.pk]),
        OWNER_AND_EDITORS,
    ),
    "author profile history": (
        lambda w: reverse("admin:authors_author_history", args=[w.owner_profile.pk]),
        OWNER_AND_EDITORS,
    ),
    "login list": (lambda w: reverse("admin:auth_user_changelist"), expect(DENIED, DENIED, DENIED)),
    "login change": (
        lambda w: reverse("admin:auth_user_change", args=[w.login.pk]),
        expect(DENIED, DENIED, DENIED),
    ),
    "login add": (lambda w: reverse("admin:auth_user_add"), expect(DENIED, DENIED, DENIED)),
    "role list": (lambda w: reverse("admin:auth_group_changelist"), expect(DENIED, DENIED, DENIED)),
    "logins in the app index": (
        lambda w: reverse("admin:app_list", args=["auth"]),
        expect(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    ),
}


def request_for(client, world, case):
    target = CASES[case][0](world)
    method, url = target if isinstance(target, tuple) else ("get", target)
    return client.post(url) if method == "post" else client.get(url)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_outcome(response, outcome):
    status, location = response.status_code, response.get("Location", "")
    if outcome == LOGIN:
        assert status == 302 and location.startswith(reverse("admin:login")), (status, location)
    elif outcome == OK:
        assert status == 200, status
    elif outcome == MOVED:
        assert status == 302 and not location.startswith(reverse("admin:login")), (status, location)
    elif outcome == NOT_FOUND:
        assert status == 404, status
    elif outcome == DENIED:
        assert status == 403, status
    elif outcome == HIDDEN:
        if status not in (403, 404):
            assert status == 302 and location == reverse("admin:index"), (status, location)
            assert any(
                "doesn\N{RIGHT SINGLE QUOTATION MARK}t exist" in message for message in messages_of(response)
            )
    elif outcome == REFUSED:
        assert status == 400 or (status == 302 and location.endswith("?e=1")), (status, location)
    else:
        assert status < 500, status


def assert_nothing_secret(response, role):
    shown = response.content.decode() + response.get("Location", "")
    leaked = [secret for secret in SECRETS[role] if re.search(secret, shown)]
    assert not leaked, f"{role} saw {leaked}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES)
def test_each_role_gets_only_what_it_may_see_at_every_admin_url(client, log_in, world, case, role):
    log_in(role)

    response = request_for(client, world, case)

    assert_outcome(response, CASES[case][1][role])
    assert_nothing_secret(response, role)


@pytest.mark.parametrize("role", ["author_user", "other_author_user", "editor"])
@pytest.mark.parametrize("case", [case for case in CASES if case.startswith("view on site")])
def test_view_on_site_answers_a_foreign_object_exactly_as_a_missing_one(client, log_in, world, case, role):
    log_in(role)

    response = request_for(client, world, case)

    if response.status_code == 404:
        missing = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, 10**9])
        page = response.content.decode().replace(response.wsgi_request.path, "<path>")
        assert page == client.get(missing).content.decode().replace(missing, "<path>")


def test_restoring_is_refused_to_another_author_and_changes_nothing(client, world, other_author_user):
    client.force_login(other_author_user)

    request_for(client, world, "restore a revision (POST)")

    assert Article.objects.get(pk=world.draft.pk).body == "A second body."
    assert versions_of(world.draft).count() == 2


def test_editor_edits_a_profile_but_cannot_see_or_change_its_login(client, world, editor, other_author_user):
    profile = world.owner_profile
    client.force_login(editor)
    url = reverse("admin:authors_author_change", args=[profile.pk])

    page = client.get(url)
    response = client.post(
        url, {"pseudonym": "Own Pen", "slug": profile.slug, "bio": "Edited.", "user": other_author_user.pk}
    )

    assert "user" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.bio, profile.user) == ("Edited.", world.login)


def test_superuser_links_a_login_to_a_profile(client, world, superuser):
    lone = User.objects.create_user("newcomer", "newcomer@example.org", "pw", is_staff=True)
    profile = world.unpublished
    client.force_login(superuser)
    url = reverse("admin:authors_author_change", args=[profile.pk])

    response = client.post(
        url, {"pseudonym": UNPUBLISHED_PEN, "slug": profile.slug, "bio": "", "user": lone.pk}
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.user == lone


def test_superuser_finds_logins_by_autocomplete(client, world, superuser):
    client.force_login(superuser)

    response = client.get(autocomplete("authors", "author", "user", term="otherwr"))

    assert [item["text"] for item in response.json()["results"]] == ["otherwriter"]


def test_history_names_an_editor_never_by_login(client, world, editor):
    LogEntry.objects.log_actions(
        User.objects.get(username=DESK_LOGIN).pk,
        [world.owner_profile],
        CHANGE,
        change_message="Fixed the bio",
    )
    client.force_login(editor)

    html = client.get(reverse("admin:authors_author_history", args=[world.owner_profile.pk])).content.decode()

    assert "Fixed the bio" in html and DESK_LOGIN not in html
