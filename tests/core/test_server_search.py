"""Member search on a server office (core/engines/postgres_search.py, migration 0021) gives the same members
in the same order as on the SQLite file (FTS5, 0020): the demo office on both, many queries of every kind a
clerk types (whole names, family and given name, a given name, a name cut short, one letter, codes, card and
CCCD numbers, accents and capitals, nothing found), at the search's limit and below it."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factories import add_member, add_org
from khoi_desktop.core.db import open_database
from khoi_desktop.core.members import search_members
from khoi_desktop.core.models import Member, OrgKind
from khoi_desktop.core.text import fold, name_sort_key
from pg_support import SKIP_REASON, drop, empty_database, migrated_database, server_url

TODAY = dt.date(2026, 6, 1)


def _pg() -> None:
    if server_url() is None:
        if os.environ.get("CI"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The scale-1 demo office on a SQLite file and the same moved onto the server (migrate-to-server's path)."""
    _pg()
    from khoi_desktop.core.backup.snapshot import snapshot_in_memory
    from khoi_desktop.core.demo import generate_demo
    from khoi_desktop.core.transfer import load_into_server

    path: Path = tmp_path_factory.mktemp("search") / "office.db"
    file_db = open_database(path, create=True)
    generate_demo(file_db, scale=1, seed=3, today=TODAY)
    image = snapshot_in_memory(path)
    url = empty_database()
    try:
        server_db, _counts, _digest = load_into_server(image, url)
    finally:
        image.close()
    with server_db.reading() as s:  # filled by one COPY into the empty index: its key built after the rows
        assert s.scalar(select(func.count()).select_from(Member)) > 5_000
        _index_is_in_step(s)
        assert s.scalar(text("SELECT count(*) FROM pg_constraint WHERE conname = 'member_terms_pkey'")) == 1
    yield file_db, server_db
    file_db.close()
    server_db.close()
    drop(url)


def _queries(session) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(19)
    people = session.execute(select(Member.family_name, Member.middle_name, Member.given_name, Member.code,
                                    Member.card_number, Member.national_id).order_by(Member.id)).all()
    texts = ["n", "t", "a", "ng", "th", "nguyen", "Nguyễn", "NGUYỄN THỊ", "thi", "van", "nguyen van", "van an",
             "an nguyen", "thi nguyen", "nguyen an", "le thi h", "đức", "Đặng", "dang duc", "xyz", "nguyen xyz",
             "a b c", "thu thu", "  tran   van  ", "tran%", "nguyen_", "o'neil"]
    for _ in range(260):
        family, middle, given, code, card, national_id = rng.choice(people)
        words = " ".join(p for p in (family, middle, given) if p).split()
        kind = rng.randrange(8)
        if kind == 0:
            texts.append(" ".join(words))
        elif kind == 1:
            texts.append(f"{words[0]} {words[-1]}")
        elif kind == 2:
            texts.append(words[-1])
        elif kind == 3:
            text = " ".join(words)
            texts.append(text[: rng.randint(1, len(text))].strip() or "a")
        elif kind == 4:
            texts.append(" ".join(reversed(words[-2:])))
        elif kind == 5:
            texts.append(rng.choice([code, code.lower(), card or code, national_id or code]))
        elif kind == 6:
            texts.append(" ".join(w[: rng.randint(1, len(w))] for w in words))
        else:
            texts.append(" ".join(words).upper())
    return texts


@pytest.mark.parametrize("limit", [500, 7])
def test_server_search_matches_the_file(offices, limit: int) -> None:  # type: ignore[no-untyped-def]
    file_db, server_db = offices
    with file_db.reading() as on_file, server_db.reading() as on_server:
        texts = _queries(on_file)
        full = 0
        for text in texts:
            expected = search_members(on_file, text, TODAY, limit=limit)
            assert search_members(on_server, text, TODAY, limit=limit) == expected, text
            full += len(expected) >= limit
        assert full >= 20  # the limit cuts many of them (ties at the cut included)


