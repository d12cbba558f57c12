"""A published article is changed without being taken down: the change is prepared as a pending
version that readers never see, goes through submit and review like a draft, shows the editor its
difference from the live text, and replaces the live text in one step when published, keeping the
address, the publication date and the revisions."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, PendingVersion, Source
from articles.revisions import record_revision
from tests.admin.conftest import change_url, form_data, make_user
from tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db

LIVE_BODY = "Botox helped my neck.\n\nAsk your doctor first."
NEW_WORD = "Zygomaticus"  # in no live text, so that any public page showing it leaks the change


@pytest.fixture
def live(author_user, editor):
    """The author's published article, reviewed by the editor, with one revision stored."""
    article = make_article(
        "Botox and me", author=author_user.author_profile, summary="What happened.", body=LIVE_BODY,
        tags=[make_tag("botox")],
    )  # fmt: skip
    Source.objects.create(article=article, title="A trial", url="https://example.net/trial")
    article = Article.objects.get(pk=article.pk)
    article.record_review(editor)
    article.save()
    record_revision(article, editor, "Published")
    return Article.objects.get(pk=article.pk)


def start_url(article):
    return reverse("admin:articles_pendingversion_start", args=[article.pk])


def pending_url(pending):
    return reverse("admin:articles_pendingversion_change", args=[pending.pk])


def start(client, user, article):
    client.force_login(user)
    return client.post(start_url(article))


def pending_data(pending, **overrides):
    """What the change form posts for `pending` (its sources unchanged), with `overrides`."""
    pending.refresh_from_db()
    sources = list(pending.sources.all())
    data = {
        "title": pending.title,
        "summary": pending.summary,
        "body": pending.body,
        "tags": [tag.pk for tag in pending.tags.all()],
        "disclosure": pending.disclosure,
        "review_note": pending.review_note,
        "base_version": pending.version,
        "sources-TOTAL_FORMS": str(len(sources)),
        "sources-INITIAL_FORMS": str(len(sources)),
    }
    for n, source in enumerate(sources):
        data |= {f"sources-{n}-id": source.pk, f"sources-{n}-pending": pending.pk}
        data |= {f"sources-{n}-title": source.title, f"sources-{n}-url": source.url}
        data |= {f"sources-{n}-position": source.position}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post_change(client, user, pending, **overrides):
    client.force_login(user)
    data = pending_data(pending, **overrides)
    if "review_note" not in overrides and not user.has_perm("articles.publish_article"):
        data.pop("review_note")  # read-only for authors
    return client.post(pending_url(pending), data)


@pytest.fixture
def changed(client, author_user, live):
    """A pending change of `live` whose body the author rewrote (saved, not submitted)."""
    start(client, author_user, live)
    pending = PendingVersion.objects.get(article=live)
    response = post_change(
        client, author_user, pending, body=f"Botox helped my neck.\n\n{NEW_WORD} <b>too</b>."
    )
    assert response.status_code == 302
    client.logout()
    pending.refresh_from_db()
    return pending


def publish(client, editor, pending, **overrides):
    return post_change(client, editor, pending, _transition="publish", **overrides)


def form_errors(response):
    assert response.status_code == 200, f"expected the form back with errors, got {response.status_code}"
    form = response.context["adminform"].form
    inline_errors = [
        error
        for formset in response.context["inline_admin_formsets"]
        for error in formset.formset.non_form_errors()
    ]
    return [*form.non_field_errors(), *(e for errors in form.errors.values() for e in errors), *inline_errors]


def workflow_buttons(response):
    return re.findall(r'<button[^>]*name="_transition"[^>]*>([^<]*)</button>', response.content.decode())


def review_line(reader, article):
    html = BeautifulSoup(reader.get(article.get_absolute_url()).content, "html.parser")
    return " ".join(html.select_one(".review-line").text.split())


# Starting a change


def test_an_author_prepares_a_change_of_their_published_article_as_a_copy_of_it(client, author_user, live):
    response = start(client, author_user, live)

    pending = PendingVersion.objects.get(article=live)
    assert response.status_code == 302 and response["Location"] == pending_url(pending)
    assert (pending.title, pending.summary, pending.body) == (live.title, live.summary, live.body)
    assert list(pending.tags.values_list("name", flat=True)) == ["botox"]
    assert list(pending.sources.values_list("title", "url")) == [("A trial", "https://example.net/trial")]
    assert client.get(pending_url(pending)).context["changes"] == []  # nothing differs yet


def test_starting_again_opens_the_same_change(client, author_user, live):
    start(client, author_user, live)
    start(client, author_user, live)
    assert PendingVersion.objects.filter(article=live).count() == 1


