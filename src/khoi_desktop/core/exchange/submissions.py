"""Submissions (tờ trình) in the exchange: the body's requests to the office (approve an election, appoint …)
travel up and are entered in the office's register of submissions through its own entry (core/appointments/
submissions.py), received on the day the office accepts them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.exchange.container import Record
from khoi_desktop.core.exchange.preview import Preview, _show
from khoi_desktop.core.models import Member, Organization, Submission


def submission_records(session: Session, body: str) -> list[Record]:
    """The body's own submissions to the office (those of its chi bộ to the đảng ủy stay at the grassroots),
    each with its attached files (their names, sizes and hashes listed in the record too)."""
    from khoi_desktop.core.appointments.submission_files import files_of

    rows = list(session.scalars(select(Submission).join(Organization, Organization.id == Submission.org_id)
                                .where(Organization.code == body).order_by(Submission.id)))
    attached = files_of(session, [s.id for s in rows])
    return [Record("submission", {"number": s.register_number, "org": body, "subject": s.subject,
                                  "dated_on": (s.dated_on or s.received_on).isoformat(),
                                  "members": json.loads(s.member_codes or "[]"),
                                  "files": [{"name": f.name, "sha256": f.sha256, "size": len(f.content)}
                                            for f in attached.get(s.id, [])]},
                   files=[(f.name, f.content) for f in attached.get(s.id, [])]) for s in rows]


def _size(size: int) -> str:
    return f"{size / 1024**2:.1f} MB".replace(".", ",") if size >= 1024**2 else f"{max(1, round(size / 1024))} KB"


def file_lines(data: dict[str, Any]) -> list[str]:
    return [f"Tệp kèm theo: {f.get('name')} ({_size(int(f.get('size') or 0))}, SHA-256 {str(f.get('sha256'))[:16]}…)"
            for f in data.get("files") or []]


def preview_submission(session: Session, data: dict[str, Any]) -> Preview:
    result = Preview(f"Tờ trình số {data.get('number')} ngày {_show(data.get('dated_on'))} của {data.get('org')}: "
                     f"{data.get('subject')}", str(data.get("number")))
    org = session.scalar(select(Organization).where(Organization.code == data.get("org")))
    if org is None:
        result.problems.append(f"Văn phòng không có tổ chức mã {data.get('org')}.")
        return result
    known = set(session.scalars(select(Member.code).where(Member.code.in_(data.get("members") or []))))
    result.problems += [f"Văn phòng không có đảng viên mã {code}." for code in data.get("members") or []
                        if code not in known]
    twin = session.scalar(select(Submission.id).where(Submission.org_id == org.id,
                                                      Submission.register_number == data.get("number")))
    if twin is not None:
        result.problems.append(f"Tờ trình số {data.get('number')} của {org.name} đã vào sổ.")
    result.changes.append(f"Vào sổ tờ trình: {data.get('subject')}" + (
        f" (đảng viên: {', '.join(data['members'])})" if data.get("members") else ""))
    result.changes += file_lines(data)
    return result


def accept_submission(session: Session, data: dict[str, Any], files: list[tuple[str, bytes]], *, actor: str,
                      today: dt.date) -> str:
    """Entered in the register with its files (checked against the hashes the record lists)."""
    from khoi_desktop.core.appointments.submission_files import AttachedFile
    from khoi_desktop.core.appointments.submissions import register_submission

    row = register_submission(session, register_number=str(data["number"]), received_on=today,
                              org_code=str(data["org"]), subject=str(data["subject"]),
                              members=list(data.get("members") or []), actor=actor,
                              dated_on=dt.date.fromisoformat(data["dated_on"]), today=today,
                              files=[AttachedFile(name, content) for name, content in files])
    return row.register_number
