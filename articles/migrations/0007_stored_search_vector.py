"""Store the search vector (PostgreSQL) instead of computing it for every ranked result."""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

SQLITE_TABLE = """
CREATE VIRTUAL TABLE articles_search USING fts5(
    title, summary, body, tags, document UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2'
)"""


def store_vectors(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    SearchEntry = apps.get_model("articles", "SearchEntry")
    if vendor == "sqlite":
        # FTS5 tables cannot gain a column: rebuild it with the same rows.
        schema_editor.execute("ALTER TABLE articles_search RENAME TO articles_search_old")
        schema_editor.execute(SQLITE_TABLE)
        schema_editor.execute(
            "INSERT INTO articles_search (rowid, title, summary, body, tags) "
            "SELECT rowid, title, summary, body, tags FROM articles_search_old"
        )
        schema_editor.execute("DROP TABLE articles_search_old")
    elif vendor == "postgresql":
        from articles.search import PG_VECTOR

        schema_editor.execute("ALTER TABLE articles_search ADD COLUMN document tsvector")
        schema_editor.execute("DROP INDEX IF EXISTS articles_search_document")
        SearchEntry.objects.update(document=PG_VECTOR)
        schema_editor.add_index(SearchEntry, GinIndex(fields=["document"], name="articles_search_document"))


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_search")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="document",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.RunPython(store_vectors, migrations.RunPython.noop),
    ]
