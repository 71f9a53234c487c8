"""The word index behind member search: kept in step with every write, and the same answers as a full scan
whichever way the search starts (from the rarest prefix, or from the first names in name order)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest
from sqlalchemy import delete, select

from factories import add_member, add_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.members import search_members
from khoi_desktop.core.models import Member, MemberWord, OrgKind
from khoi_desktop.core.text import fold, name_sort_key

DAY = dt.date(2024, 6, 1)
FAMILY = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Đặng", "Phạm"]
MIDDLE = ["Văn", "Thị", "Thị Thu", "Đức", "Ngọc", "Văn"]
GIVEN = ["An", "Anh", "Ánh", "Ân", "Hoa", "Hòa", "Đức", "Thu", "Nga", "Nam", "Thủy", "Dung"]


def _words(session, member_id: int) -> set[str]:  # type: ignore[no-untyped-def]
    return set(session.scalars(select(MemberWord.word).where(MemberWord.member_id == member_id)))


def test_index_follows_inserts_and_renames(db: Database) -> None:
    with db.writing() as s:
        member = add_member(s, "Nguyễn Thị Thu Thu", None, code="DV-X")
        member_id = member.id
    with db.reading() as s:
        assert _words(s, member_id) == {"nguyen", "thi", "thu"}
    with db.writing() as s:
        member = s.scalars(select(Member).where(Member.code == "DV-X")).one()
        member.given_name, member.search_key = "Đào", fold("Nguyễn Thị Thu Đào")
    with db.reading() as s:
        assert _words(s, member_id) == {"nguyen", "thi", "thu", "dao"}
        assert [r.code for r in search_members(s, "dao", DAY)] == ["DV-X"]


def test_demo_office_indexes_every_member(db: Database) -> None:
    from khoi_desktop.core.demo import generate_demo

    generate_demo(db, scale=1, seed=2, today=DAY)
    with db.reading() as s:
        indexed = {m: set() for m in s.scalars(select(Member.id))}
        for word, member_id in s.execute(select(MemberWord.word, MemberWord.member_id)):
            indexed[member_id].add(word)
        for member_id, key in s.execute(select(Member.id, Member.search_key)):
            assert indexed[member_id] == set(key.split())
        last = max(indexed)
    # A member added after the demo takes the next id (on a server: its sequence continues after the demo's ids)
    # and is indexed like the others.
    with db.writing() as s:
        member_id = add_member(s, "Nguyễn Thị Thu Đào", None, code="DV-SAU-DEMO").id
    with db.reading() as s:
        assert member_id > last
        assert _words(s, member_id) == {"nguyen", "thi", "thu", "dao"}


def _reference(keys: dict[int, tuple[str, str, str]], text: str, limit: int) -> list[str]:
    """The search's meaning, by brute force: each word typed starts a word of the name; in order first."""
    words = fold(text).split()
    hits = []
    for code, key, sort_key in keys.values():
        spaced = " " + key
        if all(" " + w in spaced for w in words):
            hits.append(((" " + " ".join(words)) not in spaced, sort_key, code))
    return [code for _, _, code in sorted(hits)[:limit]]


@pytest.fixture
def crowd(db: Database) -> Database:
    rng = random.Random(5)
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        for i in range(400):
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            add_member(s, name, org if i % 7 else None, code=f"DV{i:04d}")
    return db


QUERIES = ["nguyen", "n", "thi", "nguyen thi", "thi nguyen", "an", "nguyen van an", "le thu", "d", "dang duc",
           "hoa", "nguyen thi thu a", "t", "xyz", "ng an", "van van"]


@pytest.mark.parametrize("limit", [500, 20, 10])
def test_same_answers_as_a_full_scan(crowd: Database, limit: int) -> None:
    # Many members share a name here: the limit falls inside groups of equal names (the server's index walks
    # them in exact name order, SQLite's resolves its rough order's ties).
    with crowd.reading() as s:
        keys = {code: (code, key, sort_key) for code, key, sort_key in
                s.execute(select(Member.code, Member.search_key, Member.sort_key))}
        for text in itertools.chain(QUERIES, ["Nguyễn Thị", "ĐẶNG"]):
            rows = search_members(s, text, DAY, limit=limit)
            assert [r.code for r in rows] == _reference(keys, text, limit), text
            assert all((r.org_code is None) == (int(r.code[2:]) % 7 == 0) for r in rows)


def test_index_follows_renames_code_changes_and_deletes(db: Database) -> None:
    with db.writing() as s:
        org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
        kept = add_member(s, "Trần Văn Khải", org, code="DV-K")
        gone = add_member(s, "Trần Thị Khánh", None, code="DV-G")
        kept_id, gone_id = kept.id, gone.id
    with db.reading() as s:
        assert [r.code for r in search_members(s, "tran kh", DAY)] == ["DV-K", "DV-G"]
    with db.writing() as s:
        member = s.get(Member, kept_id)
        member.given_name, member.search_key = "Lộc", fold("Trần Văn Lộc")
        member.sort_key = name_sort_key("Trần", "Văn", "Lộc")
        member.code = "DV-L"
        s.execute(delete(MemberWord).where(MemberWord.member_id == gone_id))
        s.delete(s.get(Member, gone_id))
    with db.reading() as s:
        assert search_members(s, "tran kh", DAY) == []
        assert [r.code for r in search_members(s, "van lo", DAY)] == ["DV-L"]
        assert [r.code for r in search_members(s, "dv-l", DAY)] == ["DV-L"]
        assert [r.code for r in search_members(s, "tran", DAY)] == ["DV-L"]
