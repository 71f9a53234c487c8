"""Chi bộ meetings: the month status of the whole office, one chi bộ's year, the demo's generation time, each
beside a raw sqlite3 floor doing the same reads."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time

from bench.common import TODAY, Result, absolute_target, demo_database, median, paired, scratch

MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # the last finished month
YEAR = MONTH.year


def _bare_month(conn: sqlite3.Connection) -> tuple[int, int]:
    """Expected chi bộ and those that held their regular meeting, in one query."""
    last = (MONTH.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    row = conn.execute(
        "SELECT count(*), count(m.id) FROM organizations o LEFT JOIN meetings m ON m.org_id = o.id AND m.month = ? "
        "AND m.kind = 'thuong_ky' AND m.held_on IS NOT NULL "
        "WHERE o.kind IN ('chi_bo_co_so', 'chi_bo_truc_thuoc') AND o.founded_on <= ? "
        "AND (o.ended_on IS NULL OR o.ended_on > ?)", (MONTH.isoformat(), MONTH.isoformat(), last.isoformat())
    ).fetchone()
    return row[0], row[1]


def _bare_year(conn: sqlite3.Connection, org_id: int) -> int:
    meetings = conn.execute("SELECT id, month, kind, held_on, topic, expected, present, points, rating FROM meetings "
                            "WHERE org_id = ? AND month BETWEEN ? AND ? ORDER BY month",
                            (org_id, f"{YEAR}-01-01", f"{YEAR}-12-01")).fetchall()
    ids = [m[0] for m in meetings]
    absences = conn.execute(
        f"SELECT p.code, p.family_name, p.middle_name, p.given_name, a.reason FROM meeting_attendance a "
        f"JOIN members p ON p.id = a.member_id WHERE a.status = 'absent' AND a.meeting_id IN "
        f"({','.join('?' * len(ids))})", ids).fetchall() if ids else []
    return len(meetings) + len(absences)


def _demo_time(scale: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one demo office: on a shared machine the wall time follows the load, the
    CPU time much less. The CPU time includes the child process that plans part of the copies (core/demo.py)."""
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.demo import generate_demo

    with scratch() as folder:
        db = open_database(f"{folder}/demo.db", create=True)
        start, cpu = time.perf_counter(), _cpu()
        generate_demo(db, scale=scale, seed=1, today=TODAY)
        elapsed, used = time.perf_counter() - start, _cpu() - cpu
        db.close()
    return elapsed, used


def _cpu() -> float:
    """CPU seconds of this process and of its ended children (zero for those on Windows)."""
    used = os.times()
    return used.user + used.system + used.children_user + used.children_system


def run(scale: int, repeat: int) -> list[Result]:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.meetings.status import chi_bo_year, month_status

    path = demo_database(scale)
    db = open_database(path)
    conn = sqlite3.connect(path)
    try:
        chi_bo = conn.execute("SELECT o.id, o.code FROM organizations o JOIN meetings m ON m.org_id = o.id "
                              "GROUP BY o.id ORDER BY count(*) DESC, o.code LIMIT 1").fetchone()
        rows = conn.execute("SELECT count(*) FROM meeting_attendance").fetchone()[0]
        with db.reading() as session:
            status = month_status(session, MONTH, today=TODAY)  # warm the caches
            assert (status.expected, status.held) == _bare_month(conn), "the app and the floor disagree"
            month_app, month_bare = paired(lambda: month_status(session, MONTH, today=TODAY),
                                           lambda: _bare_month(conn), max(3, repeat))
            chi_bo_year(session, chi_bo[1], YEAR)
            year_app, year_bare = paired(lambda: chi_bo_year(session, chi_bo[1], YEAR),
                                         lambda: _bare_year(conn, chi_bo[0]), max(5, repeat))
    finally:
        conn.close()
        db.close()
    results = [
        absolute_target(Result("meetings_month_status", median(month_app) * 1000, median(month_bare) * 1000, "ms",
                               scale, note=f"{status.expected} chi bộ, {rows:,} attendance rows; floor: one "
                                           "sqlite3 query of the same counts"), 200),
        absolute_target(Result("meetings_chi_bo_year", median(year_app) * 1000, median(year_bare) * 1000, "ms", scale,
                               note=f"{chi_bo[1]}'s meetings of {YEAR} and absences; floor: the same two sqlite3 "
                                    "queries"), 50),
    ]
    demo, cpu = _demo_time(scale)
    results.append(absolute_target(Result("demo_with_meetings", demo, None, "s", scale,
                                          note=f"generate_demo, meetings and attendance included; CPU {cpu:.1f} s"),
                                   10))
    return results
