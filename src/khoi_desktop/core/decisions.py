"""Drafts and issued decisions: numbering per document type per committee term, immutability, audit.

Issuing assigns the next number of the decision's type in the term that contains the issue date,
applies the decision's effects and writes the audit trail, all in the caller's one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.current import current_user
from khoi_desktop.core.auth.permissions import Permission, allowed, require
from khoi_desktop.core.authority import committee_name
from khoi_desktop.core.decision_content import DecisionContent, PrintInfo, document_code
from khoi_desktop.core.errors import (
    DecisionNotFound,
    KhoiError,
    NotFoundError,
    OrgNotFound,
    PdfNotRendered,
    ValidationError,
    os_reason,
)
from khoi_desktop.core.models import Decision, DecisionStatus, Organization, Term
from khoi_desktop.core.text import fold, show_date

log = logging.getLogger(__name__)

# What issuing a decision changes in the office: (session, decision, effective date) -> None.
Effect = Callable[[Session, Decision, dt.date], None]
# Renders the immutable PDF at issue (the documents package's party format; the face that issues hands it in).
PdfRenderer = Callable[[DecisionContent, PrintInfo], bytes]


@dataclass(frozen=True)
class DecisionSummary:
    id: int
    code: str | None
    number: int | None
    status: str
    type: str
    action: str
    subject: str
    issued_on: dt.date | None
    term: str | None
    signer: str | None
    issuer: str | None = None  # None: this office; else the code of the đảng bộ cơ sở whose committee decided
    recorded: bool = False
    effective: dt.date | None = None


def summary(decision: Decision) -> DecisionSummary:
    return DecisionSummary(decision.id, decision.code, decision.number, decision.status.value, decision.doc_type,
                           decision.action, decision.subject, decision.issued_on,
                           decision.term.name if decision.term else None, decision.signer,
                           decision.issuer.code if decision.issuer is not None else None, bool(decision.recorded),
                           effect_day(decision))


def create_draft(session: Session, *, action: str, content: DecisionContent, request_json: str | None,
                 effective_on: dt.date | None, actor: str, issuer_id: int | None = None) -> Decision:
    require(session, Permission.DRAFT_ISSUE)
    decision = Decision(
        doc_type=content.header.doc_type_code, action=action, status=DecisionStatus.DRAFT,
        subject=content.subject, content=content.to_json(), request=request_json,
        signer=content.signature.name, effective_on=effective_on, created_at=dt.datetime.now().replace(microsecond=0),
        issuer_id=issuer_id, recorded=False,
    )
    session.add(decision)
    session.flush()
    record(session, actor=actor, action="decision.draft", target=f"decision:{decision.id}",
           after={"action": action, "subject": decision.subject})
    return decision


def find_decision(session: Session, ref: str | int) -> Decision:
    """A decision by id ('12') or code ('12-QĐ/ĐUK'); among equal codes the newest term's."""
    text = str(ref).strip()
    decision = None
    if text.isdigit():
        decision = session.get(Decision, int(text))
    else:
        decision = session.scalars(
            select(Decision).where(Decision.code == text).order_by(Decision.issued_on.desc())
        ).first()
    if decision is None and not text.isdigit():
        decision = _by_code_typed_loosely(session, text)
    if decision is None:
        raise DecisionNotFound(text)
    require_readable(session, decision)
    return decision


def _by_code_typed_loosely(session: Session, text: str) -> Decision | None:
    """'12-QD/DUK' from a keyboard without Vietnamese, '12-qđ/đuk', 'Số 12-QĐ/ĐUK' as printed: the decision
    whose code reads the same without accents, case and spaces (the newest term's first)."""
    wanted = _loose_code(re.sub(r"^so\s*", "", fold(text)))
    number = wanted.split("-", 1)[0]
    if not number.isdigit():
        return None
    # «1-QĐ/ĐUK» finds «01-QĐ/ĐUK» and the other way round (numbers printed with a leading zero since 2026/12).
    patterns = [f"{'0' * zeros}{number}-%" for zeros in range(3)]
    candidates = session.scalars(
        select(Decision).where(or_(*(Decision.code.like(p) for p in patterns))).order_by(Decision.issued_on.desc())
    ).all()
    return next((d for d in candidates if d.code and _loose_code(fold(d.code)) == wanted), None)


def _loose_code(folded: str) -> str:
    """A folded code without spaces and without the number's leading zeros: «01-qd/duk» -> «1-qd/duk»."""
    text = folded.replace(" ", "")
    number, dash, rest = text.partition("-")
    return (number.lstrip("0") or "0") + dash + rest if number.isdigit() else text


def require_readable(session: Session, decision: Decision) -> None:
    """Drafts (and discarded ones) are for the roles that draft; issued decisions are for every role."""
    if decision.status is not DecisionStatus.ISSUED:
        require(session, Permission.VIEW_DRAFTS)


