"""The FTS5 index behind member search on SQLite (core/engines/sqlite_search.py): it holds exactly every
member's folded name under the member's rowid after every kind of write (entered, imported, renamed, moved,
deleted, restored from a backup, plain or encrypted), and it finds what `' ' || key LIKE '% word%'` finds."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from backup_support import FAST_KDF
from sqlalchemy import select, text

from factories import add_member, add_org, move_member
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.engines.sqlite_search import ID_BITS, ID_MASK, rank_sql
from khoi_desktop.core.member_entry import Joining, NewMember, import_members
from khoi_desktop.core.members import search_members
from khoi_desktop.core.models import Member, MoveReason, OrgKind, Sex
from khoi_desktop.core.text import fold, name_sort_key

# SQLite's FTS5 index itself (a server has member_terms: tests/core/test_server_search.py).
pytestmark = pytest.mark.sqlite_only

DAY = dt.date(2024, 6, 1)


def index_of(db: Database) -> dict[int, list[str]]:
    """What member_fts holds: rowid -> its words in their order (fts5vocab over the index itself)."""
    with db.reading() as s:
        connection = s.connection()
        connection.exec_driver_sql("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_words "
                                   "USING fts5vocab(main, member_fts, 'instance')")
        words: dict[int, dict[int, str]] = {}
        for term, rowid, offset in connection.exec_driver_sql("SELECT term, doc, offset FROM temp.fts_words"):
            words.setdefault(rowid, {})[offset] = term
        connection.exec_driver_sql("DROP TABLE temp.fts_words")
    return {rowid: [found[i] for i in sorted(found)] for rowid, found in words.items()}


def expected(db: Database) -> dict[int, list[str]]:
    with db.reading() as s:
        rows = s.connection().exec_driver_sql(f"SELECT {rank_sql('members')}, search_key FROM members").all()
    return {rowid: key.split() for rowid, key in rows if key}


def assert_in_step(db: Database) -> None:
    assert index_of(db) == expected(db)


def codes(db: Database, typed: str, limit: int = 500) -> list[str]:
    with db.reading() as s:
        return [row.code for row in search_members(s, typed, DAY, limit=limit)]


def _rename(db: Database, code: str, family: str, middle: str, given: str) -> None:
    with db.writing() as s:
        member = s.scalars(select(Member).where(Member.code == code)).one()
        member.family_name, member.middle_name, member.given_name = family, middle, given
        member.search_key = fold(f"{family} {middle} {given}")
        member.sort_key = name_sort_key(family, middle, given)


def test_index_follows_entries_renames_moves_and_deletions(db: Database) -> None:
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        other = add_org(s, "CB2", "Chi bộ Hai", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Nguyễn Thị Thu Thu", org, code="DV-X")
        add_member(s, "Đặng Văn Ân", org, code="DV-Y")
    assert_in_step(db)
    assert codes(db, "thu thu") == ["DV-X"]
    _rename(db, "DV-X", "Nguyễn", "Thị", "Đào")
    assert_in_step(db)
    assert codes(db, "dao") == ["DV-X"]
    assert codes(db, "th") == ["DV-X"]
    assert codes(db, "thu") == []
    with db.writing() as s:
        member = s.scalars(select(Member).where(Member.code == "DV-Y")).one()
        move_member(s, member, other, dt.date(2024, 1, 1))
    with db.reading() as s:
        assert [(r.code, r.org_code) for r in search_members(s, "dang an", DAY)] == [("DV-Y", "CB2")]
    with db.writing() as s:
        s.connection().exec_driver_sql("DELETE FROM memberships WHERE member_id = (SELECT id FROM members "
                                       "WHERE code = 'DV-Y')")
        s.connection().exec_driver_sql("DELETE FROM member_words WHERE member_id = (SELECT id FROM members "
                                       "WHERE code = 'DV-Y')")
        s.connection().exec_driver_sql("DELETE FROM members WHERE code = 'DV-Y'")
    assert_in_step(db)
    assert codes(db, "an") == []
    assert codes(db, "nguyen") == ["DV-X"]


def test_index_follows_an_import(db: Database) -> None:
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        entries = [(NewMember("Hồ", "Thị", given, Sex.NU, dt.date(1990, 1, 1), dt.date(2015, 1, 1),
                              dt.date(2016, 1, 1)), Joining(org.id, dt.date(2020, 1, 1), MoveReason.DANH_SACH))
                   for given in ("Xuân", "Xuyến", "Ánh")]
        import_members(s, entries, actor="t", source="a.xlsx", sheet="S", org="CB1", rows=[2, 3, 4])
    assert_in_step(db)
    with db.reading() as s:
        assert [r.full_name for r in search_members(s, "ho x", DAY)] == ["Hồ Thị Xuân", "Hồ Thị Xuyến"]


def test_prefixes_accents_and_punctuation_as_the_like_search(db: Database) -> None:
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        add_member(s, "H'Hen Niê", org, code="DV-HEN")
        add_member(s, "Nguyễn Đức Ánh", org, code="DV-ANH")
        add_member(s, "Trần Văn Đức", org, code="DV-DUC")
    assert codes(db, "H'H") == ["DV-HEN"]
    assert codes(db, "hen") == []  # a word starts after a space only, as in the LIKE search
    assert codes(db, "nie") == ["DV-HEN"]
    assert codes(db, "ĐỨC") == ["DV-ANH", "DV-DUC"]  # name order: Ánh before Đức
    assert codes(db, "đ") == ["DV-ANH", "DV-DUC"]
    assert codes(db, "duc nguyen") == ["DV-ANH"]
    assert codes(db, "duc a") == ["DV-ANH"]
    assert codes(db, "a duc") == ["DV-ANH"]  # any order
    assert codes(db, "n d a") == ["DV-ANH"]
    for typed in ('"', "*", "'", "a*", "NOT", "AND a", "(", "\x01", "^n", "nguyen -duc"):
        assert codes(db, typed) == [], typed  # FTS5 syntax typed is a word like any other


def test_ties_of_the_index_order_come_out_in_name_order(db: Database) -> None:
    """Members alike in the first characters of their sort key share a rowid's high part: their exact
    order comes from the members, at the limit too."""
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        # Given name "An" with middle names alike at first: same tie; codes and middles decide.
        for i, middle in enumerate(["Văn Z", "Văn B", "Văn A", "Vân", "Văn", "Văn C", "Vạn", "Văn B"]):
            add_member(s, f"Lê {middle} An", org, code=f"DV{9 - i}")
    with db.reading() as s:
        ties = {rowid >> ID_BITS for rowid, in s.connection().exec_driver_sql(
            f"SELECT {rank_sql('members')} FROM members")}
        assert len(ties) <= 2  # the test is about ties indeed
        everyone = sorted(s.execute(select(Member.sort_key, Member.code)))
    order = [code for _, code in everyone]
    for limit in range(1, 10):
        assert codes(db, "le", limit) == order[:limit]
        assert codes(db, "an le", limit) == order[:limit]  # not in that order: the second part


def test_restored_backups_keep_the_index(db: Database, tmp_path: Path) -> None:
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Phạm Thị Hương", org, code="DV-H")
    for passphrase in (None, "mat-khau-sao-luu-dai"):
        made = create_backup(db, tmp_path / f"bk{bool(passphrase)}", actor="t", kind="test", passphrase=passphrase,
                             kdf_n=FAST_KDF).path
        target = tmp_path / f"restored{bool(passphrase)}.db"
        restore_backup(made, target, actor="t", user=db.user, passphrase=passphrase)
        restored = open_database(target)
        try:
            assert_in_step(restored)
            assert codes(restored, "huong") == ["DV-H"]
            with restored.writing() as s:  # and it goes on following the writes
                add_member(s, "Phạm Văn Hùng", None, code="DV-HUNG")
            assert_in_step(restored)
            assert codes(restored, "pham h") == ["DV-HUNG", "DV-H"]
        finally:
            restored.close()


def test_copy_rows_carries_the_index(db: Database, tmp_path: Path) -> None:
    """An encrypted backup is restored by copying rows (engines/sqlite.copy_rows): the FTS5 table is made
    anew in the copy and its shadow tables' rows copied, so the copy searches as the original."""
    from khoi_desktop.core.engines.sqlite import copy_rows

    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        for i, name in enumerate(["Vũ Thị Lan", "Vũ Văn Long", "Lò Văn Vũ"]):
            add_member(s, name, org, code=f"DV{i}")
    db.close()
    src = sqlite3.connect(db.path)
    dst = sqlite3.connect(tmp_path / "copy.db")
    copy_rows(src, dst)
    src.close()
    dst.close()
    copy = open_database(tmp_path / "copy.db")
    try:
        assert_in_step(copy)
        assert codes(copy, "vu") == ["DV0", "DV1", "DV2"]
        with copy.reading() as s:
            assert s.execute(text("SELECT count(*) FROM member_fts WHERE member_fts MATCH 'lo'")).scalar() == 1
    finally:
        copy.close()


