"""The tree snapshot read through a bare sqlite3 connection (stats, orgs, the window's first overview) is the
one read through a session, and counts do not depend on the order of the children."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

from factories import add_member, add_members, add_org, end_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import OrgKind, Placement
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.stats import counts_from
from khoi_desktop.core.tree import load_snapshot

DAY = dt.date(2025, 6, 1)


def test_plain_connection_reads_the_same_tree(db: Database) -> None:
    with db.writing() as s:
        root = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        for code, name in (("CB02", "Chi bộ Kế toán"), ("CB01", "Chi bộ Văn phòng"), ("CB03", "Chi bộ Ánh")):
            add_members(s, add_org(s, code, name, OrgKind.CHI_BO_TRUC_THUOC, parent=root), 3, probationary=1)
        ended = add_org(s, "CS09", "Chi bộ Cũ", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Lê Văn Cũ", ended)
        end_org(s, ended, dt.date(2025, 1, 1))
    for include_ended in (False, True):
        with db.reading() as session:
            through_session = load_snapshot(session, DAY, include_ended=include_ended)
            settings = load_settings(session)
        with db.plain_reading() as conn:
            plain = load_snapshot(conn, DAY, include_ended=include_ended)
            assert load_settings(conn) == settings
            unordered = load_snapshot(conn, DAY, include_ended=include_ended, ordered=False)
        assert plain.roots == through_session.roots
        assert {i: dataclasses.asdict(n) for i, n in plain.nodes.items()} == \
            {i: dataclasses.asdict(n) for i, n in through_session.nodes.items()}
        assert counts_from(unordered) == counts_from(plain)
    names = [plain.nodes[i].name for i in plain.nodes[plain.by_code("DB01").id].children]  # type: ignore[union-attr]
    assert names == ["Chi bộ Ánh", "Chi bộ Kế toán", "Chi bộ Văn phòng"]


class _CountingConnection(sqlite3.Connection):
    """A bare connection that counts the rows its statements hand to Python."""

    fetched = 0

    def execute(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        cursor = super().execute(*args, **kwargs)
        outer = self

        class Counted:
            def fetchall(self) -> list[object]:
                rows = cursor.fetchall()
                outer.fetched += len(rows)
                return rows

            def fetchone(self) -> object:
                outer.fetched += 1
                return cursor.fetchone()

        return Counted()


def test_a_bare_connection_reads_each_statement_as_one_row_with_the_latest_placement(db: Database) -> None:
    """The window's first overview runs on the worker thread beside the GUI thread: each statement comes as one
    row (the driver hands the GIL over around every row it steps). The placement that wins is the same one:
    the latest on the date by (valid_from, id), with the last kind a placement named."""
    with db.writing() as s:
        upper = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        other = add_org(s, "DB02", "Đảng bộ Sở Xây dựng", OrgKind.DANG_BO_CO_SO)
        moved = add_org(s, "CS05", "Chi bộ Kho bạc", OrgKind.CHI_BO_CO_SO)
        add_members(s, moved, 4, probationary=1)
        for org in (upper, other):
            add_members(s, add_org(s, f"C{org.code}", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=org), 2)
        # Moved under DB01 (a chi bộ trực thuộc there), then twice on the same day: the later row wins.
        s.add(Placement(org_id=moved.id, parent_id=upper.id, valid_from=dt.date(2024, 1, 1),
                        kind=OrgKind.CHI_BO_TRUC_THUOC))
        s.add(Placement(org_id=moved.id, parent_id=upper.id, valid_from=dt.date(2024, 3, 1)))
        s.add(Placement(org_id=moved.id, parent_id=other.id, valid_from=dt.date(2024, 3, 1)))
        s.add(Placement(org_id=moved.id, parent_id=None, valid_from=dt.date(2026, 1, 1)))  # after DAY
    with db.reading() as session:
        through_session = load_snapshot(session, DAY)
    counting = sqlite3.connect(db.path, factory=_CountingConnection)
    try:
        plain = load_snapshot(counting, DAY)
    finally:
        counting.close()
    assert {i: dataclasses.asdict(n) for i, n in plain.nodes.items()} == \
        {i: dataclasses.asdict(n) for i, n in through_session.nodes.items()}
    node = plain.by_code("CS05")
    assert node is not None and node.parent_id == plain.by_code("DB02").id  # type: ignore[union-attr]
    assert node.kind is OrgKind.CHI_BO_TRUC_THUOC and node.members == 4 and node.probationary == 1
    assert counting.fetched <= 5  # the four statements (and the JSON functions' check), not one row per row
