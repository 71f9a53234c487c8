"""The demo office: exact figures, determinism, history, planned rule findings, realistic records."""

from __future__ import annotations

import collections
import datetime as dt
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khoi_desktop.core import demo_data
from khoi_desktop.core.audit import first_broken_entry
from khoi_desktop.core.dates import probation_ends
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.demo import generate_demo
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import (
    AuditEntry,
    CommitteeSeat,
    Member,
    Membership,
    Organization,
    OrgKind,
    Placement,
    SeatRole,
    Term,
)
from khoi_desktop.core.rules import check
from khoi_desktop.core.settings import Thresholds, load_settings
from khoi_desktop.core.stats import counts_on
from khoi_desktop.core.text import fold, name_sort_key
from khoi_desktop.core.tree import OrgSnapshot, load_snapshot, valid_on

LEFT = ("tu_tran", "chuyen_di", "xoa_ten", "xin_ra", "khai_tru")

TODAY = dt.date(2026, 5, 15)
EXPECTED = {"tccsd": 73, "dang_bo_co_so": 42, "chi_bo_co_so": 31, "dang_bo_bo_phan": 2,
            "chi_bo_truc_thuoc": 350, "members": 5356, "probationary": 268}


def make_demo(path: Path, **options: object) -> Database:
    db = open_database(path, create=True)
    generate_demo(db, **{"scale": 1, "seed": 1, "today": TODAY, **options})  # type: ignore[arg-type]
    return db


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = make_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    yield db
    db.close()


def test_a_new_file_is_written_without_the_wal_then_wal_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's one transaction goes straight into the new file (journal in memory: no 250 MB through the WAL at
    scale 20, no checkpoint copy after); the file is WAL again after, the rows all there."""
    from khoi_desktop.core import demo

    modes: list[str] = []
    ratings = demo.write_ratings

    def watched(session: Session, plan: object) -> int:
        modes.append(session.connection().exec_driver_sql("PRAGMA journal_mode").scalar())
        return ratings(session, plan)  # type: ignore[arg-type]

    monkeypatch.setattr(demo, "write_ratings", watched)
    db = make_demo(tmp_path / "memory.db")
    with db.reading() as session:
        assert session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert figures(session, TODAY) == EXPECTED
    db.close()
    assert modes == ["memory"]


def test_the_file_is_wal_again_before_its_syncs_are(tmp_path: Path) -> None:
    """Switching back to WAL commits a header change: done while synchronous is still OFF, so that commit does not
    fsync the whole new file (250 MB at scale 20); synchronous and the key checks are back after it."""
    db = open_database(tmp_path / "synced.db", create=True)
    pooled = db.engine.raw_connection()
    raw = pooled.driver_connection
    synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
    pragmas: list[str] = []
    raw.set_trace_callback(lambda sql: pragmas.append(" ".join(sql.split()).lower()) if sql.startswith("PRAGMA")
                           else None)
    pooled.close()
    generate_demo(db, scale=1, seed=1, today=TODAY)
    raw.set_trace_callback(None)
    tail = pragmas[pragmas.index("pragma journal_mode = memory"):]
    back = [p for p in tail if p in ("pragma journal_mode = wal", "pragma foreign_keys = on",
                                    f"pragma synchronous = {synchronous}")]
    assert back == ["pragma journal_mode = wal", "pragma foreign_keys = on", f"pragma synchronous = {synchronous}"]
    with db.reading() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == synchronous
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.close()


def test_the_plan_is_freed_without_the_cyclic_collector(tmp_path: Path) -> None:
    """generate_demo pauses the collector: the plan (its chi bộ, members and spans name each other) must be freed
    by reference counting once written, not left for the collector's next pass over half a million objects."""
    import gc

    from khoi_desktop.core import demo

    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        make_demo(tmp_path / "freed.db").close()
        left = [o for o in gc.get_objects() if isinstance(o, demo._Member | demo._Org | demo._Span)]
    finally:
        if was_enabled:
            gc.enable()
    assert left == []


