"""Chi bộ meetings in core: recording against the members of the day, refusals, status, findings, criteria."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.auth.permissions import PermissionDenied
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.meetings.criteria import Band, CriteriaSheet, Criterion, load_sheets, save_sheet
from khoi_desktop.core.meetings.findings import meeting_findings
from khoi_desktop.core.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, Rating
from khoi_desktop.core.meetings.recording import (
    AttendanceInput,
    MeetingExists,
    MeetingInput,
    meeting_from_json,
    record_meeting,
    roster,
)
from khoi_desktop.core.meetings.status import CellStatus, chi_bo_year, month_grid, month_status, year_summary
from khoi_desktop.core.models import AuditEntry, Organization
from khoi_desktop.core.tree import load_snapshot
from meeting_office import CB03_ENDED, MOVED_ON, TODAY, build

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED
FULL_SCORES = {"chuan_bi": 18, "thoi_gian": 9, "ty_le_du": 18, "noi_dung": 18, "phe_binh": 13, "nghi_quyet": 14}


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Database]:
    db = build(tmp_path / "office.db")
    yield db
    db.close()


def cb01_meeting(day: dt.date, **changes: object) -> MeetingInput:
    attendance = [AttendanceInput("DV-AN", P), AttendanceInput("DV-BINH", A, "Đi công tác"),
                  AttendanceInput("DV-CHI", A)]
    if day < MOVED_ON:
        attendance.append(AttendanceInput("DV-MOVER", P))
    values: dict[str, object] = {"org": "CB01", "kind": MeetingKind.THUONG_KY, "planned_on": day, "held_on": day,
                                 "topic": "Nhiệm vụ tháng", "chair": "DV-AN", "attendance": tuple(attendance),
                                 "scores": dict(FULL_SCORES)}
    values.update(changes)
    return MeetingInput(**values)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(Meeting)) or 0,
                s.scalar(select(func.count()).select_from(Attendance)) or 0,
                s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_meeting_is_recorded_with_the_members_of_its_day(office: Database) -> None:
    with office.writing() as s:
        meeting_id = record_meeting(s, cb01_meeting(dt.date(2024, 2, 5)), today=TODAY)
    with office.reading() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None
        assert (meeting.month, meeting.points, meeting.rating, meeting.sheet) == (
            dt.date(2024, 2, 1), 90, Rating.TOT, "thuong_ky-1")
        # Dũng is exempt: listed as such without being named in the input.
        assert (meeting.expected, meeting.present, meeting.absent, meeting.absent_unexcused, meeting.excused) == (
            4, 2, 2, 1, 1)
        statuses = s.scalars(select(Attendance.status).where(Attendance.meeting_id == meeting_id)).all()
        assert sorted(statuses) == sorted([P, A, A, P, E])
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "meetings.record" and "CB01" in (entry.target or "")


def test_after_a_move_the_member_belongs_to_the_new_chi_bo_only(office: Database) -> None:
    with office.reading() as s:
        cb01 = s.scalar(select(Organization.id).where(Organization.code == "CB01"))
        assert cb01 is not None
        assert "DV-MOVER" in {m.code for m in roster(s, cb01, MOVED_ON - dt.timedelta(days=1))}
        assert "DV-MOVER" not in {m.code for m in roster(s, cb01, MOVED_ON)}
    before = counts(office)
    late = cb01_meeting(dt.date(2024, 4, 3))
    late = MeetingInput(**{**late.__dict__, "attendance": late.attendance + (AttendanceInput("DV-MOVER", P),)})
    with pytest.raises(RequestRefused) as refused, office.writing() as s:
        record_meeting(s, late, today=TODAY)
    assert [code for code, _ in refused.value.problems] == ["not_a_member"]
    assert "không sinh hoạt tại Chi bộ Văn phòng ngày 03/04/2024" in refused.value.message
    assert counts(office) == before


def test_every_member_of_the_day_must_be_marked(office: Database) -> None:
    short = cb01_meeting(dt.date(2024, 2, 5))
    short = MeetingInput(**{**short.__dict__, "attendance": short.attendance[:2]})
    with pytest.raises(RequestRefused) as refused, office.writing() as s:
        record_meeting(s, short, today=TODAY)
    assert sorted(code for code, _ in refused.value.problems) == ["missing_member", "missing_member"]
    assert "Chưa điểm danh Lê Thị Chi (DV-CHI)." in refused.value.message


def test_a_meeting_outside_the_life_of_its_chi_bo_is_refused(office: Database) -> None:
    before = counts(office)
    after_end = MeetingInput(org="CB03", kind=MeetingKind.THUONG_KY, held_on=CB03_ENDED + dt.timedelta(days=3),
                             attendance=tuple(AttendanceInput(f"DV-TT{n}", P) for n in (1, 2, 3)))
    with pytest.raises(RequestRefused) as refused, office.writing() as s:
        record_meeting(s, after_end, today=TODAY)
    assert [code for code, _ in refused.value.problems] == ["after_ended"]
    assert "đã kết thúc hoạt động từ ngày 01/02/2024" in refused.value.message
    before_founding = cb01_meeting(dt.date(2019, 6, 5))
    with pytest.raises(RequestRefused) as refused, office.writing() as s:
        record_meeting(s, before_founding, today=TODAY)
    assert refused.value.problems[0][0] == "before_founded"
    assert counts(office) == before


def test_the_same_month_is_replaced_only_when_asked(office: Database) -> None:
    with office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 2, 5)), today=TODAY)
    changed = cb01_meeting(dt.date(2024, 2, 7), topic="Chủ đề khác")
    before = counts(office)
    with pytest.raises(MeetingExists) as exists, office.writing() as s:
        record_meeting(s, changed, today=TODAY)
    assert "Ngày họp: 05/02/2024 → 07/02/2024" in exists.value.changes
    assert "Chủ đề: Nhiệm vụ tháng → Chủ đề khác" in exists.value.changes
    assert counts(office) == before
    with office.writing() as s:
        record_meeting(s, changed, today=TODAY, replace=True)
    with office.reading() as s:
        assert s.scalar(select(Meeting.topic)) == "Chủ đề khác"
        assert s.scalar(select(func.count()).select_from(Meeting)) == 1
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1)) == "meetings.replace"


def test_a_reader_may_not_record(office: Database) -> None:
    office.user = CurrentUser("xem", "", Role.CHI_XEM)
    before = counts(office)
    with pytest.raises(PermissionDenied) as denied, office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 2, 5)), today=TODAY)
    assert "ghi và nhập kết quả sinh hoạt chi bộ" in denied.value.message
    assert counts(office) == before
    office.user = CurrentUser("cv", "", Role.CHUYEN_VIEN)
    with office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 2, 5)), today=TODAY)


def test_scores_are_checked_against_the_sheet_in_force(office: Database) -> None:
    bad = cb01_meeting(dt.date(2024, 2, 5), scores={**FULL_SCORES, "chuan_bi": 21, "la": 3})
    with pytest.raises(RequestRefused) as refused, office.writing() as s:
        record_meeting(s, bad, today=TODAY)
    message = refused.value.message
    assert "Tiêu chí “la” không có trong phiếu chấm điểm sinh hoạt thường kỳ" in message
    assert "phải là số nguyên từ 0 đến 20 (đã ghi 21)" in message


def test_an_edited_sheet_rates_new_meetings_and_leaves_old_ones(office: Database) -> None:
    with office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 2, 5)), today=TODAY)
        current = load_sheets(s)[MeetingKind.THUONG_KY]
        stricter = CriteriaSheet(current.kind, current.version, current.criteria,
                                 (Band(Rating.TOT, 95), Band(Rating.KHA, 80), Band(Rating.TRUNG_BINH, 50),
                                  Band(Rating.KEM, 0)))
        saved = save_sheet(s, stricter)
        assert saved.version == "thuong_ky-2"
        record_meeting(s, cb01_meeting(dt.date(2024, 3, 5)), today=TODAY)
    with office.reading() as s:
        rows = s.execute(select(Meeting.month, Meeting.rating, Meeting.sheet).order_by(Meeting.month)).all()
    assert [(r.rating, r.sheet) for r in rows] == [(Rating.TOT, "thuong_ky-1"), (Rating.KHA, "thuong_ky-2")]


def test_a_sheet_needs_distinct_codes(office: Database) -> None:
    with pytest.raises(Exception, match="mã tiêu chí không trùng nhau"), office.writing() as s:
        save_sheet(s, CriteriaSheet(MeetingKind.CHUYEN_DE, "x", (Criterion("a", "A", 5), Criterion("a", "B", 5)), ()))


def test_json_input_names_every_problem() -> None:
    with pytest.raises(RequestRefused) as refused:
        meeting_from_json({"org": "CB01", "kind": "hop", "held_on": "05/02/2024", "extra": 1,
                           "attendance": [{"member": "DV-AN", "status": "here"}]})
    codes = sorted(code for code, _ in refused.value.problems)
    assert codes == ["invalid_attendance", "invalid_date", "invalid_kind", "unknown_field"]
    assert ("Ngày họp “05/02/2024” không hợp lệ: ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), ngày 05/02/2024 thì "
            "ghi 2024-02-05.") in refused.value.message


def test_json_input_reads_codes_in_lower_case_or_with_spaces(office: Database) -> None:
    meeting = meeting_from_json({"org": " cb01", "kind": "thuong_ky", "held_on": "2024-02-05",
                                 "planned_on": "2024-02-05", "topic": "Nhiệm vụ tháng", "chair": "DV-AN",
                                 "scores": FULL_SCORES,
                                 "attendance": [{"member": "dv-an", "status": "present"},
                                                {"member": " Dv-Binh ", "status": "absent", "reason": "Đi công tác"},
                                                {"member": "dv-chi", "status": "absent"},
                                                {"member": "DV-MOVER", "status": "present"}]})
    assert meeting.org == "CB01"
    assert [a.member for a in meeting.attendance] == ["DV-AN", "DV-BINH", "DV-CHI", "DV-MOVER"]
    with office.writing() as s:
        record_meeting(s, meeting, today=TODAY)


def test_month_status_counts_chi_bo_that_existed_all_month(office: Database) -> None:
    with office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 1, 8)), today=TODAY)
        record_meeting(s, MeetingInput(org="CB02", kind=MeetingKind.THUONG_KY, planned_on=dt.date(2024, 1, 20)),
                       today=TODAY)
    with office.reading() as s:
        january = month_status(s, dt.date(2024, 1, 1), today=TODAY)
        february = month_status(s, dt.date(2024, 2, 1), "DB01", today=TODAY)
    # January: CB01 held (rated), CB02 only planned, CB03 and CS02 nothing. CB03 ended on 1 February.
    assert january.as_json() == {"month": "2024-01", "org": None, "expected": 4, "held": 1, "thematic_held": 0,
                                 "missing": ["CB02", "CB03", "CS02"],
                                 "ratings": {"tot": 1, "kha": 0, "trung_binh": 0, "kem": 0}}
    assert {r.code: r.status for r in january.rows} == {"CB01": CellStatus.RATED, "CB02": CellStatus.PLANNED,
                                                        "CB03": CellStatus.MISSING, "CS02": CellStatus.MISSING}
    assert february.as_json()["expected"] == 2 and february.missing == ["CB01", "CB02"]
    assert {r.code: r.expected for r in february.rows} == {"CB01": True, "CB02": True}


def test_a_month_status_reads_only_the_meeting_columns_it_shows(office: Database) -> None:
    """At provincial scale the month's 10.000 meetings are most of what is read: their org, kind, held and rating
    only, by the month's own value (the covering index), not the attendance counts nor the month as a date."""
    from sqlalchemy import event

    with office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 1, 8)), today=TODAY)
        record_meeting(s, MeetingInput(org="CB01", kind=MeetingKind.CHUYEN_DE, held_on=dt.date(2024, 1, 20),
                                       topic="Chuyển đổi số", attendance=(
                                           AttendanceInput("DV-AN", P), AttendanceInput("DV-BINH", P),
                                           AttendanceInput("DV-CHI", A), AttendanceInput("DV-MOVER", P))),
                       today=TODAY)
    seen: list[str] = []

    def look(conn, cursor, statement, params, context, executemany) -> None:  # type: ignore[no-untyped-def]
        if "FROM meetings" in statement:
            seen.append(" ".join(statement.split()))

    event.listen(office.engine, "before_cursor_execute", look)
    try:
        with office.reading() as s:
            january = month_status(s, dt.date(2024, 1, 1), today=TODAY)
    finally:
        event.remove(office.engine, "before_cursor_execute", look)
    assert (january.held, january.thematic_held, january.missing) == (1, 1, ["CB02", "CB03", "CS02"])
    assert len(seen) == 1
    columns = seen[0].split(" FROM ")[0]
    assert "expected" not in columns and "present" not in columns and "month" not in columns
    assert "meetings.month = " in seen[0]