def _require_draft(decision: Decision) -> None:
    if decision.status is DecisionStatus.ISSUED:
        raise ValidationError(f"Quyết định số {decision.code} đã ban hành, không thể sửa hay hủy; "
                              "muốn đính chính phải ban hành quyết định mới.", code="decision_issued")
    if decision.status is DecisionStatus.DISCARDED:
        raise ValidationError(f"Dự thảo số {decision.id} đã bị hủy.", code="decision_discarded")


def update_draft(session: Session, decision: Decision, content: DecisionContent, actor: str, *,
                 expected_version: int | None = None) -> None:
    """Save the edited content. `expected_version`: the version the clerk's editor opened; a draft saved by
    someone else since is refused, naming who and when, and nothing is written (the editor keeps the text)."""
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    if expected_version is not None and decision.version != expected_version:
        who = decision.changed_by or "một người khác"
        when = f" lúc {decision.changed_at.strftime('%H:%M ngày %d/%m/%Y')}" if decision.changed_at else ""
        raise ValidationError(f"Dự thảo «{decision.subject}» đã được {who} sửa{when}, sau khi anh/chị mở nó. Bản sửa "
                              "của anh/chị chưa được lưu: hãy sao lại phần đã sửa, đóng rồi mở lại dự thảo để "
                              "xem nội dung mới nhất.", code="draft_changed")
    user = current_user(session)
    decision.changed_by = (user.username if user is not None else actor)[:120]
    decision.changed_at = dt.datetime.now().replace(microsecond=0)
    before = decision.subject
    decision.content = content.to_json()
    decision.subject = content.subject
    decision.signer = content.signature.name
    record(session, actor=actor, action="decision.edit", target=f"decision:{decision.id}",
           before={"subject": before}, after={"subject": decision.subject})


def discard_draft(session: Session, decision: Decision, actor: str) -> None:
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    decision.status = DecisionStatus.DISCARDED
    record(session, actor=actor, action="decision.discard", target=f"decision:{decision.id}",
           before={"subject": decision.subject})


def term_on(session: Session, day: dt.date) -> Term:
    term = session.scalars(select(Term).where(Term.starts_on <= day, Term.ends_on >= day)).first()
    if term is None:
        raise ValidationError(f"Chưa khai báo nhiệm kỳ của cấp ủy chứa ngày {show_date(day)}: "
                              "hãy thêm nhiệm kỳ trong phần cài đặt trước khi ban hành.", code="no_term")
    return term


def next_number(session: Session, doc_type: str, term: Term, *, lock: bool = True) -> int:
    """The next number of the term's sequence for this kind of document. The term's row stays locked until
    the transaction ends (SELECT … FOR UPDATE on a server; SQLite's writer already holds the file), so a second
    clerk issuing at the same second waits and takes the number after, and a rolled-back issue leaves no gap.
    lock=False: a guess from a read session (the PDF rendered ahead), which the issue checks again."""
    if lock:
        session.execute(select(Term.id).where(Term.id == term.id).with_for_update())
    current = session.scalar(select(func.max(Decision.number)).where(
        Decision.doc_type == doc_type, Decision.term_id == term.id))
    return (current or 0) + 1


def render_or_refuse(render: PdfRenderer, content: DecisionContent, info: PrintInfo) -> bytes:
    """The renderer's PDF; a fault of the renderer (a bug, memory, a font) becomes a refusal in Vietnamese, so
    the issuing transaction rolls back: a decision is never issued without its PDF."""
    try:
        return render(content, info)
    except KhoiError:
        raise
    except Exception as error:
        log.exception("rendering decision number %s failed", info.number)
        raise PdfNotRendered(error) from error


def issue(session: Session, decision: Decision, *, on: dt.date, actor: str, render: PdfRenderer,
          effect: Effect | None) -> Decision:
    """Number the draft, apply its effect (None: a document only) and freeze it with its PDF.

    The caller's transaction makes it atomic; core/apply.py issue_draft finds the effect of a stored draft.
    A decision of a đảng ủy cơ sở takes no number of this office: it is recorded as that committee signed
    it (record_signed), with the same effects, history and audit.
    """
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    if decision.issuer_id is not None and not _numbers_its_own(session, decision) or \
            decision.issuer_id is None and recorded_of(decision) is not None and _office_decision_here(session):
        return record_signed(session, decision, actor=actor, effect=effect)
    term = term_on(session, on)
    content = DecisionContent.from_json(decision.content)
    number = next_number(session, decision.doc_type, term)
    decision.term_id = term.id
    decision.number = number
    decision.code = document_code(number, content.header.doc_type_code, content.header.issuer_code)
    decision.issued_on = on
    decision.effective_on = decision.effective_on or on
    decision.status = DecisionStatus.ISSUED
    session.flush()  # the unique (type, term, number) constraint guards against a racing writer
    if effect is not None:
        effect(session, decision, decision.effective_on)
    # The wording is composed again at issue (the effect did it): printed text and recorded effect agree.
    state_effective_date(decision, decision.effective_on)
    content = DecisionContent.from_json(decision.content)
    decision.pdf = render_or_refuse(render, content, PrintInfo(number, on, draft=False))
    decision.pdf_sha256 = hashlib.sha256(decision.pdf).hexdigest()
    record(session, actor=actor, action="decision.issue", target=decision.code,
           after={"id": decision.id, "action": decision.action, "subject": decision.subject,
                  "term": term.name, "issued_on": on.isoformat()})
    return decision


