"""Each author's stored article count follows every change and equals a recount; the author index
shows the public number from it without counting every article."""

import threading
import time
from datetime import timedelta
from io import StringIO
from itertools import count
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles import author_counts
from articles.models import Article
from authors.models import Author, count_public_articles
from tests.factories import (
    changes_settings,
    make_article,
    make_author,
    make_draft,
    make_scheduled,
    make_tag,
    movable_clock,
    move_publication,
)

pytestmark = pytest.mark.django_db
_names = count(1)


def assert_counts_match_a_recount():
    """Stored counts equal the articles in the published status, and the public number shown
    equals the articles the public sees, for every author."""
    authors = list(Author.objects.all())
    count_public_articles(authors)
    for author in authors:
        published = Article.objects.filter(author=author, status=Article.Status.PUBLISHED).count()
        assert author.published_article_count == published, author.pseudonym
        assert author.article_count == Article.objects.published().filter(author=author).count(), (
            author.pseudonym
        )


def stored(author):
    return Author.objects.values_list("published_article_count", flat=True).get(pk=author.pk)


def test_publishing_and_unpublishing_an_article_change_its_authors_count():
    author = make_author("Calm Fern")
    article = make_draft(author=author)
    assert stored(author) == 0
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now()
    article.save()
    assert stored(author) == 1
    article.save()  # saved again while published: counted once
    assert stored(author) == 1
    article.status, article.published_at = Article.Status.DRAFT, None
    article.save()
    assert stored(author) == 0
    assert_counts_match_a_recount()


def test_moving_a_published_article_to_another_author_moves_its_count():
    first, second = make_author("Calm Fern"), make_author("Quiet Oak")
    article = make_article(author=first)
    make_article(author=first)
    article.author = second
    article.save()
    assert (stored(first), stored(second)) == (1, 1)
    assert_counts_match_a_recount()


def test_deleting_a_published_article_uncounts_it_and_a_draft_changes_nothing():
    author = make_author("Calm Fern")
    article, draft = make_article(author=author), make_draft(author=author)
    make_article(author=author)
    draft.delete()
    assert stored(author) == 2
    article.delete()
    assert stored(author) == 1
    assert_counts_match_a_recount()


def test_a_scheduled_article_is_stored_but_not_shown_until_its_time():
    author = make_author("Calm Fern")
    make_article(author=author)
    make_scheduled(author=author, days_ahead=1)
    assert stored(author) == 2
    assert_counts_match_a_recount()  # the public number: 1
    later = timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert_counts_match_a_recount()  # 2, with no save at its time


def test_saving_a_loaded_author_never_writes_an_old_count_back():
    author = make_author("Calm Fern")
    loaded = Author.objects.get(pk=author.pk)  # count 0, then an article is published meanwhile
    make_article(author=author)
    loaded.bio = "Writes about sleep."
    loaded.save()
    assert stored(author) == 1


def test_a_save_of_some_fields_counts_what_was_written_not_what_the_instance_holds():
    first, second = make_author("Calm Fern"), make_author("Quiet Oak")
    article = make_draft(author=first)
    article.author = second  # changed in memory, not written below
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now()
    article.save(update_fields=["status", "published_at"])
    assert (stored(first), stored(second)) == (1, 0)
    article.title = "Renamed"
    article.save(update_fields=["title"])  # nothing the count depends on
    assert (stored(first), stored(second)) == (1, 0)
    assert_counts_match_a_recount()


def test_deleting_an_instance_loaded_before_a_change_uncounts_what_is_stored():
    first, second = make_author("Calm Fern"), make_author("Quiet Oak")
    article = make_article(author=first)
    stale = Article.objects.get(pk=article.pk)
    article.author = second
    article.save()
    stale.delete()  # still says the first author
    assert (stored(first), stored(second)) == (0, 0)


def test_a_count_that_drifted_low_never_stops_an_unpublish():
    author = make_author("Calm Fern")
    article = make_article(author=author)
    Author.objects.filter(pk=author.pk).update(published_article_count=0)  # drifted
    article.status, article.published_at = Article.Status.DRAFT, None
    article.save()
    assert stored(author) == 0


def test_the_author_index_shows_the_public_number_and_counts_no_articles(client):
    author = make_author("Calm Fern")
    for _ in range(3):
        make_article(author=author)
    make_scheduled(author=author)
    make_draft(author=author)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("authors:list"))

    assert '<span class="count">3 articles</span>' in response.content.decode()
    assert len(queries) == 2, [q["sql"] for q in queries.captured_queries]  # the authors, their scheduled
    grouped = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # Only the scheduled articles are counted, by their (author, status, published_at) range.
    assert len(grouped) == 1 and '"articles_article"."published_at" >' in grouped[0], grouped


