"""A server office's backup image (core/transfer.server_image) copied straight from psycopg into sqlite3 holds
what SQLAlchemy's row-by-row copy held: every table's rows, with the same values stored the same way (dates
and times as SQLAlchemy's text, enums as their names, booleans as 0/1, the issued PDF's bytes)."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import add_members, add_org
from khoi_desktop.core import transfer
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.db import open_database
from khoi_desktop.core.engines.sqlite import connect_memory
from khoi_desktop.core.models import Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf
from pg_support import drop, migrated_database

DAY = dt.date(2026, 3, 2)


def _rows(conn, table: str) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    kinds = ", ".join(f'typeof("{c}")' for c in columns)
    return sorted(conn.execute(f'SELECT *, {kinds} FROM "{table}"').fetchall(), key=repr)


def _through_sqlalchemy(db):  # type: ignore[no-untyped-def]
    """The image as the ORM copy made it (transfer.copy_office into the SQLite image)."""
    image = connect_memory()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                               postgresql_readonly=True) as source, source.begin():
        transfer.upgrade_image(image, transfer.revision(source) or "head")
        with transfer._memory_engine(image).begin() as target:
            transfer.copy_office(source, target)
    return image


def test_the_server_image_holds_what_the_orm_copy_held(pg: str) -> None:
    url = migrated_database()
    db = open_database(url)
    try:
        with db.writing() as s:
            save_settings(s, OfficeSettings(configured=True))
            s.add(Term(name="hien-tai", starts_on=DAY - dt.timedelta(days=400), ends_on=DAY + dt.timedelta(days=400)))
            first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
            second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
            add_members(s, add_org(s, "CB0001", "Chi bộ Phòng 1", "chi_bo_truc_thuoc", parent=first), 3)
            add_members(s, add_org(s, "CB0900", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
            add_members(s, add_org(s, "CB0800", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=second), 30)
        with db.writing() as s:  # an issued decision: a datetime, an enum, the PDF's bytes
            apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}), actor="x",
                          issue=True, today=DAY, render=render_pdf)
        fast, slow = transfer.server_image(db), _through_sqlalchemy(db)
        again = transfer.server_image(db)  # the empty image made by the migrations is kept: loaded, not made
        try:
            schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
            # (not compared with the ORM copy's: the migrations' batch-mode tables name their constraints in
            # an order that varies between two runs of them, their own matter)
            assert again.execute(schema).fetchall() == fast.execute(schema).fetchall()
            tables = [table.name for table in transfer._tables()] + ["alembic_version"]  # not SQLite's own index
            assert "decisions" in tables and "members" in tables
            for table in tables:
                assert _rows(fast, table) == _rows(slow, table) == _rows(again, table), table
            assert sum(len(_rows(fast, t)) for t in tables) > 60
            assert fast.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert fast.execute("PRAGMA foreign_key_check").fetchall() == []
            # The search index (filled once after the load, not by its trigger a member): the same entries.
            search = "SELECT rowid FROM member_fts WHERE member_fts MATCH ? ORDER BY rowid"
            words = {w for (key,) in slow.execute("SELECT search_key FROM members") for w in key.split()}
            assert len(words) > 3
            for word in sorted(words):
                found = slow.execute(search, (f'"{word}"',)).fetchall()
                assert found and fast.execute(search, (f'"{word}"',)).fetchall() == found, word
                assert again.execute(search, (f'"{word}"',)).fetchall() == found, word
            # ... and its insert trigger back for what a restore of the image writes next.
            trigger = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'member_fts_insert'"
            assert fast.execute(trigger).fetchall() == slow.execute(trigger).fetchall() != []
        finally:
            fast.close()
            slow.close()
            again.close()
    finally:
        db.close()
        drop(url)


def test_a_failed_read_of_the_server_fails_the_image(pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows are read on a thread of their own: what goes wrong there (the server gone) is raised to the
    backup, and nothing half-copied is kept."""
    from khoi_desktop.core.engines import postgres

    url = migrated_database()
    db = open_database(url)
    try:
        with db.writing() as s:
            add_members(s, add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so"), 3)
        real = postgres._batches

        def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
            for batch in real(*args, **kwargs):
                yield batch
                raise ConnectionError("máy chủ mất kết nối")

        monkeypatch.setattr(postgres, "_batches", failing)
        with pytest.raises(ConnectionError, match="mất kết nối"):
            transfer.server_image(db)
        monkeypatch.setattr(postgres, "_batches", real)
        image = transfer.server_image(db)  # the server's connection is usable again
        assert image.execute("SELECT count(*) FROM members").fetchone() == (3,)
        image.close()
    finally:
        db.close()
        drop(url)