def test_the_published_articles_form_offers_to_prepare_a_change(client, author_user, live):
    client.force_login(author_user)
    html = client.get(change_url(live)).content.decode()
    assert start_url(live) in html and "Prepare a change" in html


def test_once_begun_the_articles_form_leads_to_the_change(client, author_user, changed):
    client.force_login(author_user)
    html = client.get(change_url(changed.article)).content.decode()
    assert pending_url(changed) in html and "Prepare a change" not in html


# The public never sees the pending text


def public_texts(reader, article):
    """What a reader gets from every public page that shows the article's text or its listing."""
    pages = [
        article.get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:author_feed", args=[article.author.slug]),
        reverse("sitemap"),
    ]
    return {url: reader.get(url).content.decode() for url in pages}


def found(reader, q):
    """The titles the public search for `q` lists."""
    response = reader.get(reverse("articles:search"), {"q": q})
    return [hit.article.title for hit in response.context["hits"]]


@pytest.mark.parametrize("cache_seconds", [0, 600], ids=["no page cache", "page cache"])
def test_the_public_sees_the_live_text_until_the_change_is_published(
    client, cache_backend, settings, editor, live, author_user, cache_seconds
):
    settings.PAGE_CACHE_SECONDS = cache_seconds
    reader = Client()
    before = public_texts(reader, live)  # and cached, where the page cache is on
    start(client, author_user, live)
    pending = PendingVersion.objects.get(article=live)
    post_change(
        client, author_user, pending, title="Botox, a year on", body=f"{NEW_WORD} changed everything."
    )
    post_change(client, author_user, pending, _transition="submit")

    during = public_texts(Client(), live)
    for url, text in during.items():
        assert NEW_WORD not in text and "a year on" not in text, url
    assert "Ask your doctor first." in during[live.get_absolute_url()]
    assert (found(reader, NEW_WORD), found(reader, "doctor")) == ([], ["Botox and me"])
    assert during[reverse("sitemap")] == before[reverse("sitemap")]

    assert publish(client, editor, pending, acknowledge_review_changes="on").status_code == 302
    after = public_texts(reader, live)
    assert (
        NEW_WORD in after[live.get_absolute_url()]
        and "Ask your doctor first." not in after[live.get_absolute_url()]
    )
    assert "Botox, a year on" in after[reverse("articles:feed")]
    assert (found(reader, NEW_WORD), found(reader, "doctor")) == (["Botox, a year on"], [])


# Submit, review, publish


