"""In the admin, a medical review that no longer covers the text is flagged, its changes are shown,
and publishing such an article (button or bulk action) first makes the editor read them."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from articles.models import Article, Source
from articles.revisions import record_revision
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


IN_REVIEW, PUBLISHED = Article.Status.IN_REVIEW, Article.Status.PUBLISHED


def reviewed(article, user):
    """`article` with `user`'s medical review recorded, saved, and kept as a revision (as the admin does)."""
    article.record_review(user)
    article.save()
    record_revision(article, user, "Reviewed")
    return article


def rewritten(article, user, body="Stop all your medication today."):
    """`article` after someone rewrote its body since the review (saved as the admin saves)."""
    article.body = body
    article.version += 1
    article.save()
    record_revision(article, user, "Changed")
    return Article.objects.get(pk=article.pk)


@pytest.fixture
def outdated(editor):
    """An article in review whose body changed after its medical review."""
    article = reviewed(make_article("Outdated", body="Ask your doctor first.", status=IN_REVIEW), editor)
    return rewritten(article, editor)


@pytest.fixture
def current(editor):
    return reviewed(make_article("Current", body="Reviewed words.", status=IN_REVIEW), editor)


def sources_posted(*sources):
    data = {"sources-TOTAL_FORMS": str(len(sources)), "sources-INITIAL_FORMS": "0"}
    for n, (title, url) in enumerate(sources):
        data.update({f"sources-{n}-title": title, f"sources-{n}-url": url, f"sources-{n}-position": "0"})
    return data


def errors_of(response):
    assert response.status_code == 200, response
    return " ".join(str(e) for e in response.context["errors"])


# The article list


def test_the_list_flags_an_out_of_date_review_and_filters_on_it(client, editor, outdated, current):
    client.force_login(editor)
    page = client.get(CHANGELIST).content.decode()
    flagged = client.get(CHANGELIST + "?review=outdated").context["cl"].result_list
    assert page.count("Review out of date") == 2  # the filter choice and the flagged article
    assert [a.title for a in flagged] == ["Outdated"]
    queue = client.get(reverse("admin:articles_reviewqueue_changelist")).content.decode()
    assert queue.count("Review out of date") == 1


# The change form


def test_the_change_form_shows_what_changed_since_the_reviewed_revision(client, editor, outdated):
    client.force_login(editor)
    response = client.get(change_url(outdated))
    rows = {label: str(html) for label, _, html in response.context["review_changes"]}
    assert rows == {"Body": "<del>Ask your doctor first.</del>\n<ins>Stop all your medication today.</ins>"}
    assert "Review out of date" in response.content.decode()


def test_a_source_changed_in_the_admin_alone_makes_the_review_out_of_date_and_shows_in_the_diff(
    client, editor, current
):
    client.force_login(editor)
    response = client.post(
        change_url(current), form_data(current, **sources_posted(("A forum", "https://example.net")))
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=current.pk).review_out_of_date
    rows = {label: str(html) for label, _, html in client.get(change_url(current)).context["review_changes"]}
    assert rows == {"Sources": "<ins>A forum &lt;https://example.net&gt;</ins>"}


def test_recording_a_review_with_new_sources_covers_those_sources(client, editor, current):
    client.force_login(editor)
    data = form_data(current, record_review="on", **sources_posted(("A trial", "https://example.net/t")))
    assert client.post(change_url(current), data).status_code == 302
    article = Article.objects.get(pk=current.pk)
    assert article.review_is_current and article.sources.count() == 1
    assert "medical review recorded" in client.get(revisions_url(article)).content.decode()


def reviewer_field(client, article):
    page = BeautifulSoup(client.get(change_url(article)).content, "html.parser")
    return page.select_one(".field-reviewer .readonly").text.strip()


def test_the_reviewer_is_shown_by_full_name_or_as_an_editor_never_by_login(client, editor, author_user):
    article = make_article(author=author_user.author_profile, status=Article.Status.DRAFT)
    client.force_login(author_user)
    reviewed(article, editor)
    assert reviewer_field(client, article) == "Erin Reviewer"
    reviewed(article, make_user("desk-login-9", "Editor"))
    assert reviewer_field(client, article) == "an editor"
    assert "desk-login-9" not in client.get(change_url(article)).content.decode()


# The Publish and Schedule buttons


@pytest.mark.parametrize("step", ["publish", "schedule"])
def test_publishing_an_out_of_date_article_is_refused_until_the_changes_are_read(
    client, editor, outdated, step
):
    client.force_login(editor)
    when = {"published_at_0": "2099-01-01", "published_at_1": "10:00:00"} if step == "schedule" else {}
    data = form_data(outdated, title="A title I typed", _transition=step, **when)

    response = client.post(change_url(outdated), data)

    assert "differs from what the medical review covered" in errors_of(response)
    assert 'value="A title I typed"' in response.content.decode()  # what was typed is kept
    assert Article.objects.get(pk=outdated.pk).status == IN_REVIEW
    acknowledged = client.post(change_url(outdated), {**data, "acknowledge_review_changes": "on"})
    assert acknowledged.status_code == 302
    article = Article.objects.get(pk=outdated.pk)
    assert (article.status, article.title, article.review_out_of_date) == (PUBLISHED, "A title I typed", True)