def test_member_ids_fit_the_rowid(db: Database) -> None:
    with db.writing() as s:
        add_member(s, "Nguyễn Văn An", None, code="DV-A")
    assert all(rowid & ID_MASK for rowid in index_of(db))



def test_index_made_again_when_a_migration_dropped_its_triggers(db: Database) -> None:
    """Alembic's batch mode copies `members` anew, dropping its triggers: after the migrations the index is
    made again from the members (engines/sqlite_search.repair, called by core/db.py's _migrate)."""
    from khoi_desktop.core.engines.sqlite_search import repair

    with db.writing() as s:
        add_member(s, "Nguyễn Văn An", None, code="DV-A")
        s.connection().exec_driver_sql("DROP TRIGGER member_fts_update")
        repair(s.connection())
    _rename(db, "DV-A", "Nguyễn", "Văn", "Bình")
    assert_in_step(db)
    assert codes(db, "binh") == ["DV-A"]


def test_pending_changes_are_searched(db: Database) -> None:
    """The index is read through the driver: the session's changes not yet flushed are flushed first."""
    with db.writing() as s:
        member = add_member(s, "Nguyễn Văn An", None, code="DV-A")
        member.given_name, member.search_key = "Bình", fold("Nguyễn Văn Bình")
        member.sort_key = name_sort_key("Nguyễn", "Văn", "Bình")
        assert [r.code for r in search_members(s, "binh", DAY)] == ["DV-A"]
        assert search_members(s, "an", DAY) == []