def _index_is_in_step(session) -> None:  # type: ignore[no-untyped-def]
    """member_terms holds every prefix of every word of each member's folded name, with its name order and
    folded name; member_term_counts how many members have each prefix: as the members are now."""
    expected, counts = set(), {}  # type: ignore[var-annotated]
    for member_id, code, key, sort_key in session.execute(
            select(Member.id, Member.code, Member.search_key, Member.sort_key)):
        prefixes = {word[:n] for word in key.split() for n in range(1, len(word) + 1)}
        expected |= {(p, sort_key, code, member_id, " " + key) for p in prefixes}
        for p in prefixes:
            counts[p] = counts.get(p, 0) + 1
    held = set(session.execute(text("SELECT term, sort_key, code, id, key FROM member_terms")).all())
    assert held == expected
    held_counts = dict(session.execute(text("SELECT term, n FROM member_term_counts WHERE n > 0")).all())
    assert held_counts == counts


def test_the_server_index_follows_every_write() -> None:
    _pg()
    url = migrated_database()
    db = open_database(url)
    try:
        with db.writing() as s:
            org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
            first = add_member(s, "Nguyễn Thị Thu Thu", org, code="DV-1")
            add_member(s, "Trần Văn An", org, code="DV-2")
            gone = add_member(s, "Lê Ánh", None, code="DV-3")
            first_id, gone_id = first.id, gone.id
        with db.reading() as s:
            _index_is_in_step(s)
        with db.writing() as s:  # through the ORM: a rename, a new code; a member removed
            member = s.get(Member, first_id)
            member.given_name, member.search_key = "Đào", fold("Nguyễn Thị Thu Đào")
            member.sort_key, member.code = name_sort_key("Nguyễn", "Thị Thu", "Đào"), "DV-9"
            s.execute(text("DELETE FROM member_words WHERE member_id = :id"), {"id": gone_id})
            s.delete(s.get(Member, gone_id))
        with db.reading() as s:
            _index_is_in_step(s)
            assert [r.code for r in search_members(s, "thu dao", TODAY)] == ["DV-9"]
        with db.writing() as s:  # raw SQL, as text_cleanup writes: a rename and a job change (no index work)
            s.execute(text("UPDATE members SET search_key = 'tran van binh', job_title = 'x' WHERE code = 'DV-2'"))
        with db.reading() as s:
            _index_is_in_step(s)
            assert [r.code for r in search_members(s, "binh", TODAY)] == ["DV-2"]
            assert search_members(s, "an", TODAY) == []
    finally:
        db.close()
        drop(url)


def test_members_entered_together_reach_the_index_in_one_statement() -> None:
    """An import's members go in as multi-row INSERTs (core/engines/postgres.make_engine), so the index's
    statement-level trigger works once for all of them, not once a member (5.000 statements, each an insert
    into member_terms and an upsert of member_term_counts: an import of 5.000 took 3× the file's time)."""
    from khoi_desktop.core.member_entry import Joining, NewMember, enter_members
    from khoi_desktop.core.models import MoveReason, Sex

    _pg()
    url = migrated_database()
    db = open_database(url)
    try:
        with db.writing() as s:
            org = add_org(s, "CB1", "Chi bộ Một", OrgKind.CHI_BO_CO_SO)
            add_member(s, "Nguyễn Văn An", org, code="DV-0")
            s.execute(text("CREATE TABLE insert_statements (n integer)"))
            s.execute(text("CREATE FUNCTION count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           "INSERT INTO insert_statements SELECT count(*) FROM added; RETURN NULL; END $$"))
            s.execute(text("CREATE TRIGGER count_inserted AFTER INSERT ON members REFERENCING NEW TABLE AS added "
                           "FOR EACH STATEMENT EXECUTE FUNCTION count_inserted()"))
        names = [("Nguyễn", "Văn", "An"), ("Trần", "Thị", "Bình"), ("Lê", "Hữu", "Cường"), ("Phạm", "", "Dũng")]
        entries = [(NewMember(family, middle, f"{given} {i}", Sex.NU if i % 2 else Sex.NAM,
                              dt.date(1980, 1, 1 + i % 28), dt.date(2005, 3, 1), dt.date(2006, 3, 1),
                              job_title="Kỹ sư" if i % 3 else None),
                    Joining(org.id, dt.date(2026, 1, 10), MoveReason.DANH_SACH))
                   for i, (family, middle, given) in enumerate(names * 15)]
        with db.writing() as s:
            enter_members(s, entries)
        with db.reading() as s:
            assert s.execute(text("SELECT n FROM insert_statements")).scalars().all() == [len(entries)]
            _index_is_in_step(s)
            assert [r.code for r in search_members(s, "le huu cuong 10", TODAY)] == \
                [s.scalar(select(Member.code).where(Member.given_name == "Cường 10"))]
    finally:
        db.close()
        drop(url)