def test_publishing_with_a_new_review_makes_the_review_current(client, editor, outdated):
    client.force_login(editor)
    response = client.post(
        change_url(outdated), form_data(outdated, _transition="publish", record_review="on")
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=outdated.pk)
    assert article.status == PUBLISHED and article.review_is_current


def test_changing_the_text_while_publishing_a_reviewed_article_needs_the_same_reading(
    client, editor, current
):
    client.force_login(editor)
    response = client.post(change_url(current), form_data(current, body="New claims.", _transition="publish"))
    assert "differs from what the medical review covered" in errors_of(response)
    assert Article.objects.get(pk=current.pk).status == IN_REVIEW


def test_changing_the_sources_while_publishing_a_reviewed_article_needs_the_same_reading(
    client, editor, current
):
    client.force_login(editor)
    data = form_data(current, _transition="publish", **sources_posted(("A blog", "https://example.net/b")))

    response = client.post(change_url(current), data)

    assert "differs from what the medical review covered" in errors_of(response)
    assert (Article.objects.get(pk=current.pk).status, Source.objects.count()) == (IN_REVIEW, 0)


def test_an_article_whose_review_is_current_publishes_as_before(client, editor, current):
    client.force_login(editor)
    assert client.post(change_url(current), form_data(current, _transition="publish")).status_code == 302
    assert Article.objects.get(pk=current.pk).status == PUBLISHED


# The bulk Publish action


def bulk_publish(client, articles, **extra):
    data = {"action": "bulk_publish", "index": "0", "_selected_action": [a.pk for a in articles], **extra}
    return client.post(CHANGELIST, data)


def test_bulk_publish_first_shows_each_out_of_date_article_with_its_changes(
    client, editor, outdated, current
):
    client.force_login(editor)

    response = bulk_publish(client, [outdated, current])

    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    listed = [h.text for h in page.select(".review-changes h2")]
    assert listed == ["Outdated"]
    assert "<ins>Stop all your medication today.</ins>" in str(page.select_one(".review-changes"))
    assert set(Article.objects.values_list("status", flat=True)) == {IN_REVIEW}  # nothing published yet


def confirmation_answer(response):
    """What the confirmation page's form posts."""
    form = BeautifulSoup(response.content, "html.parser").select_one("#content form")
    posted = {}
    for field in form.select("input[name]"):
        posted.setdefault(field["name"], []).append(field.get("value", ""))
    return posted


def test_bulk_publish_publishes_everything_once_confirmed(client, editor, outdated, current):
    client.force_login(editor)
    answer = confirmation_answer(bulk_publish(client, [outdated, current]))

    response = client.post(CHANGELIST, answer)

    assert response.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {PUBLISHED}


def test_a_confirmation_is_for_the_changes_shown_a_later_edit_asks_again(client, editor, outdated):
    client.force_login(editor)
    answer = confirmation_answer(bulk_publish(client, [outdated]))
    rewritten(outdated, editor, body="Changed again after the page was shown.")

    response = client.post(CHANGELIST, answer)

    assert response.status_code == 200
    assert "<ins>Changed again after the page was shown.</ins>" in response.content.decode()
    assert Article.objects.get(pk=outdated.pk).status == IN_REVIEW


def test_bulk_publish_without_out_of_date_reviews_publishes_at_once(client, editor, current):
    client.force_login(editor)
    never = make_article(status=IN_REVIEW)
    assert bulk_publish(client, [current, never]).status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {PUBLISHED}


# Names, never logins


@pytest.fixture
def desk_edited(author_user):
    """The author's draft, last saved by an editor whose login has no full name."""
    desk = make_user("desk-login-9", "Editor")
    article = make_article("Own", author=author_user.author_profile, status=Article.Status.DRAFT)
    record_revision(article, author_user, "Created")
    record_revision(article, desk, "Changed")
    LogEntry.objects.log_actions(desk.pk, [article], CHANGE, change_message="Checked the sources")
    return article


@pytest.mark.parametrize(
    ("page", "names"),
    [
        ("admin:articles_article_revisions", ["an editor", "Own Pen"]),  # the author by pseudonym
        ("admin:articles_article_history", ["an editor"]),
    ],
)
def test_revisions_and_history_name_people_never_by_login(client, author_user, desk_edited, page, names):
    client.force_login(author_user)
    html = client.get(reverse(page, args=[desk_edited.pk])).content.decode()
    assert all(name in html for name in names)
    assert "desk-login-9" not in html


def test_the_edit_conflict_names_who_saved_by_full_name(client, editor, author_user):
    article = make_article("Shared", author=author_user.author_profile, status=Article.Status.DRAFT)
    opened = form_data(article)
    client.force_login(editor)
    client.post(change_url(article), form_data(article, body="Editor's paragraph."))
    client.force_login(author_user)
    html = client.post(change_url(article), {**opened, "body": "Mine."}).content.decode()
    assert "Erin Reviewer saved this article while you were editing it" in html
    assert "ed saved" not in html
