"""The audit trail's hash chain and anchor: an entry edited, inserted or deleted outside the app (in the
middle or at the end) is detected, naming the first broken entry."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from khoi_desktop.core import audit
from khoi_desktop.core.audit import ANCHOR_KEY, _entry_hash, entry_hash, verify_trail
from khoi_desktop.core.db import Database, open_database


@pytest.fixture
def trail(db: Database) -> Database:
    """Five entries, ids 1–5."""
    with db.writing() as session:
        for i in range(1, 6):
            audit.record(session, actor="vanthu", action=f"thao_tac_{i}", target=f"decision:{i}",
                         before={"n": i - 1}, after={"n": i})
    return db


def sql(db: Database, statement: str, **params: object) -> None:
    """A change made with a database tool, outside the app (on a server: its administrator's connection)."""
    if db.is_server:
        from pg_support import as_administrator, url_of

        as_administrator(url_of(db), statement, params)
        return
    conn = sqlite3.connect(db.path)
    with conn:
        conn.execute(statement, params)
    conn.close()


def check(db: Database) -> audit.AuditCheck:
    with db.reading() as session:
        return verify_trail(session)


def forged(prev_hash: str, action: str) -> dict[str, object]:
    """A row made by someone who knows the algorithm and computes a valid hash for it."""
    at = dt.datetime(2026, 1, 1, 9, 0, 0)
    return {"at": at.isoformat(sep=" "), "actor": "ke_gia", "action": action, "prev": prev_hash,
            "hash": entry_hash(prev_hash, at, 420, "ke_gia", action, None, None, None, None)}


def row_hash(db: Database, entry_id: int) -> str:
    if db.is_server:
        from pg_support import as_administrator, url_of

        rows = as_administrator(url_of(db), "SELECT hash FROM audit_entries WHERE id = :id", {"id": entry_id})
        return str(rows[0][0])
    conn = sqlite3.connect(db.path)
    value = conn.execute("SELECT hash FROM audit_entries WHERE id = ?", (entry_id,)).fetchone()[0]
    conn.close()
    return str(value)


INSERT = ("INSERT INTO audit_entries (id, at, at_offset, format, actor, action, target, before, after, prev_hash, "
          "hash) VALUES (:id, :at, 420, 2, :actor, :action, NULL, NULL, NULL, :prev, :hash)")


def test_an_intact_trail(trail: Database) -> None:
    result = check(trail)
    assert result.ok and result.entries == 5 and result.broken_id is None


def test_an_edited_entry_is_named(trail: Database) -> None:
    sql(trail, "UPDATE audit_entries SET after = '{\"n\": 99}' WHERE id = 3")
    result = check(trail)
    assert (result.broken_id, result.reason) == (3, "edited")
    assert result.message.startswith("Mục #3 (") and "vanthu, thao_tac_3" in result.message


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(trail: Database) -> None:
    with trail.reading() as session:
        at, offset, prev = session.execute(
            text("SELECT at, at_offset, prev_hash FROM audit_entries WHERE id = 3")).one()
    at = at if isinstance(at, dt.datetime) else dt.datetime.fromisoformat(at)  # a server reads a datetime
    new_hash = entry_hash(prev, at, offset, "ke_gia", "thao_tac_3", "decision:3", '{"n": 2}', '{"n": 3}', None)
    sql(trail, "UPDATE audit_entries SET actor = 'ke_gia', hash = :h WHERE id = 3", h=new_hash)
    result = check(trail)
    assert (result.broken_id, result.reason) == (4, "relinked")


def test_a_deleted_middle_entry_is_named_at_the_gap(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 3")
    result = check(trail)
    assert (result.broken_id, result.reason) == (4, "deleted")
    assert "mục #3 ngay trước nó đã bị xóa" in result.message


def test_a_deleted_first_entry(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 1")
    assert (check(trail).broken_id, check(trail).reason) == (2, "deleted")


def test_a_deleted_last_entry_is_caught_by_the_anchor(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 5")
    result = check(trail)
    assert (result.broken_id, result.reason) == (5, "deleted_last")
    assert "Mục #5 ở cuối nhật ký đã bị xóa" in result.message


def test_deleting_the_last_entries_stays_visible_after_the_app_records_again(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id >= 4")
    with trail.writing() as session:
        entry = audit.record(session, actor="vanthu", action="sau_khi_xoa")
    assert entry.id == 6  # never a deleted entry's id
    result = check(trail)
    assert (result.broken_id, result.reason) == (6, "deleted")
    assert "mục #4–#5 ngay trước nó đã bị xóa" in result.message


def test_deleting_the_last_entry_and_the_anchor(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 5")
    sql(trail, "DELETE FROM settings WHERE key = :key", key=ANCHOR_KEY)
    assert (check(trail).broken_id, check(trail).reason) == (4, "anchor")


def test_deleting_the_last_entry_and_rewinding_the_anchor_by_hand_is_not_seen(trail: Database) -> None:
    """The limit: someone who also rewrites the anchor (or recomputes the whole chain) is not detected."""
    sql(trail, "DELETE FROM audit_entries WHERE id = 5")
    sql(trail, "UPDATE settings SET value = :v WHERE key = :key", key=ANCHOR_KEY,
        v=json.dumps({"last_id": 4, "last_hash": row_hash(trail, 4), "count": 4}))
    assert check(trail).ok


def test_a_naively_inserted_entry_is_named(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 3")  # make room, as a tool would to slip a row in
    row = forged("0" * 64, "them_vao")
    sql(trail, INSERT, id=3, **{**row, "hash": "f" * 64})
    assert (check(trail).broken_id, check(trail).reason) == (3, "edited")


def test_an_entry_inserted_in_the_middle_with_a_valid_hash_breaks_the_next_link(trail: Database) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 3")
    sql(trail, INSERT, id=3, **forged(row_hash(trail, 2), "them_vao"))
    result = check(trail)
    assert (result.broken_id, result.reason) == (4, "relinked")
    assert "chèn thêm" in result.message


def test_an_entry_appended_with_a_valid_hash_is_caught_by_the_anchor(trail: Database) -> None:
    sql(trail, INSERT, id=6, **forged(row_hash(trail, 5), "them_vao_cuoi"))
    result = check(trail)
    assert (result.broken_id, result.reason) == (6, "appended")


def test_an_unreadable_anchor(trail: Database) -> None:
    sql(trail, "UPDATE settings SET value = 'hỏng' WHERE key = :key", key=ANCHOR_KEY)
    assert (check(trail).broken_id, check(trail).reason) == (5, "anchor")


@pytest.mark.parametrize("damage", ["DELETE FROM settings WHERE key = :key",
                                    "UPDATE settings SET value = 'hỏng' WHERE key = :key"])
def test_a_lost_anchor_stays_on_record_when_the_app_records_again(trail: Database, damage: str) -> None:
    sql(trail, "DELETE FROM audit_entries WHERE id = 5")
    sql(trail, damage, key=ANCHOR_KEY)
    for _ in range(2):
        with trail.writing() as session:
            audit.record(session, actor="vanthu", action="tiep_tuc")
    result = check(trail)
    assert (result.broken_id, result.reason) == (5, "anchor")  # the app could not know #5 had been used
    assert "trước khi ghi mục #5" in result.message


def test_an_empty_trail_is_intact(db: Database) -> None:
    assert check(db).ok and check(db).entries == 0


def test_migration_anchors_an_existing_trail(tmp_path: Path) -> None:
    """A file made before the anchor existed gets one for its entries, so its last row is protected too."""
    from alembic import command

    from khoi_desktop.core.db import _alembic_config, make_engine

    path = tmp_path / "cu.db"
    engine = make_engine(path)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    with engine.begin() as connection:
        previous = audit.GENESIS
        for i in range(1, 4):
            at = dt.datetime(2025, 1, i)
            digest = _entry_hash(previous, at, "cu", "a", None, None, None)
            connection.execute(text("INSERT INTO audit_entries (at, actor, action, prev_hash, hash) "
                                    "VALUES (:at, 'cu', 'a', :p, :h)"), {"at": at, "p": previous, "h": digest})
            previous = digest
    engine.dispose()
    db = open_database(path)
    try:
        assert check(db).ok and check(db).entries == 3
        sql(db, "DELETE FROM audit_entries WHERE id = 3")
        assert (check(db).broken_id, check(db).reason) == (3, "deleted_last")
    finally:
        db.close()


def test_the_os_user_behind_an_account_is_kept_and_chained(trail: Database) -> None:
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.models import AuditEntry

    trail.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI, os_user="ketoan")
    with trail.writing() as session:
        entry = audit.record(session, actor="bo-qua", action="thao_tac_6")
        assert (entry.actor, entry.os_user) == ("admin", "ketoan")
    trail.user = None
    with trail.reading() as session:
        assert [e.os_user for e in session.query(AuditEntry).order_by(AuditEntry.id)] == [None] * 5 + ["ketoan"]
    assert check(trail).ok
    sql(trail, "UPDATE audit_entries SET os_user = 'ai-do' WHERE id = 6")
    broken = check(trail)
    assert (broken.broken_id, broken.reason) == (6, "edited")


@pytest.mark.parametrize("count", [audit.ROWS_FROM_TEXT - 1, audit.ROWS_FROM_TEXT + 500])
def test_an_entry_of_many_rows_stores_them_as_digested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        count: int) -> None:
    """A large entry (the demo office's) has its rows written by SQLite from the text its rows digest covers, not
    by an executemany of tuples: the same rows, deleted ones (no digest) included, and the trail checks out."""
    from khoi_desktop.core import bulk_load

    executemany: list[int] = []
    insert_values = bulk_load.insert_values

    def watched(session: object, table: object, names: object, values: list[object]) -> None:
        executemany.append(len(values))
        insert_values(session, table, names, values)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_load, "insert_values", watched)
    rows: dict[tuple[str, int], str | None] = {
        (table, n): (None if n % 7 == 0 else f"{n:032x}") for table in ("members", "memberships")
        for n in range(1, count // 2 + 1)}
    rows[("organizations", 1)] = 'a "quoted" \\ digest'
    db = open_database(tmp_path / "rows.db", create=True)
    with db.writing() as session:
        audit._append(session, actor="vanthu", action="nhieu_dong", target=None, before=None, after=None, rows=rows)
    conn = sqlite3.connect(tmp_path / "rows.db")
    stored = conn.execute("SELECT table_name, row_id, digest FROM audit_rows WHERE entry_id = 1 "
                          "ORDER BY rowid").fetchall()
    conn.close()
    assert stored == [(table, row_id, digest) for (table, row_id), digest in sorted(rows.items())]
    assert check(db).ok
    assert executemany == ([] if len(rows) >= audit.ROWS_FROM_TEXT else [len(rows)])
    db.close()


@pytest.mark.parametrize("odd", [False, True])
def test_an_entry_of_tables_written_in_bulk_stores_their_rows_as_digested(tmp_path: Path, odd: bool) -> None:
    """Tables written in bulk with their digests known (the demo office, bulk_digested): the entry's rows are
    written from each table's ids and digests, not taken apart from the entry's JSON text; the same rows in the same
    order as from that text (the rows the deep check digests again), the trail checks out. A digest of another
    length (odd: never row_digest's, given amid a table) has the rows written from the text as before."""
    from typing import cast

    from sqlalchemy import Table, event

    from khoi_desktop.core.audit_deep import deep_check
    from khoi_desktop.core.audit_rows import all_digests, table_rows_text
    from khoi_desktop.core.bulk_load import insert_values
    from khoi_desktop.core.models import Organization, Placement

    db = open_database(tmp_path / "bulk.db", create=True)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_args: statements.append(statement))
    with db.writing() as session:
        insert_values(session, cast(Table, Organization.__table__),
                      ("id", "code", "name", "name_key", "kind", "agency", "founded_on"),
                      [(i, f"CB{i:04d}", f"Chi bộ {i}", f"chi bo {i}", "chi_bo_co_so", "Sở", "2020-01-01")
                       for i in range(1, 1201)])
        insert_values(session, cast(Table, Placement.__table__), ("org_id", "valid_from"),
                      [(i, "2020-01-01") for i in range(1, 11)])
        expected: list[tuple[str, int, str]] = []
        for table in ("placements", "organizations"):
            digests = dict(all_digests(session.connection(), table))
            expected += [(table, row_id, digest) for row_id, digest in digests.items()]
            if odd and table == "organizations":  # amid the table: not among the rows compared as stored
                expected.remove((table, 600, digests[600]))
                digests[600] = digests[600][:-1]
                expected.append((table, 600, digests[600]))
            audit.bulk_digested(session, table, digests, table_rows_text(table, digests))
        audit.record(session, actor="test", action="test.bulk", target=None)
    conn = sqlite3.connect(tmp_path / "bulk.db")
    stored = conn.execute("SELECT table_name, row_id, digest FROM audit_rows WHERE entry_id = 1 "
                          "ORDER BY rowid").fetchall()
    conn.close()
    assert stored == sorted(expected)
    from_text = [s for s in statements if "json_extract" in s]
    assert len(from_text) == (1 if odd else 0)
    assert check(db).ok
    if not odd:
        with db.reading() as session:
            assert deep_check(session).ok
    db.close()