# The execution article's closing sentence (DOMAIN.md §4), as the default templates and most offices word it.
_FROM_SIGNING = re.compile(r"(hiệu lực\s+(?:thi hành\s+)?kể từ ngày)\s+ký\b")


# A member's decision names the day its change counts from in a field of its own (its Điều 1 and the member's
# records use it: MemberPlan's day, core/member_events/plan.py); its `effective` is the day it is signed.
_EVENT_DAY = {"admit": "admitted_on", "confirm_full": "on", "leave": "on", "exempt": "on", "end_exemption": "on",
              "transfer_member": "on", "receive_member": "on"}


def effect_day(decision: Decision) -> dt.date | None:
    """The day a decision's change counts from, as its Điều 1 names it and the records hold it: a member's event day
    (a leaving on 20/11 signed on 03/12 counts from 20/11, «có hiệu lực kể từ ngày ký» being the decision's own
    entry into force), else its effective date (None: a draft without one, which takes its issue date)."""
    name = _EVENT_DAY.get(decision.action or "")
    if name and decision.request:
        value = json.loads(decision.request).get(name)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
    return decision.effective_on


def state_effective_date(decision: Decision, effective: dt.date | None) -> None:
    """A decision taking effect after the day it is signed (`issued_on`) says so in its last article too: «Quyết
    định có hiệu lực kể từ ngày ký» under an Điều 1 founding (moving …) «kể từ ngày 12/03/2026» contradicted it.
    Any template (the administrator's too) worded that way gets the effective date instead. An event dated before
    the signing keeps «kể từ ngày ký» (DOMAIN.md §4): a decision cannot be in force before it is signed; its
    Điều 1 names the day the change counts from (a death, a founding recorded late)."""
    if effective is None or decision.issued_on is None or effective <= decision.issued_on or not decision.content:
        return
    content = DecisionContent.from_json(decision.content)
    changed = False
    for article in content.articles:
        for index, paragraph in enumerate(article.paragraphs):
            dated = _FROM_SIGNING.sub(lambda m: f"{m[1]} {show_date(effective)}", paragraph)
            if dated != paragraph:
                article.paragraphs[index] = dated
                changed = True
    if changed:
        decision.content = content.to_json()


def _numbers_its_own(session: Session, decision: Decision) -> bool:
    """In a grassroots database (core/exchange) the body issues its own decisions in its own sequence; a decision
    it signed on paper earlier is still recorded with the number it carries."""
    from khoi_desktop.core.exchange.mode import grassroots_org_id

    return recorded_of(decision) is None and grassroots_org_id(session) == decision.issuer_id


def _recording_body(session: Session, issuer_name: str | None) -> str:
    """Who decided a decision this office records: the issuer's committee, else the office's own Ban Thường vụ
    (a grassroots database taking in the office's decision) or a đảng ủy cơ sở."""
    if issuer_name is not None:
        return committee_name(issuer_name)
    return "Ban Thường vụ" if _office_decision_here(session) else "đảng ủy cơ sở"


def _office_decision_here(session: Session) -> bool:
    """A grassroots database taking in the office's decision from its package (core/exchange/mode.py)."""
    from khoi_desktop.core.exchange.mode import office_decision_from_package

    return office_decision_from_package(session)


def recorded_of(decision: Decision) -> dict[str, Any] | None:
    """The "recorded" part of the decision's request (number, signed_on, signer, scan), if any."""
    try:
        data = json.loads(decision.request or "{}")
    except ValueError:
        return None
    recorded = data.get("recorded") if isinstance(data, dict) else None
    return recorded if isinstance(recorded, dict) else None


