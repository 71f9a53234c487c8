"""`verify-audit --deep`: every organization, placement, member, membership, committee seat and decision
digested again and compared with the last digest the audit trail recorded for it.

A row whose digest differs was changed outside the app; a row with no digest was added outside it; a digest
whose row is gone means a deletion. The digests themselves are checked first against each entry's
`rows_digest` (covered by the entry's hash, the chain and the sealed anchor). Stored PDFs are checked against
their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from khoi_desktop.core.audit_chain import LEGACY
from khoi_desktop.core.audit_models import AuditRowDigest
from khoi_desktop.core.audit_rows import COLUMNS, RowKey, all_digests, entry_rows_digest
from khoi_desktop.core.models import AuditEntry, SeatRole
from khoi_desktop.core.text import show_date

CHANGED, ADDED, DELETED, DIGESTS, PDF = "changed", "added", "deleted", "digests", "pdf"
TABLE_WORDS = {"organizations": "tổ chức", "placements": "vị trí trong cây của một tổ chức", "members": "đảng viên",
               "memberships": "quá trình sinh hoạt của một đảng viên", "committee_seats": "chức vụ cấp ủy",
               "decisions": "quyết định"}


@dataclass(frozen=True)
class RowProblem:
    kind: str  # changed, added, deleted, digests (an entry's recorded digests altered), pdf
    table: str
    row_id: int  # the entry's id for "digests"
    name: str  # the row in words
    message: str
    entry_id: int | None = None  # the entry that last recorded the row


@dataclass
class DeepCheck:
    rows: int = 0  # rows digested again
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _date(value: object) -> str:
    return show_date(dt.date.fromisoformat(str(value))) if value else ""


def _one(connection: Connection, sql: str, row_id: int) -> tuple | None:  # type: ignore[type-arg]
    found = connection.execute(text(sql), {"id": row_id}).first()
    return tuple(found) if found is not None else None


def _member(connection: Connection, member_id: object) -> str:
    found = connection.execute(text("SELECT family_name, middle_name, given_name, code FROM members WHERE id = :id"),
                               {"id": member_id}).first()
    if found is None:
        return "một đảng viên không còn trong dữ liệu"
    return f"đảng viên {' '.join(p for p in found[:3] if p)} (mã {found[3]})"


def _org(connection: Connection, org_id: object) -> str:
    found = connection.execute(text("SELECT name, code FROM organizations WHERE id = :id"), {"id": org_id}).first()
    return f"«{found[0]}» (mã {found[1]})" if found is not None else "một tổ chức không còn trong dữ liệu"


def row_name(connection: Connection, table: str, row_id: int) -> str:
    """The row as a clerk would name it; a row no longer there by its kind and internal number."""
    if table == "organizations":
        found = _one(connection, "SELECT name, code FROM organizations WHERE id = :id", row_id)
        if found:
            return f"tổ chức «{found[0]}» (mã {found[1]})"
    elif table == "members":
        found = _one(connection, "SELECT id FROM members WHERE id = :id", row_id)
        if found:
            return _member(connection, row_id)
    elif table == "memberships":
        found = _one(connection, "SELECT member_id, org_id, valid_from FROM memberships WHERE id = :id", row_id)
        if found:
            return (f"quá trình sinh hoạt của {_member(connection, found[0])} tại {_org(connection, found[1])} từ "
                    f"ngày {_date(found[2])}")
    elif table == "placements":
        found = _one(connection, "SELECT org_id, valid_from FROM placements WHERE id = :id", row_id)
        if found:
            return f"vị trí trong cây của tổ chức {_org(connection, found[0])} từ ngày {_date(found[1])}"
    elif table == "committee_seats":
        found = _one(connection, "SELECT member_id, org_id, role, term FROM committee_seats WHERE id = :id", row_id)
        if found:
            try:
                role = SeatRole(found[2]).label
            except ValueError:
                role = str(found[2])
            return f"chức vụ {role} của {_member(connection, found[0])} tại {_org(connection, found[1])}, nhiệm kỳ " \
                   f"{found[3]}"
    elif table == "decisions":
        found = _one(connection, "SELECT code, status, subject FROM decisions WHERE id = :id", row_id)
        if found:
            if found[1] == "issued" and found[0]:
                return f"quyết định số {found[0]} ({found[2]})"
            return f"dự thảo quyết định mã {row_id} ({found[2]})"
    return f"{TABLE_WORDS.get(table, table)} (số hiệu nội bộ {row_id})"


def _cap(words: str) -> str:
    return words[:1].upper() + words[1:]


def _recorded(session: Session, check: DeepCheck) -> dict[RowKey, tuple[str | None, int]]:
    """The last digest recorded for each row, after checking every entry's digests against its hash."""
    by_entry: dict[int, dict[RowKey, str | None]] = {}
    for row in session.execute(select(AuditRowDigest.entry_id, AuditRowDigest.table_name, AuditRowDigest.row_id,
                                      AuditRowDigest.digest)):
        by_entry.setdefault(row.entry_id, {})[(row.table_name, row.row_id)] = row.digest
    stated = dict(session.execute(select(AuditEntry.id, AuditEntry.rows_digest).where(AuditEntry.format != LEGACY))
                  .tuples().all())
    latest: dict[RowKey, tuple[str | None, int]] = {}
    for entry_id in sorted(set(by_entry) | {i for i, d in stated.items() if d is not None}):
        rows = by_entry.get(entry_id, {})
        if entry_id not in stated or stated[entry_id] != entry_rows_digest(rows):
            check.problems.append(RowProblem(
                DIGESTS, "audit_rows", entry_id, f"mục #{entry_id} của nhật ký",
                f"Các mã băm dữ liệu ghi kèm mục #{entry_id} của nhật ký đã bị sửa, thêm hoặc xóa ngoài ứng dụng: "
                "không dùng chúng để đối chiếu.", entry_id))
            continue
        for key, digest in rows.items():
            latest[key] = (digest, entry_id)
    return latest