def test_the_administrator_is_hashed_off_the_main_thread_and_signs_in(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo administrator's Argon2 hash is made on another thread while the plan is drawn (core/demo.py); the
    documented password signs in, a wrong one does not."""
    import threading

    from khoi_desktop.core import demo
    from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME, LoginRefused, authenticate

    threads: list[str] = []
    made = demo.demo_admin_hash

    def watched() -> str:
        threads.append(threading.current_thread().name)
        return made()

    monkeypatch.setattr(demo, "demo_admin_hash", watched)
    db = make_demo(tmp_path / "admin.db")
    try:
        assert len(threads) == 1 and threads[0] != threading.main_thread().name
        assert authenticate(db, DEMO_USERNAME, DEMO_PASSWORD).username == DEMO_USERNAME
        with pytest.raises(LoginRefused):
            authenticate(db, DEMO_USERNAME, DEMO_PASSWORD + "x")
    finally:
        db.close()


def test_the_word_index_is_made_by_sqlite_as_name_words_makes_it() -> None:
    """member_words of the demo and of a server backup's reader are made in SQL from the stored keys
    (core/member_words.py, WORDS_SQL): the same distinct words as name_words, whatever the key holds (quotes,
    backslashes, apostrophes, repeated and doubled spaces, diacritics); a key SQL would split otherwise (a tab,
    a non-breaking space, a control character) makes fill_words take name_words itself."""
    import sqlite3

    from khoi_desktop.core.member_words import WORDS_SQL, fill_words, name_words

    plain = ["nguyen thi thu thu", 'a"b  c\\d "', "h'mong vang  ", "", "\\\"", "x", "  đỗ   ngọc\\ \"ánh\"  ",
             "o'neil o'neil", "\\\\ \\ \\\\"]
    for keys in (plain, [*plain, "a\tb", "c\u00a0d", "e\x01f g", "h\ni"]):
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE members (id INTEGER PRIMARY KEY, search_key TEXT)")
        conn.execute("CREATE TABLE member_words (word TEXT, member_id INTEGER, PRIMARY KEY (word, member_id))")
        conn.executemany("INSERT INTO members VALUES (?, ?)", list(enumerate(keys, start=1)))
        expected = sorted((word, n) for n, key in enumerate(keys, start=1) for word in name_words(key))
        if keys is plain:
            conn.execute(WORDS_SQL)
            assert conn.execute("SELECT word, member_id FROM member_words ORDER BY rowid").fetchall() == expected
            conn.execute("DELETE FROM member_words")
        fill_words(conn)
        assert conn.execute("SELECT word, member_id FROM member_words ORDER BY rowid").fetchall() == expected, keys
        conn.close()


def test_every_reference_holds_and_the_checks_are_back_on(demo_db: Database) -> None:
    """The demo writes with SQLite's foreign-key checks and fsync off (core/demo.py): none of its rows may refer
    to a row that does not exist, and the file's connections check and sync again after it."""
    with demo_db.reading() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        # The search index is filled in one go, its insert trigger back after (core/demo.py).
        assert connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name = 'member_fts_insert'").scalar() == 1
        keys = connection.exec_driver_sql("SELECT search_key FROM members").scalars().all()
        found = connection.exec_driver_sql("SELECT count(*) FROM member_fts WHERE member_fts MATCH 'thi'").scalar()
        assert found == sum("thi" in key.split() for key in keys) > 0


@pytest.fixture(scope="module")
def snapshot(demo_db: Database) -> OrgSnapshot:
    with demo_db.reading() as session:
        return load_snapshot(session, TODAY)


def figures(session: Session, day: dt.date) -> dict[str, int]:
    counts = counts_on(session, day)
    return {key: getattr(counts, key) for key in EXPECTED}


def table(session: Session, *columns: object) -> list[tuple[object, ...]]:
    return [tuple(row) for row in session.execute(select(*columns).order_by(*columns[:1]))]  # type: ignore[call-overload]


# --- figures --------------------------------------------------------------------------------------

def test_exact_counts_at_scale_1(demo_db: Database) -> None:
    with demo_db.reading() as session:
        assert figures(session, TODAY) == EXPECTED


def test_scale_2_doubles_every_count(tmp_path: Path) -> None:
    db = make_demo(tmp_path / "double.db", scale=2)
    with db.reading() as session:
        assert figures(session, TODAY) == {key: 2 * value for key, value in EXPECTED.items()}
        names = session.scalars(select(Organization.name).where(Organization.code == "CS074")).one()
        assert names.endswith(" (cụm 2)")
        current = select(func.max(Member.code)).join(Membership, Membership.member_id == Member.id).where(
            valid_on(Membership, TODAY))
        assert session.scalar(current) == "DV010712", "members who left (member_events' demo) come after"
    db.close()


def test_the_past_differs(demo_db: Database) -> None:
    with demo_db.reading() as session:
        past = figures(session, dt.date(2018, 1, 1))
    assert past["chi_bo_truc_thuoc"] == EXPECTED["chi_bo_truc_thuoc"] + 4
    assert past["tccsd"] == EXPECTED["tccsd"]
    assert 0 < past["members"] < EXPECTED["members"]


def test_exact_counts_hold_on_the_earliest_allowed_day(tmp_path: Path) -> None:
    day = dt.date(2024, 1, 1)
    db = make_demo(tmp_path / "early.db", today=day)
    with db.reading() as session:
        assert figures(session, day) == EXPECTED
        assert session.scalar(select(func.count()).select_from(CommitteeSeat).where(
            CommitteeSeat.term == "2025-2030")) == 0  # that congress had not happened yet
    db.close()


# --- determinism ----------------------------------------------------------------------------------

def test_same_seed_same_office(demo_db: Database, tmp_path: Path) -> None:
    again = make_demo(tmp_path / "again.db")
    other = make_demo(tmp_path / "other.db", seed=2)
    member_columns = (Member.code, Member.family_name, Member.middle_name, Member.given_name,
                      Member.birth_date, Member.national_id, Member.card_number)
    with demo_db.reading() as one, again.reading() as two, other.reading() as three:
        assert table(one, *member_columns) == table(two, *member_columns)
        assert table(one, Organization.code, Organization.name, Organization.founded_on) == table(
            two, Organization.code, Organization.name, Organization.founded_on)
        seat_columns = (CommitteeSeat.id, CommitteeSeat.org_id, CommitteeSeat.member_id, CommitteeSeat.role)
        assert table(one, *seat_columns) == table(two, *seat_columns)
        assert table(one, *member_columns) != table(three, *member_columns)
        assert figures(three, TODAY) == EXPECTED
    again.close()
    other.close()


# --- structure ------------------------------------------------------------------------------------

def test_each_current_member_is_in_exactly_one_active_chi_bo(demo_db: Database, snapshot: OrgSnapshot) -> None:
    with demo_db.reading() as session:
        current = session.execute(
            select(Membership.member_id, Membership.org_id).where(valid_on(Membership, TODAY))).all()
        # Those who left in the last two years (core/member_events/demo.py) are members no more.
        member_count = session.scalar(select(func.count()).select_from(Member)) - session.scalar(
            select(func.count()).select_from(Membership).where(Membership.end_reason.in_(LEFT)))
    per_member = collections.Counter(member_id for member_id, _ in current)
    assert len(per_member) == member_count == EXPECTED["members"]
    assert set(per_member.values()) == {1}
    for _, org_id in current:
        node = snapshot.nodes[org_id]
        assert node.active and node.kind.is_chi_bo


def test_every_chi_bo_keeps_three_full_members_but_the_planned_one(snapshot: OrgSnapshot) -> None:
    chi_bo = [n for n in snapshot.active_nodes() if n.kind.is_chi_bo]
    short = [n for n in chi_bo if n.full_members < 3]
    assert len(short) == 1
    assert short[0].kind is OrgKind.CHI_BO_TRUC_THUOC and short[0].full_members == 2


def test_rules_flag_exactly_the_planned_exceptions(snapshot: OrgSnapshot) -> None:
    rules = collections.Counter(f.rule for f in check(snapshot, Thresholds()))
    assert rules["chi_bo_over_30"] == 5
    assert rules["dang_bo_under_30"] == 1
    assert rules["too_few_full_members"] == 1
    assert rules["dang_bo_without_chi_bo"] == 0
    assert rules["tccsd_should_be_dang_bo"] == 0


def test_sizes_of_the_planned_organizations(snapshot: OrgSnapshot) -> None:
    active = snapshot.active_nodes()
    assert all(31 <= n.members <= 42 for n in active if n.kind.is_chi_bo and n.members > 30)
    assert all(n.members < 30 for n in active if n.kind is OrgKind.CHI_BO_CO_SO)
    dang_bo = [n for n in active if n.kind is OrgKind.DANG_BO_CO_SO]
    largest = max(dang_bo, key=lambda n: n.members)
    bo_phan = [n for n in active if n.kind is OrgKind.DANG_BO_BO_PHAN]
    assert {n.parent_id for n in bo_phan} == {largest.id}
    assert [len(n.children) for n in bo_phan] == [3, 3]
    assert all(snapshot.nodes[c].kind is OrgKind.CHI_BO_TRUC_THUOC for n in bo_phan for c in n.children)
    regular = [n for n in active if n.kind.is_chi_bo and 3 <= n.members <= 30]
    assert 12 <= sum(n.members for n in regular) / len(regular) <= 16


def test_names_are_unique_under_each_parent(snapshot: OrgSnapshot) -> None:
    siblings = collections.Counter((n.parent_id, n.name) for n in snapshot.active_nodes())
    assert max(siblings.values()) == 1


def test_placements_cover_each_organization_life(demo_db: Database) -> None:
    with demo_db.reading() as session:
        orgs = session.scalars(select(Organization)).all()
        for org in orgs:
            spans = [(p.valid_from, p.valid_to) for p in org.placements]
            assert spans[0][0] == org.founded_on
            assert spans[-1][1] == org.ended_on
            assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
        tccsd_parents = session.scalars(
            select(Placement.parent_id).join(Organization, Organization.id == Placement.org_id)
            .where(Organization.kind.in_([OrgKind.DANG_BO_CO_SO, OrgKind.CHI_BO_CO_SO])))
        assert set(tccsd_parents) == {None}
        ended = [org for org in orgs if org.ended_on is not None]
    assert len(ended) == 4
    assert all(org.kind is OrgKind.CHI_BO_TRUC_THUOC and 2019 <= org.ended_on.year <= 2022  # type: ignore[union-attr]
               for org in ended)
    codes = [org.code for org in orgs]
    assert {"CS001", "CS073", "BP001", "BP002", "CB0001", "CB0354"} <= set(codes)


def test_memberships_only_in_chi_bo_and_continuous(demo_db: Database) -> None:
    with demo_db.reading() as session:
        kinds = {org_id: kind for org_id, kind in session.execute(select(Organization.id, Organization.kind))}
        spans: dict[int, list[Membership]] = collections.defaultdict(list)
        for membership in session.scalars(select(Membership).order_by(Membership.valid_from)):
            spans[membership.member_id].append(membership)
        admitted = {i: day for i, day in session.execute(select(Member.id, Member.admitted_on))}
    moved = 0
    for member_id, rows in spans.items():
        assert all(kinds[r.org_id].is_chi_bo for r in rows)
        assert rows[0].valid_from >= admitted[member_id]
        assert rows[-1].valid_to is None or rows[-1].end_reason in LEFT
        for before, after in zip(rows, rows[1:], strict=False):
            assert before.valid_to == after.valid_from and before.org_id != after.org_id
            assert before.end_reason == after.start_reason == "chuyen_sinh_hoat"
        moved += len(rows) > 1
    assert 0.09 <= moved / len(spans) <= 0.16


# --- records --------------------------------------------------------------------------------------

def test_names_are_nfc_and_keys_consistent(demo_db: Database) -> None:
    with demo_db.reading() as session:
        members = session.scalars(select(Member)).all()
        org_names = session.execute(select(Organization.name, Organization.name_key, Organization.agency)).all()
    for m in members:
        for text in (m.family_name, m.middle_name, m.given_name, m.hometown, m.ethnicity, m.job_title, m.agency):
            assert text and unicodedata.is_normalized("NFC", text)
        assert m.search_key == fold(m.full_name)
        assert m.sort_key == name_sort_key(m.family_name, m.middle_name, m.given_name)
    for name, name_key, agency in org_names:
        assert unicodedata.is_normalized("NFC", name) and unicodedata.is_normalized("NFC", agency)
        assert name_key == fold(name)


def test_member_records_look_real(demo_db: Database) -> None:
    with demo_db.reading() as session:
        members = session.scalars(select(Member)).all()
    total = len(members)
    assert len({m.national_id for m in members}) == len({m.card_number for m in members}) == total
    for m in members:
        assert len(m.national_id) == 12 and m.national_id.isdigit() and m.national_id.startswith("019")
        century_sex = (0 if m.birth_date.year < 2000 else 2) + (m.sex == "nu")
        assert m.national_id[3:6] == f"{century_sex}{m.birth_date.year % 100:02d}"
        assert len(m.card_number) == 8 and m.card_number.isdigit()
        assert 1962 <= m.birth_date.year <= 2001
        if m.full_member_on is None:
            assert dt.timedelta(0) < TODAY - m.admitted_on <= dt.timedelta(days=395)
            assert m.exempt_since is None
        else:
            assert m.full_member_on == probation_ends(m.admitted_on)  # 29/02 → 28/02
            age = m.admitted_on.year - m.birth_date.year - (
                (m.admitted_on.month, m.admitted_on.day) < (m.birth_date.month, m.birth_date.day))
            assert 22 <= age <= 40
    family = collections.Counter(m.family_name for m in members)
    assert 0.33 <= family["Nguyễn"] / total <= 0.43
    assert {"Trần", "Lê", "Phạm", "Hoàng", "Triệu"} <= set(family)
    assert 0.40 <= sum(m.sex == "nu" for m in members) / total <= 0.50
    assert sum(m.exempt_since is not None for m in members) == 54
    assert any(len(m.middle_name.split()) == 2 for m in members)
    assert collections.Counter(m.ethnicity for m in members).most_common(1)[0][0] == "Kinh"


def test_committees_are_drawn_from_full_members_of_the_organization(demo_db: Database,
                                                                    snapshot: OrgSnapshot) -> None:
    with demo_db.reading() as session:
        seats = session.scalars(select(CommitteeSeat)).all()
        placements = session.scalars(select(Placement)).all()
        memberships = session.scalars(select(Membership)).all()
        full_on = {i: day for i, day in session.execute(select(Member.id, Member.full_member_on))}

    def parent_on(org_id: int, day: dt.date) -> int | None:
        return next(p.parent_id for p in placements
                    if p.org_id == org_id and p.valid_from <= day and (p.valid_to is None or day < p.valid_to))

    def chi_bo_on(member_id: int, day: dt.date) -> int:
        return next(m.org_id for m in by_member[member_id]
                    if m.valid_from <= day and (m.valid_to is None or day < m.valid_to))

    by_member: dict[int, list[Membership]] = collections.defaultdict(list)
    for membership in memberships:
        by_member[membership.member_id].append(membership)
    for seat in seats:
        assert full_on[seat.member_id] is not None and full_on[seat.member_id] <= seat.valid_from
        org_id: int | None = chi_bo_on(seat.member_id, seat.valid_from)
        while org_id is not None and org_id != seat.org_id:
            org_id = parent_on(org_id, seat.valid_from)
        assert org_id == seat.org_id, "a seat holder belongs to the organization (or its subtree)"
        if seat.term == "2020-2025":
            assert seat.valid_to is not None and seat.end_reason == "Hết nhiệm kỳ"
        else:
            assert seat.term == "2025-2030" and seat.valid_to is None and seat.valid_from <= TODAY

    roles: dict[tuple[int, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    holders: dict[tuple[int, str, str], set[int]] = collections.defaultdict(set)
    for seat in seats:
        roles[seat.org_id, seat.term][seat.role] += 1
        holders[seat.org_id, seat.term, seat.role].add(seat.member_id)
    expected_orgs = {n.id for n in snapshot.active_nodes() if n.kind is not OrgKind.DANG_BO_BO_PHAN}
    assert {org_id for org_id, _ in roles} == expected_orgs
    for (org_id, term), count in roles.items():
        kind = snapshot.nodes[org_id].kind
        assert count[SeatRole.BI_THU] == 1 and count[SeatRole.PHO_BI_THU] <= 1
        leaders = holders[org_id, term, SeatRole.BI_THU] | holders[org_id, term, SeatRole.PHO_BI_THU]
        if kind is OrgKind.DANG_BO_CO_SO:
            assert 5 <= count[SeatRole.CAP_UY_VIEN] <= 11 and count[SeatRole.PHO_BI_THU] == 1
            assert count[SeatRole.UY_VIEN_BTV] == (3 if count[SeatRole.CAP_UY_VIEN] >= 9 else 0)
            btv = holders[org_id, term, SeatRole.UY_VIEN_BTV]
            assert (leaders | btv) <= holders[org_id, term, SeatRole.CAP_UY_VIEN]
            assert not btv or leaders <= btv
        else:
            assert count[SeatRole.UY_VIEN_BTV] == 0 and count[SeatRole.CAP_UY_VIEN] <= 5
            if count[SeatRole.CAP_UY_VIEN]:
                assert count[SeatRole.PHO_BI_THU] == 1
                assert leaders <= holders[org_id, term, SeatRole.CAP_UY_VIEN]


def test_settings_terms_and_audit(demo_db: Database) -> None:
    with demo_db.reading() as session:
        assert load_settings(session).configured
        assert table(session, Term.name, Term.starts_on, Term.ends_on) == [
            ("2020-2025", dt.date(2020, 10, 1), dt.date(2025, 9, 30)),
            ("2025-2030", dt.date(2025, 10, 1), dt.date(2030, 9, 30)),
        ]
        entries = session.scalars(select(AuditEntry)).all()
        assert [e.action for e in entries] == ["user.create", "demo.generate"]  # the demo administrator
        assert first_broken_entry(session) is None
        # The digests of the demo's rows (computed from its plan on a thread, core/demo.py) are those of the
        # rows as stored: the deep check digests every row again.
        from khoi_desktop.core.audit_deep import deep_check

        check = deep_check(session)
        assert check.ok and check.rows > 16_000, check.problems[:3]


@pytest.mark.parametrize("given", [{1: "x" * 32, 5: "y" * 32}, {i: "z" * 32 for i in range(1, 6)}, {1: "x" * 32}])
def test_digests_given_for_a_bulk_write_are_checked_against_the_rows(db: Database, given: dict[int, str]) -> None:
    """bulk_digested: digests that do not match the rows as stored (or not all of them) are not recorded; the
    rows' own are."""
    from typing import cast

    from sqlalchemy import Table

    from khoi_desktop.core.audit import bulk_digested, record
    from khoi_desktop.core.audit_deep import deep_check
    from khoi_desktop.core.audit_models import AuditRowDigest
    from khoi_desktop.core.audit_rows import all_digests
    from khoi_desktop.core.bulk_load import insert_values

    rows = [(i, f"CB{i:02d}", f"Chi bộ {i}", f"chi bo {i}", "chi_bo_co_so", "Sở", "2020-01-01") for i in range(1, 6)]
    with db.writing() as session:
        insert_values(session, cast(Table, Organization.__table__),
                      ("id", "code", "name", "name_key", "kind", "agency", "founded_on"), rows)
        bulk_digested(session, "organizations", given)
        record(session, actor="test", action="test.bulk", target=None)
    with db.reading() as session:
        assert deep_check(session).ok
        recorded = dict(session.execute(select(AuditRowDigest.row_id, AuditRowDigest.digest)
                                        .where(AuditRowDigest.table_name == "organizations")).all())
        assert recorded == dict(all_digests(session.connection(), "organizations")) and len(recorded) == 5


@pytest.mark.parametrize("extra", [False, True])
def test_an_entry_text_joined_from_the_tables_texts_is_the_one_made_here(tmp_path: Path, extra: bool) -> None:
    """bulk_digested with each table's table_rows_text (the demo's child makes them): the entry, its rows digest
    and its rows are those made without them; with a row of another kind in the entry (extra) the text is made
    here as before."""
    from typing import cast

    from sqlalchemy import Table

    from khoi_desktop.core import audit
    from khoi_desktop.core.audit_models import AuditRowDigest
    from khoi_desktop.core.audit_rows import all_digests, table_rows_text
    from khoi_desktop.core.bulk_load import insert_values

    def entry(path: Path, with_text: bool) -> tuple[str | None, list[tuple[str, int, str | None]], int]:
        db = open_database(path, create=True)
        made = audit.sorted_rows_text
        texts: list[int] = []
        try:
            audit.sorted_rows_text = lambda rows: (texts.append(len(rows)), made(rows))[1]  # type: ignore[assignment]
            with db.writing() as session:
                orgs = [(i, f"CB{i:04d}", f"Chi bộ {i}", f"chi bo {i}", "chi_bo_co_so", "Sở", "2020-01-01")
                        for i in range(1, 1201)]
                insert_values(session, cast(Table, Organization.__table__),
                              ("id", "code", "name", "name_key", "kind", "agency", "founded_on"), orgs)
                insert_values(session, cast(Table, Placement.__table__), ("org_id", "valid_from"),
                              [(i, "2020-01-01") for i in range(1, 11)])
                if extra:
                    session.add(Term(name="2020-2025", starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2025, 9, 30)))
                    session.add(Organization(id=5000, code="CS5000", name="Đảng bộ X", name_key="dang bo x",
                                             kind=OrgKind.DANG_BO_CO_SO, agency="X", founded_on=dt.date(2020, 1, 1)))
                    session.flush()
                for table in ("organizations", "placements"):
                    digests = dict(all_digests(session.connection(), table))
                    if extra and table == "organizations":
                        digests.pop(5000)
                    audit.bulk_digested(session, table, digests,
                                        table_rows_text(table, digests) if with_text else None)
                audit.record(session, actor="test", action="test.bulk", target=None)
        finally:
            audit.sorted_rows_text = made  # type: ignore[assignment]
        try:
            with db.reading() as session:
                assert audit.first_broken_entry(session) is None
                last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
                assert last is not None
                rows = session.execute(select(AuditRowDigest.table_name, AuditRowDigest.row_id, AuditRowDigest.digest)
                                       .where(AuditRowDigest.entry_id == last.id)
                                       .order_by(AuditRowDigest.table_name, AuditRowDigest.row_id)).all()
                return last.rows_digest, [tuple(r) for r in rows], len(texts)
        finally:
            db.close()

    given_digest, given_rows, made_here = entry(tmp_path / "given.db", True)
    plain_digest, plain_rows, _ = entry(tmp_path / "plain.db", False)
    assert (given_digest, given_rows) == (plain_digest, plain_rows)
    assert len(given_rows) == 1210 + extra
    assert made_here == (1 if extra else 0)


# --- refusals -------------------------------------------------------------------------------------

def test_refuses_a_database_that_has_organizations(demo_db: Database) -> None:
    with pytest.raises(ValidationError, match="đã có tổ chức đảng"):
        generate_demo(demo_db, today=TODAY)
    with demo_db.reading() as session:
        assert figures(session, TODAY) == EXPECTED
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 2


@pytest.mark.parametrize("scale", [0, -1, 51])
def test_refuses_a_scale_out_of_range(db: Database, scale: int) -> None:
    with pytest.raises(ValidationError, match="từ 1 đến 50"):
        generate_demo(db, scale=scale)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 0
        assert not load_settings(session).configured


def test_refuses_a_date_before_the_history_ends(db: Database) -> None:
    with pytest.raises(ValidationError, match="01/01/2024"):
        generate_demo(db, today=dt.date(2023, 6, 1))


# --- word lists -----------------------------------------------------------------------------------

def test_word_lists() -> None:
    assert (len(demo_data.DANG_BO_CO_SO), len(demo_data.CHI_BO_CO_SO)) == (42, 31)
    agencies = demo_data.DANG_BO_CO_SO + demo_data.CHI_BO_CO_SO
    assert len({a.name for a in agencies}) == 73
    for agency in agencies:
        assert len(set(agency.units)) == len(agency.units)
        assert agency.staff in demo_data.JOB_TITLES
    host_units = demo_data.HOST.units[:demo_data.HOST.typical]
    assert all(unit in host_units for _, units in demo_data.BO_PHAN for unit in units)
    kho_bac = next(a for a in agencies if a.name == "Kho bạc Nhà nước tỉnh")
    assert {"Kho bạc Nhà nước huyện Đại Từ", "Kho bạc Nhà nước huyện Phú Bình"} <= set(kho_bac.units[:4])
    texts = [a.name for a in agencies] + [u for a in agencies for u in a.units] + list(demo_data.HOMETOWNS)
    texts += [v for table in demo_data.GIVEN_NAMES.values() for v in table]
    texts += [v for pairs in demo_data.FAMILY_NAMES.values() for v, _ in pairs]
    texts += [v for pairs in demo_data.MIDDLE_NAMES.values() for v, _ in pairs]
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    for names in demo_data.GIVEN_NAMES.values():
        assert len(set(names)) == len(names)


def test_member_events_give_bieu1_real_numbers(demo_db: Database) -> None:
    from khoi_desktop.core.member_events.models import MemberEvent
    from khoi_desktop.core.reports import bieu1

    start = dt.date(TODAY.year, 1, 1) if TODAY.month > 1 else dt.date(TODAY.year - 1, 1, 1)
    with demo_db.reading() as session:
        report = bieu1(session, start, TODAY)
        kinds = collections.Counter(kind for kind, on in session.execute(select(MemberEvent.kind, MemberEvent.on))
                                    if start <= on <= TODAY)
    total = report.total
    assert total.closing == EXPECTED["members"] and total.balances
    assert total.increases["ket_nap"] == kinds["ket_nap"] > 0
    for reason in LEFT:
        assert total.decreases[reason] == kinds[reason]
    assert total.decreases["tu_tran"] > 0 and total.decreases["chuyen_di"] > 0
    per_year = kinds["ket_nap"] * 365 / ((TODAY - start).days + 1) / EXPECTED["members"]
    assert 0.02 <= per_year <= 0.08, "admissions about 3-5% of the members a year"


def test_probationary_members_come_due_over_the_year_some_overdue(demo_db: Database) -> None:
    """The README's `probation FILE --due-by <end of this year>` lists people: admissions spread over the last
    13 months, so some come due within weeks and a few are overdue, and each recent year has its kết nạp."""
    from khoi_desktop.core.member_events.lists import probation_due

    with demo_db.reading() as session:
        due = probation_due(session, TODAY + dt.timedelta(days=45), as_of=TODAY)
        admitted = collections.Counter(day.year for day in session.scalars(select(Member.admitted_on)))
    overdue = [m for m in due if m.due_on is not None and m.due_on < TODAY]
    assert 15 <= len(due) <= 80 and 5 <= len(overdue) < len(due)
    for year in range(TODAY.year - 5, TODAY.year):
        assert 0.03 * 5356 <= admitted[year] <= 0.07 * 5356


def test_the_plain_row_digest_is_the_row_digest_of_canonical_values() -> None:
    """The demo digests its plan's rows with plain_row_digest (values already as stored, not looked at one by one):
    the same text as row_digest for str, int, float and None, whatever the text holds."""
    from khoi_desktop.core.audit_rows import plain_row_digest, row_digest

    for values in [("DV000001", "Nguyễn \"Văn\"\n", None, 7, -1.5, "2026-01-31", "\u0001\u2028"), (), (None,)]:
        assert plain_row_digest("members", 42, values) == row_digest("members", 42, values)
        assert plain_row_digest("members", 42, values) == row_digest("members", 42, list(values))
    assert plain_row_digest("members", 42, ("a",)) != plain_row_digest("members", 43, ("a",))