def test_the_month_views_run_without_the_cyclic_collector_and_leave_it_as_found(
        office: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A month's status, the grid and the year summary make many thousand short-lived rows at provincial scale:
    the collector's passes over them (and over all the window holds) are paused while they read
    (core/collector.py), and it is left as it was found."""
    import gc

    from khoi_desktop.core.meetings import status as views

    collecting: list[bool] = []
    load_scope = views.load_scope

    def reading(*args: object, **kwargs: object) -> object:
        collecting.append(gc.isenabled())
        return load_scope(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(views, "load_scope", reading)
    with office.reading() as s:
        status = month_status(s, dt.date(2024, 1, 1), today=TODAY)
        grid = month_grid(s, dt.date(2024, 12, 1), today=TODAY)
        summary = year_summary(s, 2024, today=TODAY)
    assert collecting == [False, False, False] and gc.isenabled()
    assert status.expected == 4 and len(grid.months) == 12 and summary.year == 2024
    gc.disable()
    try:
        with office.reading() as s:
            month_status(s, dt.date(2024, 1, 1), today=TODAY)
        assert not gc.isenabled()  # a caller's pause is not ended by the view
    finally:
        gc.enable()

def test_grid_year_and_history(office: Database) -> None:
    with office.writing() as s:
        for month in (1, 2, 4):
            record_meeting(s, cb01_meeting(dt.date(2024, month, 8)), today=TODAY)
        record_meeting(s, MeetingInput(org="CB01", kind=MeetingKind.CHUYEN_DE, held_on=dt.date(2024, 2, 20),
                                       topic="Chuyển đổi số", attendance=(
                                           AttendanceInput("DV-AN", P), AttendanceInput("DV-BINH", P),
                                           AttendanceInput("DV-CHI", A), AttendanceInput("DV-MOVER", P))),
                       today=TODAY)
    with office.reading() as s:
        grid = month_grid(s, dt.date(2024, 4, 1), 4, "DB01", today=TODAY)
        summary = year_summary(s, 2024, "DB01", today=TODAY)
        history = chi_bo_year(s, "CB01", 2024)
    cb01 = next(r for r in grid.rows if r.chi_bo.code == "CB01")
    assert cb01.cells == [CellStatus.RATED, CellStatus.RATED, CellStatus.MISSING, CellStatus.RATED]
    assert cb01.thematic == [False, True, False, False]
    cb03 = next(r for r in grid.rows if r.chi_bo.code == "CB03")
    assert cb03.cells == [CellStatus.MISSING] + [CellStatus.NONE] * 3
    total = summary.total
    # CB01, CB02: 11 finished months each; CB03: January only.
    assert (total.chi_bo, total.expected, total.held) == (3, 23, 3)
    assert total.thematic_quarters[0] == [1, 2]
    assert total.ratings[Rating.TOT] == 3
    assert [(m.month.month, m.kind) for m in history.meetings] == [
        (1, MeetingKind.THUONG_KY), (2, MeetingKind.THUONG_KY), (2, MeetingKind.CHUYEN_DE), (4, MeetingKind.THUONG_KY)]
    chi = next(a for a in history.absentees if a.code == "DV-CHI")
    assert (chi.unexcused, chi.with_reason) == (4, 0)


def test_a_chi_bo_year_in_one_query(office: Database) -> None:
    """The organization, its year's meetings and their absences: one round trip on a server (was three);
    a year without meetings too; an unknown code refused."""
    from sqlalchemy import event

    from khoi_desktop.core.errors import OrgNotFound

    with office.writing() as s:
        record_meeting(s, cb01_meeting(dt.date(2024, 3, 8)), today=TODAY)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(office.engine, "before_cursor_execute", count)
    try:
        with office.reading() as s:
            statements.clear()
            year = chi_bo_year(s, "CB01", 2024)
            assert len(statements) == 1
            statements.clear()
            empty = chi_bo_year(s, "CB01", 2023)
            assert len(statements) == 1
            with pytest.raises(OrgNotFound):
                chi_bo_year(s, "CB99", 2024)
    finally:
        event.remove(office.engine, "before_cursor_execute", count)
    assert [m.month for m in year.meetings] == [dt.date(2024, 3, 1)] and year.code == "CB01"
    assert (empty.meetings, empty.absentees, empty.code) == ([], [], "CB01")


def test_findings_name_missing_months_quarters_and_absentees(office: Database) -> None:
    with office.writing() as s:
        for month in range(1, 12):
            record_meeting(s, cb01_meeting(dt.date(2024, month, 8)), today=TODAY)
        record_meeting(s, MeetingInput(org="CB01", kind=MeetingKind.CHUYEN_DE, held_on=dt.date(2024, 5, 20),
                                       topic="Chuyển đổi số", attendance=(
                                           AttendanceInput("DV-AN", P), AttendanceInput("DV-BINH", P),
                                           AttendanceInput("DV-CHI", P))), today=TODAY)
    with office.reading() as s:
        findings = meeting_findings(s, load_snapshot(s, TODAY))
    by = {(f.org, f.rule): f for f in findings if f.rule != "member_absent_3_times"}
    # The finished months since the first one recorded (January 2024), December 2023 not included.
    assert ("CB01", "meeting_missing") not in by
    assert by[("CB02", "meeting_missing")].message.startswith("Chi bộ Kế toán chưa báo cáo sinh hoạt thường kỳ 11 "
                                                              "tháng: 01/2024, 02/2024")
    assert "CB03" not in {f.org for f in findings}  # ended: nobody to remind
    assert by[("CB01", "no_thematic_meeting")].message == (
        "Chi bộ Văn phòng không có sinh hoạt chuyên đề trong quý 1/2024, quý 3/2024.")
    absent = [f for f in findings if f.rule == "member_absent_3_times"]
    assert len(absent) == 1 and absent[0].org == "CB01"
    assert "Lê Thị Chi (DV-CHI)" in absent[0].message and "11 lần trong năm 2024" in absent[0].message
    assert "Trần Thị Bình" not in absent[0].message  # absent with a reason


def test_no_meeting_findings_before_any_meeting_is_recorded(office: Database) -> None:
    with office.reading() as s:
        assert meeting_findings(s, load_snapshot(s, TODAY)) == []


def _demo(path: Path, seed: int) -> Path:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.demo import generate_demo

    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=seed, today=TODAY)
    db.close()
    return path


def test_demo_meetings_are_deterministic_and_history_correct(tmp_path: Path) -> None:
    import sqlite3

    first, again = _demo(tmp_path / "a.db", 5), _demo(tmp_path / "b.db", 5)
    dumps = []
    for path in (first, again):
        conn = sqlite3.connect(path)
        dumps.append((conn.execute("SELECT * FROM meetings ORDER BY id").fetchall(),
                      conn.execute("SELECT * FROM meeting_attendance ORDER BY 1, 2").fetchall()))
        conn.close()
    assert dumps[0] == dumps[1] and len(dumps[0][0]) > 5000 and len(dumps[0][1]) > 60_000
    conn = sqlite3.connect(first)
    # Every attendance row is a member of the meeting's chi bộ on the day it was held, and every such member
    # is marked; the counts on each meeting agree with its rows; exempt members are excused.
    strangers = conn.execute(
        "SELECT count(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id WHERE NOT EXISTS ("
        "SELECT 1 FROM memberships s WHERE s.member_id = a.member_id AND s.org_id = m.org_id "
        "AND s.valid_from <= m.held_on AND (s.valid_to IS NULL OR s.valid_to > m.held_on))").fetchone()[0]
    unmarked = conn.execute(
        "SELECT count(*) FROM meetings m JOIN memberships s ON s.org_id = m.org_id AND s.valid_from <= m.held_on "
        "AND (s.valid_to IS NULL OR s.valid_to > m.held_on) WHERE NOT EXISTS (SELECT 1 FROM meeting_attendance a "
        "WHERE a.meeting_id = m.id AND a.member_id = s.member_id)").fetchone()[0]
    wrong_counts = conn.execute(
        "SELECT count(*) FROM meetings m WHERE m.held_on IS NOT NULL AND (m.present, m.absent, m.excused, "
        "m.absent_unexcused) != (SELECT sum(status = 'present'), sum(status = 'absent'), sum(status = 'excused'), "
        "sum(status = 'absent' AND reason IS NULL) FROM meeting_attendance a WHERE a.meeting_id = m.id)").fetchone()[0]
    exempt_present = conn.execute(
        "SELECT count(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id JOIN members p "
        "ON p.id = a.member_id WHERE p.exempt_since <= m.held_on AND a.status != 'excused'").fetchone()[0]
    months = conn.execute("SELECT count(DISTINCT month) FROM meetings").fetchone()[0]
    conn.close()
    assert (strangers, unmarked, wrong_counts, exempt_present) == (0, 0, 0, 0)
    assert months == 13  # the last twelve finished months and this month's registrations


def test_the_absence_limit_and_the_months_looked_at_are_settings(office: Database) -> None:
    from dataclasses import replace

    from khoi_desktop.core.settings import load_settings, save_settings

    with office.writing() as s:
        for month in range(1, 12):
            record_meeting(s, cb01_meeting(dt.date(2024, month, 8)), today=TODAY)
        settings = load_settings(s)
        save_settings(s, replace(settings, thresholds=replace(settings.thresholds, meeting_absence_limit=12,
                                                              meeting_lookback_months=3)))
    with office.reading() as s:
        findings = meeting_findings(s, load_snapshot(s, TODAY))
    assert not [f for f in findings if f.rule == "member_absent_3_times"]  # 11 absences, under a limit of 12
    missing = next(f for f in findings if f.org == "CB02" and f.rule == "meeting_missing")
    assert "3 tháng: 09/2024, 10/2024, 11/2024" in missing.message
