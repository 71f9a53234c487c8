"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from khoi_desktop.core.engines import postgres_search, sqlite_search
from khoi_desktop.core.schema import METADATA


def test_migrations_match_the_models(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={  # the search indexes are no model's
            "include_name": lambda name, kind, _parent: not (kind == "table" and (
                sqlite_search.is_index_table(name) or postgres_search.is_index_table(name)))})
        differences = compare_metadata(context, METADATA)
    assert differences == []


def test_tables_without_a_schema_revision_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    import pytest

    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.errors import DatabaseError

    path = tmp_path / "la.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("CREATE TABLE members (id INTEGER PRIMARY KEY)")
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="không rõ phiên bản lược đồ"):
        open_database(path)
    assert path.read_bytes() == before
