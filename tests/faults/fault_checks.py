"""What must hold in a database file after any crash: SQLite's own integrity and the office's invariants."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

CHI_BO = ("chi_bo_co_so", "chi_bo_truc_thuoc")


def problems(path: Path) -> list[str]:
    """Every broken rule, in words; empty when the file is sound. Opens its own plain connection."""
    conn = sqlite3.connect(path)
    try:
        return _problems(conn)
    finally:
        conn.close()


def _problems(conn: sqlite3.Connection) -> list[str]:
    found: list[str] = []
    check = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if check != ["ok"]:
        return [f"integrity_check: {check[:5]}"]
    found += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]

    # Each member with an open membership is in exactly one active chi bộ.
    open_rows = conn.execute(
        "SELECT ms.member_id, o.kind, o.ended_on FROM memberships ms JOIN organizations o ON o.id = ms.org_id "
        "WHERE ms.valid_to IS NULL").fetchall()
    per_member = Counter(member for member, _, _ in open_rows)
    found += [f"member {m} has {n} open memberships" for m, n in per_member.items() if n != 1]
    found += [f"member {m} open in a {kind} ended {ended}" for m, kind, ended in open_rows
              if kind not in CHI_BO or ended is not None]
    # Members who left the party or the office (issue 17) keep their record without an open membership.
    members = conn.execute(
        "SELECT count(*) FROM members m WHERE EXISTS (SELECT 1 FROM memberships ms WHERE ms.member_id = m.id "
        "AND ms.valid_to IS NULL) OR NOT EXISTS (SELECT 1 FROM memberships ms WHERE ms.member_id = m.id "
        "AND ms.end_reason IN ('tu_tran', 'xin_ra', 'xoa_ten', 'khai_tru', 'chuyen_di', 'ban_giao'))").fetchone()[0]
    if len(per_member) != members:
        found.append(f"{members - len(per_member)} members without an open membership")

    # Decision numbers: 1..n in each (type, term), no gap, no repeat; nothing half-issued.
    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    decisions = conn.execute("SELECT id, doc_type, term_id, number, status, action, request, pdf, pdf_sha256, "
                             "recorded FROM decisions").fetchall()
    for did, doc_type, term, number, status, action, request, pdf, sha, recorded in decisions:
        if status == "issued" and recorded:  # a đảng ủy cơ sở's, with its own number and maybe no scan
            if number is not None or (pdf is not None and hashlib.sha256(pdf).hexdigest() != sha):
                found.append(f"decision {did}: recorded with a number of this office or a broken scan")
            found += _effects(conn, did, action, json.loads(request or "{}"))
        elif status == "issued":
            numbers[(doc_type, term)].append(number)
            if pdf is None or hashlib.sha256(pdf).hexdigest() != sha:
                found.append(f"decision {did}: issued without its PDF")
            found += _effects(conn, did, action, json.loads(request or "{}"))
        elif status == "draft":
            found.append(f"decision {did}: a draft left behind (apply + issue is one transaction)")
    for key, values in numbers.items():
        if sorted(values) != list(range(1, len(values) + 1)):
            found.append(f"numbers of {key} are not 1..n: {sorted(values)}")

    # No effect points at a decision that is not issued.
    for table, column in (("organizations", "founded_by_id"), ("organizations", "ended_by_id"),
                          ("memberships", "decision_id"), ("placements", "decision_id")):
        rows = conn.execute(f"SELECT t.id FROM {table} t JOIN decisions d ON d.id = t.{column} "
                            "WHERE d.status != 'issued'").fetchall()
        found += [f"{table} {row[0]}: {column} points at a decision not issued" for row in rows]
    return found


def _effects(conn: sqlite3.Connection, did: int, action: str, request: dict) -> list[str]:
    """The issued decision's changes are all there."""
    found = []
    founded = conn.execute("SELECT count(*) FROM organizations WHERE founded_by_id = ?", (did,)).fetchone()[0]
    moved = conn.execute("SELECT count(*) FROM memberships WHERE decision_id = ?", (did,)).fetchone()[0]
    if action == "split":
        ended = conn.execute("SELECT ended_by_id FROM organizations WHERE code = ?", (request["org"],)).fetchone()
        if ended is None or ended[0] != did:
            found.append(f"split {did}: source {request['org']} not ended by it")
        if founded != len(request["into"]):
            found.append(f"split {did}: {founded} organizations founded, {len(request['into'])} asked")
        expected = sum(len(group["members"]) for group in request["into"])
        if moved != expected:
            found.append(f"split {did}: {moved} memberships opened, {expected} members listed")
    elif action == "found":
        if founded != 1 or moved != len(request.get("members", [])):
            found.append(f"found {did}: {founded} organizations, {moved} memberships")
    elif action == "transfer":
        placed = conn.execute("SELECT count(*) FROM placements p JOIN organizations o ON o.id = p.org_id "
                              "WHERE p.decision_id = ? AND o.code = ?", (did, request["org"])).fetchone()[0]
        if placed != 1:
            found.append(f"transfer {did}: {placed} placements of {request['org']}")
    return found


def file_digest(path: Path) -> str:
    """SHA-256 of the database file with its WAL folded in (the file as any reader sees it)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()
