"""Replies moving from the articles app to their own (articles.0013, replies.0001) keep every reply,
the permissions and group grants on them, and the admin log entries that point at them."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from replies.models import Reply

BEFORE_THE_MOVE = [("articles", "0012_article_revised_at")]
FIELDS = ("pk", "article_id", "name", "email", "text", "status", "allow_links", "client_hash", "created_at")


@pytest.fixture
def before_the_move():
    """The database as it was when replies lived in the articles app; migrated forward after."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THE_MOVE)
    old = executor.loader.project_state(BEFORE_THE_MOVE).apps
    # As on a site of that time, whatever an earlier test's flush left: Reply's content type and
    # permissions under "articles" (migration articles.0005 makes them the same way).
    articles = old.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0, apps=old)
    articles.models_module = None
    ContentType.objects.clear_cache()
    yield old
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_replies_their_permissions_grants_and_log_entries_survive_the_move(before_the_move):
    old = before_the_move
    Author, Article = old.get_model("authors", "Author"), old.get_model("articles", "Article")
    OldReply = old.get_model("articles", "Reply")
    author = Author.objects.create(pseudonym="Historic", slug="historic")
    article = Article.objects.create(
        title="Pacing", slug="pacing", body="b", author=author, status="published"
    )
    for n, status in enumerate(["pending", "approved", "spam"]):
        OldReply.objects.create(
            article=article, name=f"Reader {n}", email=f"r{n}@example.org", text=f"Reply {n}",
            status=status, allow_links=n == 1, client_hash=f"{n}" * 64,
        )  # fmt: skip
    stored = sorted(OldReply.objects.values_list(*FIELDS))
    old_type = ContentType.objects.get(app_label="articles", model="reply")
    moderators = Group.objects.create(name="Reply moderators")
    moderators.permissions.add(Permission.objects.get(content_type=old_type, codename="change_reply"))
    moderator = User.objects.create_user("moderator", is_staff=True)
    moderator.groups.add(moderators)
    entry = LogEntry.objects.create(
        user=moderator, content_type=old_type, object_id=str(OldReply.objects.get(status="spam").pk),
        object_repr="Reader 2", action_flag=CHANGE, change_message="Marked as spam",
    )  # fmt: skip

    migrate_forward()

    assert sorted(Reply.objects.values_list(*FIELDS)) == stored
    assert ContentType.objects.get_for_model(Reply).pk == old_type.pk
    assert not ContentType.objects.filter(app_label="articles", model="reply").exists()
    moderator = User.objects.get(username="moderator")  # no cached permissions
    assert moderator.has_perm("replies.change_reply") and not moderator.has_perm("replies.delete_reply")
    entry.refresh_from_db()
    assert entry.content_type.app_label == "replies"
    assert entry.get_edited_object() == Reply.objects.get(status="spam")


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_with_the_content_type_back_in_articles(before_the_move):
    migrate_forward()
    moved = ContentType.objects.get(app_label="replies", model="reply")

    MigrationExecutor(connection).migrate(BEFORE_THE_MOVE)

    assert ContentType.objects.get(app_label="articles", model="reply").pk == moved.pk
    assert not ContentType.objects.filter(app_label="replies").exists()