def deep_check(session: Session) -> DeepCheck:
    check = DeepCheck()
    latest = _recorded(session, check)
    connection = session.connection()
    for table in COLUMNS:
        for row_id, current in all_digests(connection, table):
            check.rows += 1
            recorded = latest.pop((table, row_id), None)
            if recorded is None or recorded[0] is None:
                name = row_name(connection, table, row_id)
                check.problems.append(RowProblem(ADDED, table, row_id, name, _cap(
                    f"{name}: được thêm ngoài ứng dụng (nhật ký không ghi thao tác nào tạo ra nó).")))
            elif recorded[0] != current:
                name = row_name(connection, table, row_id)
                check.problems.append(RowProblem(CHANGED, table, row_id, name, _cap(
                    f"{name}: đã bị sửa ngoài ứng dụng (khác với lần ghi cuối trong nhật ký, mục #{recorded[1]})."),
                    recorded[1]))
    for (table, row_id), (digest, entry_id) in sorted(latest.items()):
        if digest is not None:
            name = row_name(connection, table, row_id)
            check.problems.append(RowProblem(DELETED, table, row_id, name, _cap(
                f"{name}: đã bị xóa ngoài ứng dụng (nhật ký ghi lần cuối ở mục #{entry_id})."), entry_id))
    for decision_id, pdf, stated in connection.execute(
            text("SELECT id, pdf, pdf_sha256 FROM decisions WHERE pdf IS NOT NULL")):
        if hashlib.sha256(bytes(pdf)).hexdigest() != stated:
            name = row_name(connection, "decisions", decision_id)
            check.problems.append(RowProblem(PDF, "decisions", decision_id, name, _cap(
                f"bản lưu (PDF) của {name} không khớp mã băm của nó: đã bị thay ngoài ứng dụng.")))
    return check
