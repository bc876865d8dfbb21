"""A GIN index on the text the lists search (``documents.queries.search_vector``), on PostgreSQL only.

The expression must stay the one Django writes for that SearchVector, or PostgreSQL will not use the
index; tests/documents/test_search.py checks that it does. SQLite (``make run``) searches without it.
"""

from django.db import migrations

INDEX_SQL = """
CREATE INDEX IF NOT EXISTS document_search_idx ON documents_document USING gin (
    to_tsvector('english'::regconfig,
        COALESCE(kind, '') || ' ' || COALESCE((number)::text, '') || ' ' || COALESCE(title, '') || ' ' ||
        COALESCE(source, '') || ' ' || COALESCE(abstract, ''))
)
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_SQL)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS document_search_idx")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
