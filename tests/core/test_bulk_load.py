"""The demo's bulk load: rows written straight to the driver read back through the ORM as the ORM would have
written them, and the indexes dropped for the load are all there again afterwards (or after a failure)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from sqlalchemy import Table, insert, select

from khoi_desktop.core.bulk_load import indexes_deferred, insert_rows
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import Member, Membership, MoveReason, Organization, OrgKind, Sex

TABLES = ("members", "memberships")


def _indexes(db: Database) -> list[tuple[str, str]]:
    with db.plain_reading() as conn:
        return sorted(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                                   "('members', 'memberships')").fetchall())


def _rows(code: str) -> tuple[dict[str, object], dict[str, object]]:
    member = {"id": int(code[2:]), "code": code, "family_name": "Nguyễn", "middle_name": "Thị", "given_name": "Lan",
              "search_key": "nguyen thi lan", "sort_key": "x", "sex": Sex.NU, "birth_date": dt.date(1990, 2, 3),
              "admitted_on": dt.date(2015, 5, 19), "full_member_on": None}
    membership = {"member_id": int(code[2:]), "org_id": 1, "valid_from": dt.date(2015, 5, 19), "valid_to": None,
                  "start_reason": MoveReason.KET_NAP, "end_reason": None, "note": None}
    return member, membership


def test_rows_read_back_as_the_orm_writes_them(db: Database) -> None:
    before = _indexes(db)
    with db.writing() as s:
        s.execute(insert(cast(Table, Organization.__table__)), [{
            "id": 1, "code": "CS001", "name": "Chi bộ A", "name_key": "chi bo a", "kind": OrgKind.CHI_BO_CO_SO,
            "founded_on": dt.date(2000, 1, 1)}])
        with indexes_deferred(s, TABLES):
            assert _indexes_in(s) == []
            member, membership = _rows("DV000001")
            insert_rows(s, cast(Table, Member.__table__), [member])
            insert_rows(s, cast(Table, Membership.__table__), [membership])
        s.execute(insert(cast(Table, Member.__table__)), [_rows("DV000002")[0]])  # as SQLAlchemy does
    assert _indexes(db) == before and before
    with db.plain_reading() as conn:
        fast, slow = conn.execute("SELECT * FROM members ORDER BY id").fetchall()
    assert fast[2:] == slow[2:]
    with db.reading() as s:
        read = s.scalars(select(Member).where(Member.code == "DV000001")).one()
        assert (read.sex, read.birth_date, read.full_member_on) == (Sex.NU, dt.date(1990, 2, 3), None)
        assert s.scalars(select(Membership)).one().start_reason == MoveReason.KET_NAP.value


def _indexes_in(session) -> list[object]:  # type: ignore[no-untyped-def]
    return session.connection().exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
        "('members', 'memberships')").all()


def test_a_failed_load_keeps_the_indexes(db: Database) -> None:
    before = _indexes(db)
    with pytest.raises(RuntimeError), db.writing() as s, indexes_deferred(s, TABLES):
        raise RuntimeError("the load failed")
    assert _indexes(db) == before
