"""The article form's writing aids: the live preview is the publishing code's own HTML, sanitised; the
autosaved copy is private to its writer, never public, never a revision, and offered back until the
article is saved."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.rendering import render_markdown
from tests.admin.conftest import change_url, form_data
from tests.factories import make_article
from writing.models import AutosavedCopy

BODY = "## How it went\n\nI tried **warm water** exercise.\n\n<script>alert(1)</script>\n\n[a link](javascript:alert(1))"


def test_the_preview_is_the_html_readers_get_sanitised(client, author_user):
    client.force_login(author_user)

    response = client.post(reverse("writing:preview"), {"body": BODY})

    data = response.json()
    assert data["html"] == render_markdown(BODY).html
    assert (
        '<h2 id="how-it-went">How it went</h2>' in data["html"]
        and "<strong>warm water</strong>" in data["html"]
    )
    assert "<script" not in data["html"] and "javascript:" not in data["html"]
    assert (
        data["words"] == 10
    )  # the script is gone: "How it went", the sentence, "a link" and data["minutes"] == 1


def test_the_preview_is_for_staff_only(client, db):
    response = client.post(reverse("writing:preview"), {"body": BODY})

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


@pytest.fixture
def draft(author_user):
    return make_article(
        "My draft", author=author_user.author_profile, status=Article.Status.DRAFT, body="Saved text."
    )


def autosave(client, article, **fields):
    return client.post(reverse("writing:autosave", args=[article.pk]), {"title": article.title, **fields})


def restored(client, article):
    return client.get(reverse("writing:restore", args=[article.pk])).json()["copy"]


def test_work_in_progress_is_kept_and_offered_back_on_the_next_visit(client, author_user, draft):
    client.force_login(author_user)
    versions = Version.objects.count()

    assert autosave(client, draft, body="Unsaved words.").status_code == 200
    assert autosave(client, draft, body="Unsaved words, and more.").status_code == 200

    assert restored(client, draft)["body"] == "Unsaved words, and more."
    assert AutosavedCopy.objects.count() == 1
    draft.refresh_from_db()
    assert (
        draft.body == "Saved text." and Version.objects.count() == versions
    )  # not the article, not a revision


def test_an_autosaved_copy_is_never_public(client, author_user, editor):
    live = make_article("Live one", author=author_user.author_profile)
    client.force_login(editor)
    autosave(client, live, body="A secret half-sentence")
    client.logout()

    page = client.get(live.get_absolute_url())

    assert page.status_code == 200 and "A secret half-sentence" not in page.content.decode()


def test_saving_the_form_makes_the_copy_stale(client, author_user, draft):
    client.force_login(author_user)
    autosave(client, draft, body="Almost there.")
    data = form_data(draft, body="Almost there.")
    data.pop("author")

    assert client.post(change_url(draft), data).status_code == 302

    assert restored(client, draft) is None and not AutosavedCopy.objects.exists()


def test_a_new_article_has_its_copy_until_it_is_added(client, author_user):
    client.force_login(author_user)
    client.post(reverse("writing:autosave_new"), {"title": "Fresh", "body": "Beginnings."})

    assert client.get(reverse("writing:restore_new")).json()["copy"]["body"] == "Beginnings."
    client.post(reverse("writing:discard_new"))
    assert client.get(reverse("writing:restore_new")).json()["copy"] is None


@pytest.mark.parametrize("step", ["autosave", "restore", "discard"])
def test_nobody_reaches_another_writers_article_or_copy(client, author_user, other_author_user, draft, step):
    client.force_login(author_user)
    autosave(client, draft, body="Mine only.")
    client.force_login(other_author_user)

    url = reverse(f"writing:{step}", args=[draft.pk])
    response = client.get(url) if step == "restore" else client.post(url, {"body": "Theirs"})

    assert response.status_code == 404
    assert AutosavedCopy.objects.get().body == "Mine only."


def test_an_editor_sees_only_their_own_copy(client, author_user, editor, draft):
    client.force_login(author_user)
    autosave(client, draft, body="The author's words.")
    client.force_login(editor)

    assert restored(client, draft) is None


def test_an_over_long_body_is_refused_with_a_message(client, author_user, draft):
    client.force_login(author_user)

    response = autosave(client, draft, body="x" * 200_001)

    assert response.status_code == 400 and response.json() == {"error": "Too long to keep."}