def test_submit_request_changes_and_publish_a_change(
    client, django_capture_on_commit_callbacks, author_user, editor, changed
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_change(client, author_user, changed, _transition="submit")
    assert response.status_code == 302
    changed.refresh_from_db()
    assert changed.status == PendingVersion.Status.IN_REVIEW and changed.submitted_at
    assert [m.to for m in mail.outbox] == [[editor.email]]
    assert "a change to the published article" in mail.outbox[0].body
    assert pending_url(changed) in mail.outbox[0].body

    mail.outbox.clear()
    refused = post_change(client, editor, changed, _transition="request_changes", review_note="")
    assert any("what to change" in str(e) for e in form_errors(refused))
    with django_capture_on_commit_callbacks(execute=True):
        post_change(client, editor, changed, _transition="request_changes", review_note="Cite the trial.")
    changed.refresh_from_db()
    assert changed.status == PendingVersion.Status.DRAFT
    assert [m.to for m in mail.outbox] == [[author_user.email]] and "Cite the trial." in mail.outbox[0].body

    post_change(client, author_user, changed, _transition="submit")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = publish(client, editor, changed, acknowledge_review_changes="on")
    assert response.status_code == 302 and response["Location"] == change_url(changed.article)
    assert not PendingVersion.objects.filter(pk=changed.pk).exists()
    assert [m.to for m in mail.outbox] == [[author_user.email]]
    assert "is published" in mail.outbox[0].body


def test_publishing_keeps_the_address_the_date_and_the_revisions(client, editor, live, changed):
    slug, published_at, url = live.slug, live.published_at, live.get_absolute_url()
    earlier = [v.pk for v in Version.objects.get_for_object(live)]

    publish(client, editor, changed, acknowledge_review_changes="on")

    article = Article.objects.get(pk=live.pk)
    assert (article.slug, article.published_at, article.get_absolute_url()) == (slug, published_at, url)
    assert article.status == Article.Status.PUBLISHED
    assert article.body == changed.body and article.version == live.version + 1
    versions = list(Version.objects.get_for_object(article))
    assert [v.pk for v in versions[1:]] == earlier  # every earlier revision kept
    assert versions[0].field_dict["body"] == changed.body
    assert versions[0].revision.user == editor
    assert article.revised_at > live.revised_at  # readers are told it was updated


def test_publishing_replaces_topics_and_sources(client, editor, live, author_user):
    start(client, author_user, live)
    pending = PendingVersion.objects.get(article=live)
    sleep = make_tag("sleep")
    data = pending_data(pending, tags=[sleep.pk], **{"sources-0-title": "A better trial"})
    client.force_login(editor)
    response = client.post(pending_url(pending), {**data, "_transition": "publish", "record_review": "on"})
    assert response.status_code == 302, form_errors(response)
    assert list(live.tags.values_list("name", flat=True)) == ["sleep"]
    assert list(live.sources.values_list("title", flat=True)) == ["A better trial"]


def test_publishing_changed_sources_of_a_reviewed_article_needs_the_acknowledgement(client, editor, live):
    start(client, editor, live)
    pending = PendingVersion.objects.get(article=live)
    refused = publish(client, editor, pending, **{"sources-0-title": "A forum thread"})
    assert any("medical review" in str(e) for e in form_errors(refused))
    assert list(live.sources.values_list("title", flat=True)) == ["A trial"]


def test_an_authors_edit_takes_a_change_in_review_back_to_draft(client, author_user, changed):
    post_change(client, author_user, changed, _transition="submit")
    post_change(client, author_user, changed, body="Another try.")
    changed.refresh_from_db()
    assert (changed.status, changed.body) == (PendingVersion.Status.DRAFT, "Another try.")


def test_a_change_of_an_article_unpublished_meanwhile_cannot_be_published(client, editor, live, changed):
    live.apply_transition("unpublish", editor)
    live.save()
    client.force_login(editor)
    assert "Publish the change" not in workflow_buttons(client.get(pending_url(changed)))
    refused = publish(client, editor, changed, acknowledge_review_changes="on")
    assert any("not open to you" in str(e) for e in form_errors(refused))
    assert Article.objects.get(pk=live.pk).body == LIVE_BODY


def test_a_form_opened_before_another_save_is_refused_and_keeps_nothing(client, author_user, editor, changed):
    stale = pending_data(changed, body="My stale edit")
    post_change(client, editor, changed, body="The editor's edit")
    client.force_login(author_user)
    stale.pop("review_note")
    refused = client.post(pending_url(changed), stale)
    assert any("while you were editing" in str(e) for e in form_errors(refused))
    changed.refresh_from_db()
    assert changed.body == "The editor's edit"


# The medical review line describes only reviewed text


def test_publishing_unreviewed_text_needs_the_acknowledgement_and_then_says_an_earlier_version_was_reviewed(
    client, editor, live, changed
):
    refused = publish(client, editor, changed)
    assert any("medical review" in str(e) for e in form_errors(refused))
    assert Article.objects.get(pk=live.pk).body == LIVE_BODY

    publish(client, editor, changed, acknowledge_review_changes="on")

    article = Article.objects.get(pk=live.pk)
    assert article.review_out_of_date
    assert review_line(Client(), article).startswith("An earlier version was medically reviewed")


def test_a_review_recorded_on_the_change_covers_the_text_that_goes_live(client, editor, live, changed):
    publish(client, editor, changed, record_review="on")

    article = Article.objects.get(pk=live.pk)
    assert article.review_is_current and article.reviewed_at > live.reviewed_at
    assert review_line(Client(), article).startswith("Medically reviewed by Erin Reviewer")


def test_a_review_of_the_change_made_before_a_later_edit_does_not_cover_it(
    client, editor, author_user, changed
):
    post_change(client, editor, changed, record_review="on")
    changed.refresh_from_db()
    assert changed.review_is_current
    post_change(client, author_user, changed, body="Edited after the review.")

    refused = publish(client, editor, changed)
    assert any("medical review" in str(e) for e in form_errors(refused))


def test_a_change_of_topics_only_keeps_the_review_current_without_acknowledgement(client, editor, live):
    start(client, editor, live)
    pending = PendingVersion.objects.get(article=live)
    response = publish(client, editor, pending, tags=[make_tag("sleep").pk])
    assert response.status_code == 302
    article = Article.objects.get(pk=live.pk)
    assert article.review_is_current and article.reviewed_at == live.reviewed_at


# The difference shown before publishing


def test_the_editor_sees_the_difference_from_the_live_text_escaped(client, editor, changed):
    client.force_login(editor)
    html = client.get(pending_url(changed)).content.decode()

    assert "<del>Ask your doctor first.</del>" in html
    assert f"<ins>{NEW_WORD} &lt;b&gt;too&lt;/b&gt;.</ins>" in html
    assert "<b>too</b>" not in html.split("pending-changes", 1)[1].split("</table>", 1)[0]
    assert "Publish the change" in workflow_buttons(client.get(pending_url(changed)))


def test_the_difference_warns_when_the_live_text_changed_after_the_change_began(
    client, editor, live, changed
):
    live.summary = "Edited live by an editor."
    live.save()
    client.force_login(editor)
    html = client.get(pending_url(changed)).content.decode()
    assert "The live article was edited after this change began" in html
    assert "<del>Edited live by an editor.</del>" in html


# Who may do what


@pytest.mark.parametrize("role", ["other_author_user", "anonymous"])
def test_nobody_but_the_author_and_editors_starts_or_opens_a_change(client, role, live, changed, log_in):
    user = log_in(role)
    started = client.post(start_url(live))
    opened = client.get(pending_url(changed))
    listed = client.get(reverse("admin:articles_pendingversion_changelist"))
    if user is None:
        assert started.status_code == opened.status_code == 302 and "/login/" in opened["Location"]
    else:
        assert started.status_code == 404
        assert opened.status_code == 302 and opened["Location"] == reverse("admin:index")
        assert changed.title not in listed.content.decode()
        assert not PendingVersion.objects.exclude(pk=changed.pk).exists()


def test_another_author_cannot_post_into_someone_elses_change(client, other_author_user, changed):
    client.force_login(other_author_user)
    data = pending_data(changed, body="Not mine to write")
    data.pop("review_note")
    client.post(pending_url(changed), data)
    changed.refresh_from_db()
    assert "Not mine" not in changed.body


def test_an_author_may_submit_but_not_publish_their_change(client, author_user, changed):
    client.force_login(author_user)
    assert workflow_buttons(client.get(pending_url(changed))) == ["Submit the change for review"]
    refused = post_change(client, author_user, changed, _transition="publish")
    assert any("not open to you" in str(e) for e in form_errors(refused))
    assert Article.objects.get(pk=changed.article_id).body == LIVE_BODY


def test_a_draft_cannot_get_a_pending_change(client, author_user):
    draft = make_article("Own draft", author=author_user.author_profile, status=Article.Status.DRAFT)
    client.force_login(author_user)
    assert client.post(start_url(draft)).status_code == 403
    assert not PendingVersion.objects.exists()


def test_a_malformed_article_id_is_not_found(client, author_user):
    client.force_login(author_user)
    assert client.post(reverse("admin:articles_pendingversion_start", args=["abc"])).status_code == 404


def test_an_editor_sees_every_change_an_author_only_their_own(client, editor, author_user, changed):
    other = make_user("third", "Author")
    client.force_login(editor)
    assert changed.title in client.get(reverse("admin:articles_pendingversion_changelist")).content.decode()
    client.force_login(other)
    assert client.get(pending_url(changed)).status_code == 302


# An article published before, taken down and published again


def test_republishing_shows_the_changes_since_readers_last_saw_it_escaped(client, editor, live):
    client.force_login(editor)
    assert client.post(change_url(live), form_data(live, _transition="unpublish")).status_code == 302
    assert (
        client.post(change_url(live), form_data(live, body="Ask your doctor <i>first</i>.")).status_code
        == 302
    )

    html = client.get(change_url(live)).content.decode()

    section = html.split('class="module published-changes"', 1)[1].split("</table>", 1)[0]
    assert "<del>Botox helped my neck.</del>" in section
    assert "<ins>Ask your doctor &lt;i&gt;first&lt;/i&gt;.</ins>" in section


def test_a_draft_never_published_shows_no_such_changes(client, editor):
    draft = make_article("Fresh draft", status=Article.Status.DRAFT)
    record_revision(draft, editor, "Created")
    client.force_login(editor)
    assert "published-changes" not in client.get(change_url(draft)).content.decode()


def test_an_author_discards_their_change_and_the_live_article_stays(client, author_user, live, changed):
    client.force_login(author_user)
    delete_url = reverse("admin:articles_pendingversion_delete", args=[changed.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not PendingVersion.objects.exists()
    article = Article.objects.get(pk=live.pk)
    assert (article.body, article.status, article.version) == (
        LIVE_BODY,
        Article.Status.PUBLISHED,
        live.version,
    )


def test_a_merged_topic_of_a_change_becomes_the_topic_it_was_merged_into(author_user, live):
    pending = PendingVersion.start(live, author_user)
    botox, injections = live.tags.get(), make_tag("injections")

    botox.merge_into(injections)

    assert list(pending.tags.values_list("name", flat=True)) == ["injections"]