def record_signed(session: Session, decision: Decision, *, actor: str, effect: Effect | None) -> Decision:
    """Record a đảng ủy cơ sở's signed decision: its own number, date and signer, its scan with SHA-256."""
    require(session, Permission.DRAFT_ISSUE)
    _require_draft(decision)
    recorded = recorded_of(decision)
    if recorded is None:
        body = _recording_body(session, decision.issuer.name if decision.issuer is not None else None)
        raise ValidationError(f"Đây là dự thảo quyết định của {body}: chỉ ghi nhận "
                              "khi quyết định đã được ký, với số, ngày ký và người ký của quyết định đó.",
                              code="not_recorded")
    number, signed_on = str(recorded["number"]).strip(), dt.date.fromisoformat(recorded["signed_on"])
    if signed_on > dt.date.today():  # a decision is recorded once signed: never ahead of the calendar
        raise ValidationError(f"Ngày ký {show_date(signed_on)} của Quyết định số {number} còn ở sau hôm nay: chỉ "
                              "ghi nhận quyết định đã ký.", code="signed_in_future")
    # The issuer's name, the twin check and the term in one statement (a server's round trip each before).
    issuer_name, twin, term_id = session.execute(select(
        select(Organization.name).where(Organization.id == decision.issuer_id).scalar_subquery(),
        select(Decision.id).where(Decision.issuer_id == decision.issuer_id, Decision.code == number,
                                  Decision.id != decision.id, Decision.status == DecisionStatus.ISSUED)
        .limit(1).scalar_subquery(),
        select(Term.id).where(Term.starts_on <= signed_on, Term.ends_on >= signed_on).limit(1).scalar_subquery(),
    )).one()
    body = _recording_body(session, issuer_name)
    if twin is not None:
        raise ValidationError(f"Quyết định số {number} của {body} đã được ghi "
                              "nhận.", code="recorded_twice")
    scan = read_scan(recorded.get("scan"))
    decision.term_id = term_id
    decision.number = None
    decision.code = number
    decision.recorded = True
    decision.signer = str(recorded.get("signer") or decision.signer or "")
    decision.issued_on = signed_on
    decision.effective_on = decision.effective_on or signed_on
    decision.status = DecisionStatus.ISSUED
    session.flush()
    if effect is not None:
        effect(session, decision, decision.effective_on)
    decision.pdf = scan
    decision.pdf_sha256 = hashlib.sha256(scan).hexdigest() if scan is not None else None
    record(session, actor=actor, action="decision.record", target=number,
           after={"id": decision.id, "action": decision.action, "subject": decision.subject, "issuer": body,
                  "signed_on": signed_on.isoformat(), "signer": decision.signer, "scan_sha256": decision.pdf_sha256})
    return decision


def read_scan(path: object) -> bytes | None:
    """The signed copy of a recorded decision: a PDF file, read whole."""
    if not path:
        return None
    try:
        data = Path(str(path)).read_bytes()
    except OSError as exc:
        raise ValidationError(f"Không đọc được bản chụp quyết định {path}: {os_reason(exc)}.",
                              code="scan_unreadable") from None
    if not data.startswith(b"%PDF-"):
        raise ValidationError(f"Bản chụp quyết định {path} không phải tệp PDF.", code="scan_not_pdf")
    return data


def same_term_name(typed: str, names: list[str]) -> str | None:
    """The declared term `typed` names: «2025-2030» also as documents print it («2025 - 2030») or with an en
    dash («2025–2030»); None when it names none of them."""
    if typed in names:
        return typed
    spaced = re.sub(r"\s*[-–—]\s*", "-", typed.strip())
    return spaced if spaced in names else None


def _require_term(session: Session, term: str) -> str:
    # A mistyped term ("2025", "2020-2026") must not read as "no decisions in that term".
    names = list(session.scalars(select(Term.name).order_by(Term.starts_on)))
    name = same_term_name(term, names)
    if name is not None:
        return name
    known = ", ".join(names) or "chưa có"
    raise NotFoundError(f"Không có nhiệm kỳ {term} (các nhiệm kỳ: {known}).", code="term_not_found")


def list_decisions(session: Session, *, term: str | None = None, issuer: str | None = None) -> list[DecisionSummary]:
    """Decisions (drafts for the roles that draft), of one term and of one issuer (a đảng bộ cơ sở code) if asked."""
    query = select(Decision).where(Decision.status != DecisionStatus.DISCARDED)
    if not allowed(current_user(session), Permission.VIEW_DRAFTS):
        query = query.where(Decision.status == DecisionStatus.ISSUED)
    if term:
        term = _require_term(session, term)
        query = query.join(Term, Term.id == Decision.term_id).where(Term.name == term)
    if issuer:
        if session.scalars(select(Organization.id).where(Organization.code == issuer)).first() is None:
            raise OrgNotFound(issuer)
        query = query.join(Organization, Organization.id == Decision.issuer_id).where(Organization.code == issuer)
    query = query.order_by(Decision.issued_on.is_(None), Decision.issued_on, Decision.number, Decision.id)
    return [summary(d) for d in session.scalars(query)]
