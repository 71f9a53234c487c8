"""One split of a chi bộ over 30 issued at once (prepare + issue + PDF), on a copy of the demo database.

Beside it: the same split with the PDF renderer stubbed out, and the bare writes of a split (two new
chi bộ, their placements, every membership closed and reopened, the source ended, a decision row) as
one raw sqlite3 transaction with the app's pragmas.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import TODAY, Result, absolute_target, fresh_copy, median, scratch

if TYPE_CHECKING:
    from khoi_desktop.core.decisions import PdfRenderer

MAX_MEMBERS = 30


def over_30(db_path: Path) -> list[tuple[str, list[tuple[str, bool]]]]:
    """(code, [(member code, full)]) of each active chi bộ over 30, in tree order."""
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.members import members_of
    from khoi_desktop.core.models import MemberStatus
    from khoi_desktop.core.tree import load_snapshot

    db = open_database(db_path)
    try:
        with db.reading() as session:
            snapshot = load_snapshot(session, TODAY)
            found = []
            for node in sorted(snapshot.active_nodes(), key=lambda n: n.code):
                if node.kind.is_chi_bo and node.direct_members > MAX_MEMBERS:
                    rows = members_of(session, [node.id], TODAY)
                    found.append((node.code, [(r.code, r.status is MemberStatus.CHINH_THUC) for r in rows]))
    finally:
        db.close()
    return found


def split_request(code: str, members: list[tuple[str, bool]]):  # type: ignore[no-untyped-def]
    """Two halves, the full members dealt alternately so each keeps at least three."""
    from khoi_desktop.core.request_json import parse_request

    ordered = sorted(members, key=lambda m: not m[1])
    halves: list[list[str]] = [[], []]
    for i, (member, _) in enumerate(ordered):
        halves[i % 2].append(member)
    return parse_request({"action": "split", "org": code, "effective": TODAY.isoformat(),
                          "into": [{"name": f"Chi bộ {code} thứ nhất", "members": halves[0]},
                                   {"name": f"Chi bộ {code} thứ hai", "members": halves[1]}]})


def bare_split(conn: sqlite3.Connection, code: str, members: list[tuple[str, bool]], serial: int) -> None:
    day = TODAY.isoformat()
    cur = conn.cursor()
    cur.execute("BEGIN IMMEDIATE")
    source_id, parent_kind = cur.execute("SELECT id, kind FROM organizations WHERE code = ?", (code,)).fetchone()
    parent = cur.execute("SELECT parent_id FROM placements WHERE org_id = ? AND valid_to IS NULL",
                         (source_id,)).fetchone()[0]
    cur.execute("INSERT INTO decisions (doc_type, action, status, subject, content, created_at) "
                "VALUES ('QĐ', 'split', 'issued', 'bare', '{}', ?)", (day,))
    decision = cur.lastrowid
    new_ids = []
    for half in range(2):
        cur.execute("INSERT INTO organizations (code, name, name_key, kind, founded_on, founded_by_id) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (f"BARE{serial}-{half}", "Chi bộ", "chi bo", parent_kind, day,
                                                  decision))
        new_ids.append(cur.lastrowid)
        cur.execute("INSERT INTO placements (org_id, parent_id, valid_from, decision_id) VALUES (?, ?, ?, ?)",
                    (new_ids[-1], parent, day, decision))
    for i, (member, _) in enumerate(members):
        member_id, membership = cur.execute(
            "SELECT m.id, ms.id FROM members m JOIN memberships ms ON ms.member_id = m.id "
            "WHERE m.code = ? AND ms.valid_to IS NULL", (member,)).fetchone()
        cur.execute("UPDATE memberships SET valid_to = ?, end_reason = 'chuyen_sinh_hoat' WHERE id = ?",
                    (day, membership))
        cur.execute("INSERT INTO memberships (member_id, org_id, valid_from, decision_id, start_reason) "
                    "VALUES (?, ?, ?, ?, 'chuyen_sinh_hoat')", (member_id, new_ids[i % 2], day, decision))
    cur.execute("UPDATE organizations SET ended_on = ?, ended_by_id = ? WHERE id = ?", (day, decision, source_id))
    cur.execute("UPDATE placements SET valid_to = ? WHERE org_id = ? AND valid_to IS NULL", (day, source_id))
    cur.execute("COMMIT")


def run(scale: int, repeat: int) -> list[Result]:
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.db import BUSY_TIMEOUT_MS, open_database
    from khoi_desktop.documents import render_pdf

    with scratch() as folder:
        app_path = fresh_copy(scale, Path(folder), "app.db")
        bare_path = fresh_copy(scale, Path(folder), "bare.db")
        targets = over_30(app_path)
        rounds = min(repeat, (len(targets) - 1) // 2)
        db = open_database(app_path)
        conn = sqlite3.connect(bare_path, isolation_level=None)
        for pragma in (f"busy_timeout = {BUSY_TIMEOUT_MS}", "journal_mode = WAL", "foreign_keys = ON",
                       "synchronous = FULL"):
            conn.execute(f"PRAGMA {pragma}")

        def issue(code: str, members: list[tuple[str, bool]], render: PdfRenderer = render_pdf) -> float:
            request = split_request(code, members)
            start = time.perf_counter()
            with db.writing() as session:
                apply_request(session, request, actor="bench", issue=True, today=TODAY, render=render)
            return time.perf_counter() - start

        issue(*targets[0])  # warm: imports, fonts registered, statement caches
        with_pdf, without_pdf, bare = [], [], []
        try:
            for i in range(rounds):
                (code, members), (other, other_members) = targets[1 + 2 * i], targets[2 + 2 * i]
                with_pdf.append(issue(code, members))
                without_pdf.append(issue(other, other_members, lambda _content, _info: b"%PDF-1.4 stub"))
                start = time.perf_counter()
                bare_split(conn, code, members, i)
                bare.append(time.perf_counter() - start)
        finally:
            conn.close()
            db.close()
    note = f"median of {rounds} splits of a chi bộ over 30 into two; bare: the same writes in raw sqlite3"
    return [
        absolute_target(Result("split_issued", median(with_pdf) * 1000, median(bare) * 1000, "ms", scale,
                               note=note), 100),
        Result("split_issued_without_pdf", median(without_pdf) * 1000, median(bare) * 1000, "ms", scale,
               note="the same, PDF renderer stubbed"),
    ]