def test_a_tie_is_read_from_a_key_no_greater_than_its_members(db: Database) -> None:
    """The tie at the limit is read from ix_members_name_order starting at `_tie_start`: no member of the
    tie may sort before it, whatever the letters of the names (outside the Vietnamese alphabet too)."""
    from khoi_desktop.core.engines.sqlite_search import _tie_start

    with db.writing() as s:
        for i, name in enumerate(["Ødegaard Ole", "José María Núñez", "李 小龙", "Nguyễn Văn A", "Bế Y", "Đỗ Ư",
                                  "O'Neil Pat", "Lò Văn 2", "Trần Ánh"]):
            add_member(s, name, None, code=f"DV{i}")
    with db.reading() as s:
        rows = s.connection().exec_driver_sql(f"SELECT {rank_sql('members')}, sort_key FROM members").all()
    assert all(_tie_start(rowid >> ID_BITS) <= key for rowid, key in rows)
    for limit in range(1, 10):
        assert codes(db, "", limit) == [] and len(codes(db, "o", limit)) <= limit


def test_the_bulk_fill_computes_the_same_rowids_as_the_triggers() -> None:
    """insert_trigger_deferred's fill tests the letters first (rank_sql letters_first): the same rowid as the
    triggers' expression for every character a sort key may hold, past its end included."""
    import random

    chars = [chr(c) for c in range(1, 130)] + ["ă", "Đ", "ư", "\u2028", "中"]
    rng = random.Random(5)
    keys = ["", "A", "\x1f", "ABCDEFGHIJ"] + ["".join(rng.choice(chars) for _ in range(rng.randint(1, 9)))
                                               for _ in range(3000)]
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, sort_key TEXT)")
    connection.executemany("INSERT INTO members (sort_key) VALUES (?)", [(k,) for k in keys])
    plain, fast = (connection.execute(f"SELECT {rank_sql('members', letters_first=first)} FROM members ORDER BY id")
                   .fetchall() for first in (False, True))
    connection.close()
    assert plain == fast
    assert len({row[0] >> ID_BITS for row in plain}) > 2000  # the keys do differ
