"""A file office copied into an empty server (migrate-to-server, a restore into a server: transfer.load_into_server,
by COPY … FROM STDIN) holds exactly what SQLAlchemy's row-by-row copy held: every table's rows, text with COPY's
special characters, NULLs, dates and times, enums, booleans, a PDF's bytes, and the id sequences after them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from factories import add_member, add_members, add_org
from khoi_desktop.core import transfer
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.backup.snapshot import snapshot_in_memory
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Member, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf
from pg_support import drop, empty_database

DAY = dt.date(2026, 3, 2)
ODD = ["a\\b", "\\N", "\\.", "tab\there", "line\nnext", "cr\rret", "end\\", "", "quote ' \" x",
       "Nguyễn Thị Hòa 🌸", "\\\\x41\t\\n"]


def _office(path: Path) -> None:
    local = open_database(path, create=True)
    try:
        with local.writing() as s:
            save_settings(s, OfficeSettings(configured=True))
            s.add(Term(name="hien-tai", starts_on=DAY - dt.timedelta(days=400), ends_on=DAY + dt.timedelta(days=400)))
            first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
            second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
            small = add_org(s, "CB0001", "Chi bộ Phòng 1", "chi_bo_truc_thuoc", parent=first)
            add_members(s, small, 3)
            add_members(s, add_org(s, "CB0900", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
            add_members(s, add_org(s, "CB0800", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=second), 30)
            for odd in ODD:
                add_member(s, "Lê Văn Lạ", small, job_title=odd)
            add_member(s, "Trần Thị Trống", small, job_title=None, birth_date=None, probationary=True)
        with local.writing() as s:  # an issued decision: a datetime, an enum, the PDF's bytes
            apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}), actor="x",
                          issue=True, today=DAY, render=render_pdf)
        with local.engine.begin() as c:  # a timestamp on a whole second (isoformat without a fraction)
            c.exec_driver_sql("UPDATE decisions SET changed_at = '2026-03-02 10:00:00.000000'")
    finally:
        local.close()


def _orm_copy(path: Path, url: str) -> None:
    """The office copied as before COPY: SQLAlchemy's rows inserted into the migrated empty server."""
    image = snapshot_in_memory(path)
    try:
        transfer.upgrade_image(image)
        db = open_database(url, create=True)
        try:
            with transfer._memory_engine(image).connect() as source, db.engine.begin() as target:
                transfer.copy_office(source, target)
        finally:
            db.close()
    finally:
        image.close()


def _digest_as_before(connection) -> str:  # type: ignore[no-untyped-def]
    """transfer.content_digest as it was first written: SQLAlchemy's rows, each value through _plain, json.dumps."""
    digest = hashlib.sha256()
    for table in transfer._tables():
        digest.update(f"\x00{table.name}\x00".encode())
        for row in connection.execute(select(table).order_by(*transfer._order(table))):
            digest.update(json.dumps([transfer._plain(v) for v in row], ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def test_the_copy_into_a_server_holds_what_the_orm_copy_held(pg: str, tmp_path: Path) -> None:
    path = tmp_path / "van-phong.db"
    _office(path)
    fast_url, slow_url = empty_database(), empty_database()
    try:
        image = snapshot_in_memory(path)
        try:
            fast, counts, _digest = transfer.load_into_server(image, fast_url)
        finally:
            image.close()
        _orm_copy(path, slow_url)
        slow = open_database(slow_url)
        try:
            with fast.engine.connect() as a, slow.engine.connect() as b:
                for table in transfer._tables():
                    rows = a.execute(select(table).order_by(*transfer._order(table))).all()
                    assert rows == b.execute(select(table).order_by(*transfer._order(table))).all(), table.name
                    assert len(rows) == counts[table.name]
                # the foreign keys and indexes dropped during the copy are back, the same
                for schema in ("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                               "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2",
                               "SELECT tablename, indexname, indexdef FROM pg_indexes "
                               "WHERE schemaname = current_schema() ORDER BY 1, 2"):
                    assert a.execute(text(schema)).all() == b.execute(text(schema)).all() != []
                sequences = text("SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename")
                assert a.execute(sequences).all() == b.execute(sequences).all()
                # the content digest (read from the drivers) is the one SQLAlchemy's rows gave, on both engines
                assert transfer.content_digest(a) == _digest_as_before(a) == _digest_as_before(b) == _digest
                local = open_database(path)
                try:
                    with local.engine.connect() as c:
                        assert transfer.content_digest(c) == _digest_as_before(c) == _digest
                finally:
                    local.close()
                titles = a.execute(select(Member.job_title).where(Member.family_name == "Lê")).scalars().all()
                assert sorted(titles) == sorted(ODD)
                assert counts["decisions"] == 1 and counts["members"] == 63 + len(ODD) + 1
            with fast.writing() as s:  # the ids continue after the copied ones
                newest = add_member(s, "Phạm Văn Mới", None)
                assert newest.id == max(s.scalars(select(Member.id))) and newest.id > len(ODD) + 64
        finally:
            fast.close()
            slow.close()
    finally:
        drop(fast_url)
        drop(slow_url)


def test_a_row_breaking_a_foreign_key_fails_the_copy_and_leaves_the_server_empty(pg: str, tmp_path: Path) -> None:
    """The foreign keys are checked once after the rows are in (dropped during the copy): a broken one still
    fails the whole copy."""
    from khoi_desktop.core.errors import DatabaseError

    path = tmp_path / "van-phong.db"
    _office(path)
    url = empty_database()
    try:
        image = snapshot_in_memory(path)
        try:
            image.execute("PRAGMA foreign_keys = OFF")
            image.execute("UPDATE memberships SET member_id = 999999 WHERE id = (SELECT max(id) FROM memberships)")
            image.commit()
            with pytest.raises(DatabaseError, match="foreign key") as failure:
                transfer.load_into_server(image, url)
            assert failure.value.code == "copy_refused" and "không có gì được giữ lại" in str(failure.value)
        finally:
            image.close()
        db = open_database(url)
        try:
            with db.engine.connect() as connection:
                assert transfer.is_empty(connection)
        finally:
            db.close()
    finally:
        drop(url)
