"""Submissions (tờ trình) from organizations: registered, answered by a decision that cites them, or returned.

The status "drafted" is not stored: a received submission is drafted while a live draft decision
cites it, so discarding the draft puts it back to "received" by itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import MemberNotFound, NotFoundError, OrgNotFound, ValidationError
from khoi_desktop.core.models import Decision, DecisionStatus, Member, Organization, Submission, SubmissionStatus
from khoi_desktop.core.text import nfc, show_date

if TYPE_CHECKING:
    from khoi_desktop.core.appointments.submission_files import AttachedFile
    from khoi_desktop.core.tree import OrgNode
    from khoi_desktop.core.workflows.office import Office

_CITING_ACTIONS = ("appoint", "approve_election", "end_seat")


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    register_number: str
    dated_on: dt.date | None
    received_on: dt.date
    org_id: int
    org_code: str
    org_name: str
    subject: str
    members: list[tuple[str, str]]  # (code, full name)
    status: SubmissionStatus
    age_days: int  # received until answered (issued or returned), or until today
    decision_id: int | None  # the issued decision, or the live draft citing it
    decision_code: str | None
    returned_reason: str | None
    files: tuple[tuple[int, str, str], ...] = ()  # (id, name, SHA-256) of the attached scans


    @property
    def pending(self) -> bool:
        return self.status in (SubmissionStatus.RECEIVED, SubmissionStatus.DRAFTED)

    @property
    def for_whom(self) -> str:
        return ", ".join(name for _, name in self.members)


def register_submission(session: Session, *, register_number: str, received_on: dt.date, org_code: str,
                        subject: str, members: list[str], actor: str, dated_on: dt.date | None = None,
                        today: dt.date | None = None, files: Sequence[AttachedFile] = ()) -> SubmissionRow:
    """Entered in the register, with its attached files (PDF scans: the submission, its enclosures)."""
    from khoi_desktop.core.appointments.submission_files import attach_files, checked

    require(session, Permission.DRAFT_ISSUE)
    number, subject = nfc(register_number), nfc(subject)
    problems = []
    if not number:
        problems.append("Chưa nhập số tờ trình.")
    if not subject:
        problems.append("Chưa nhập nội dung đề nghị.")
    if today is not None and received_on > today:
        problems.append(f"Ngày nhận {show_date(received_on)} ở sau ngày hôm nay.")
    if dated_on is not None and dated_on > received_on:
        problems.append(f"Ngày ký tờ trình {show_date(dated_on)} ở sau ngày nhận {show_date(received_on)}.")
    org = session.scalars(select(Organization).where(Organization.code == org_code)).first()
    if org is None:
        problems.append(OrgNotFound(org_code).message)
    codes = [nfc(c) for c in members if nfc(c)]
    known = set(session.scalars(select(Member.code).where(Member.code.in_(codes))))
    problems += [MemberNotFound(c).message for c in codes if c not in known]
    if org is not None and number:
        twin = session.scalars(select(Submission).where(Submission.org_id == org.id,
                                                        Submission.register_number == number)).first()
        if twin is not None and (twin.dated_on or twin.received_on).year == (dated_on or received_on).year:
            problems.append(f"Tờ trình số {number} của {org.name} đã vào sổ ngày {show_date(twin.received_on)}.")
    for attached in files:
        try:
            checked(attached)
        except ValidationError as exc:
            problems.append(exc.message)
    if problems:
        raise ValidationError("\n".join(problems), code="invalid_submission")
    assert org is not None
    submission = Submission(register_number=number, dated_on=dated_on, received_on=received_on, org_id=org.id,
                            subject=subject, member_codes=json.dumps(codes, ensure_ascii=False),
                            status=SubmissionStatus.RECEIVED, created_at=dt.datetime.now().replace(microsecond=0))
    session.add(submission)
    session.flush()
    kept = attach_files(session, submission.id, list(files))
    record(session, actor=actor, action="submission.register", target=f"submission:{submission.id}",
           after={"number": number, "org": org.code, "subject": subject, "members": codes,
                  **({"files": {f.name: f.sha256 for f in kept}} if kept else {})})
    return _rows(session, [submission], today or received_on)[0]


def return_submission(session: Session, submission_id: int, *, reason: str, on: dt.date, actor: str) -> None:
    """Send a submission back to its organization (incomplete file, ineligible person …)."""
    require(session, Permission.DRAFT_ISSUE)
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFoundError(f"Không có tờ trình số thứ tự {submission_id}.")
    if submission.status is not SubmissionStatus.RECEIVED:
        raise ValidationError(f"Tờ trình số {submission.register_number} đã {submission.status.label.lower()}, "
                              "không thể trả lại.", code="submission_closed")
    draft = _drafts(session).get(submission.id)
    if draft is not None:
        raise ValidationError(f"Tờ trình số {submission.register_number} đang có dự thảo quyết định (số thứ tự "
                              f"{draft.id}): hãy hủy dự thảo trước khi trả lại.", code="submission_drafted")
    if not nfc(reason):
        raise ValidationError("Chưa nêu lý do trả lại tờ trình.", code="missing_reason")
    submission.status = SubmissionStatus.RETURNED
    submission.returned_on = on
    submission.returned_reason = nfc(reason)
    record(session, actor=actor, action="submission.return", target=f"submission:{submission.id}",
           after={"reason": submission.returned_reason})


def list_submissions(session: Session, *, today: dt.date, pending_only: bool = False,
                     org_id: int | None = None) -> list[SubmissionRow]:
    query = select(Submission).order_by(Submission.received_on, Submission.id)
    if pending_only:
        query = query.where(Submission.status == SubmissionStatus.RECEIVED)
    if org_id is not None:
        query = query.where(Submission.org_id == org_id)
    return _rows(session, list(session.scalars(query)), today)


def submission_row(session: Session, submission_id: int, today: dt.date) -> SubmissionRow:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFoundError(f"Không có tờ trình số thứ tự {submission_id}.")
    return _rows(session, [submission], today)[0]


def _rows(session: Session, submissions: list[Submission], today: dt.date) -> list[SubmissionRow]:
    from khoi_desktop.core.appointments.submission_files import file_names

    drafts = _drafts(session)
    attached = file_names(session, [s.id for s in submissions])
    codes = {c for s in submissions for c in json.loads(s.member_codes or "[]")}
    names = {m.code: m.full_name for m in session.scalars(select(Member).where(Member.code.in_(codes)))}
    rows = []
    for s in submissions:
        status, decision = s.status, session.get(Decision, s.decision_id) if s.decision_id else None
        answered = s.returned_on if status is SubmissionStatus.RETURNED else (decision.issued_on if decision else None)
        if status is SubmissionStatus.RECEIVED and s.id in drafts:
            status, decision = SubmissionStatus.DRAFTED, drafts[s.id]
        members = [(c, names.get(c, c)) for c in json.loads(s.member_codes or "[]")]
        rows.append(SubmissionRow(
            s.id, s.register_number, s.dated_on, s.received_on, s.org_id, s.org.code, s.org.name, s.subject, members,
            status, ((answered or today) - s.received_on).days, decision.id if decision else None,
            decision.code if decision else None, s.returned_reason,
            tuple(attached.get(s.id, []))))
    return rows


def _drafts(session: Session) -> dict[int, Decision]:
    """Submission id -> the live draft decision citing it."""
    result: dict[int, Decision] = {}
    for decision in session.scalars(select(Decision).where(Decision.status == DecisionStatus.DRAFT,
                                                           Decision.action.in_(_CITING_ACTIONS))):
        data = json.loads(decision.request or "{}")
        ref, org_code = data.get("submission"), data.get("org")
        if not ref or not org_code:
            continue
        org = session.scalars(select(Organization).where(Organization.code == org_code)).first()
        found = find_submission(session, str(ref), org.id if org else None)
        if found is not None:
            result.setdefault(found.id, decision)
    return result


def find_submission(session: Session, ref: str, org_id: int | None) -> Submission | None:
    """By id ('12') or register number ('15-TTr/ĐU'); a number is looked up among the organization's,
    the newest still waiting first."""
    text = nfc(ref)
    by_number = select(Submission).where(Submission.register_number == text)
    if org_id is not None:
        by_number = by_number.where(Submission.org_id == org_id)
    found = session.scalars(by_number.order_by((Submission.status == SubmissionStatus.RECEIVED).desc(),
                                               Submission.received_on.desc())).first()
    if found is None and text.isdigit():
        found = session.get(Submission, int(text))
    return found


def resolve_submission(office: Office, ref: str, node: OrgNode) -> Submission | None:
    """The submission a request answers; refusals go to the office."""
    submission = find_submission(office.session, ref, node.id)
    if submission is None:
        office.refuse("submission_not_found", f"Không có tờ trình «{ref}» của {node.name} trong sổ.")
        return None
    if submission.org_id != node.id:
        office.refuse("submission_other_org", f"Tờ trình «{ref}» là của {submission.org.name}, không phải của "
                                              f"{node.name}.")
        return None
    if submission.status is SubmissionStatus.RETURNED:
        office.refuse("submission_returned", f"Tờ trình số {submission.register_number} đã được trả lại ngày "
                                             f"{show_date(submission.returned_on)}.")
        return None
    if submission.status is SubmissionStatus.ISSUED:
        decision = office.session.get(Decision, submission.decision_id) if submission.decision_id else None
        office.refuse("submission_answered", f"Tờ trình số {submission.register_number} đã được giải quyết"
                                             + (f" bằng Quyết định số {decision.code}." if decision else "."))
        return None
    if submission.received_on > office.day:
        office.refuse("submission_later", f"Tờ trình số {submission.register_number} nhận ngày "
                                          f"{show_date(submission.received_on)}, sau ngày hiệu lực "
                                          f"{show_date(office.day)}.")
        return None
    return submission


def basis_line(submission: Submission, sender: str) -> str:
    """'Xét Tờ trình số 15-TTr/ĐU, ngày 03/03/2026 của Đảng ủy Sở Tài chính về việc …,'"""
    subject = submission.subject.rstrip(".,;")
    if not subject.lower().startswith("về việc"):
        subject = f"về việc {subject}"
    dated = submission.dated_on or submission.received_on
    return f"Xét Tờ trình số {submission.register_number}, ngày {show_date(dated)} của {sender} {subject},"


def mark_issued(session: Session, submission_id: int, decision: Decision) -> None:
    """Inside the issuing transaction (its audit entry names the decision and the actor)."""
    submission = session.get(Submission, submission_id)
    assert submission is not None
    submission.status = SubmissionStatus.ISSUED
    submission.decision_id = decision.id