def test_the_repair_command_finds_and_fixes_an_authors_drift():
    author = make_author("Calm Fern")
    make_article(author=author)
    Author.objects.filter(pk=author.pk).update(published_article_count=7)
    out = StringIO()
    call_command("repair_topic_counts", "--dry-run", stdout=out)
    assert "author Calm Fern: stored 7, actual 1" in out.getvalue()
    assert stored(author) == 7
    call_command("repair_topic_counts", stdout=StringIO())
    assert_counts_match_a_recount()
    out = StringIO()
    call_command("repair_topic_counts", stdout=out)
    assert "0 author count(s) drifted" in out.getvalue()


def test_a_full_recount_restores_every_author_after_a_bulk_load():
    authors = [make_author(), make_author()]
    make_article(author=authors[0])
    make_scheduled(author=authors[1])
    Author.objects.update(published_article_count=0)  # as after bulk_create or a raw load
    author_counts.recount()
    assert [stored(a) for a in authors] == [1, 1]
    assert_counts_match_a_recount()


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["publish", "schedule", "unpublish", "move", "delete", "time passes"]),
        st.integers(0, 3),
    ),
    max_size=12,
)


@changes_settings
@given(operations=OPERATIONS)
def test_any_sequence_of_changes_leaves_the_counts_equal_to_a_recount(operations):
    with movable_clock() as clock:
        authors = [make_author(f"Writer {next(_names)}") for _ in range(2)]
        articles = [make_draft(author=authors[n % 2]) for n in range(4)]
        for name, a in operations:
            article = articles[a]
            if article.pk is None:
                continue
            if name in ("publish", "schedule", "unpublish"):
                move_publication(article, name, clock[0])
            elif name == "move":
                article.author = authors[1] if article.author_id == authors[0].pk else authors[0]
                article.save()
            elif name == "delete":
                article.delete()
                article.pk = None
            else:
                clock[0] += timedelta(hours=13)  # the scheduled ones become public
        assert_counts_match_a_recount()


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_counts_of_existing_authors():
    before = [("articles", "0020_search_vectors_uncompressed"), ("authors", "0005_avatar_index")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldAuthor, OldArticle = old.get_model("authors", "Author"), old.get_model("articles", "Article")
    writer, quiet = (
        OldAuthor.objects.create(pseudonym=name, slug=name.lower()) for name in ("Writer", "Quiet")
    )
    now = timezone.now()
    for n, (status, published_at) in enumerate(
        [("published", now), ("published", now + timedelta(days=1)), ("draft", None), ("in_review", None)]
    ):
        OldArticle.objects.create(
            title=f"A{n}", slug=f"a{n}", body="b", author=writer, status=status, published_at=published_at
        )

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert stored(writer) == 2 and stored(quiet) == 0  # the scheduled one included, as kept after


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_article_at_once_count_it_once():
    # An editor's publish is not committed yet when a bulk publish of the same article reads it.
    author = make_author("Calm Fern")
    article = make_draft(author=author)
    first_saved, second_loaded = threading.Event(), threading.Event()

    def publish(wait_before_commit):
        try:
            with transaction.atomic():
                loaded = Article.objects.get(pk=article.pk)
                if not wait_before_commit:
                    second_loaded.set()
                    first_saved.wait(5)
                loaded.status, loaded.published_at = Article.Status.PUBLISHED, timezone.now()
                loaded.save()
                if wait_before_commit:
                    first_saved.set()
                    second_loaded.wait(5)
                    time.sleep(0.3)  # the other save now waits for this one to commit
        finally:
            connection.close()

    first = threading.Thread(target=publish, args=(True,))
    second = threading.Thread(target=publish, args=(False,))
    second.start()
    second_loaded.wait(5)
    first.start()
    first.join(10)
    second.join(10)

    assert stored(author) == 1


def test_a_template_never_saves_an_author_or_a_topic():
    # Their save() comes from the stored-count mixin first: it is marked as altering data, as Model's.
    author, topic = make_author("Quiet Pen"), make_tag("Rest")

    with CaptureQueriesContext(connection) as queries:
        shown = Template("{{ author.save }}{{ topic.save }}").render(
            Context({"author": author, "topic": topic})
        )

    assert (shown, len(queries)) == ("", 0)
