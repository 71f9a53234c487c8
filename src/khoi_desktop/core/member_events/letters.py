"""Giấy giới thiệu sinh hoạt đảng for a member transferred out, numbered in the outgoing register, and the
return of its slip (phiếu báo) from the receiving body."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from khoi_desktop.core import decisions
from khoi_desktop.core.actions import DOCUMENT_LABELS
from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.decision_content import DecisionContent, Header, SignatureBlock, TearOff
from khoi_desktop.core.decisions import PdfRenderer
from khoi_desktop.core.errors import MemberNotFound, ValidationError
from khoi_desktop.core.member_events.models import EventKind, MemberEvent
from khoi_desktop.core.models import Decision, Member, Membership, Organization, Placement
from khoi_desktop.core.settings import Signer, load_settings
from khoi_desktop.core.text import show_date
from khoi_desktop.core.wording.phrases import committee_of

LETTER_ACTION = "gioi_thieu_sinh_hoat"
LETTER_LABEL = DOCUMENT_LABELS[LETTER_ACTION]
LETTER_DOC_TYPE = "GTSH"
SLIP_DAYS = 30  # a transfer out whose slip has not come back after this many days is a finding
_OUT = (EventKind.CHUYEN_DI.value, EventKind.TAM_THOI.value)


def _member(session: Session, code: str) -> Member:
    member = session.scalars(select(Member).where(Member.code == code)).first()
    if member is None:
        raise MemberNotFound(code)
    return member


def _transfer_out(session: Session, member: Member, *, with_letter: bool) -> MemberEvent:
    query = select(MemberEvent).where(MemberEvent.member_id == member.id, MemberEvent.kind.in_(_OUT),
                                      MemberEvent.body.is_not(None))
    query = query.where(MemberEvent.letter_code.is_not(None) if with_letter else MemberEvent.letter_code.is_(None))
    event = session.scalars(query.order_by(MemberEvent.on.desc(), MemberEvent.id.desc())).first()
    if event is None and not with_letter:
        issued = session.scalars(select(MemberEvent).where(
            MemberEvent.member_id == member.id, MemberEvent.kind.in_(_OUT), MemberEvent.body.is_not(None),
            MemberEvent.letter_code.is_not(None)).order_by(MemberEvent.on.desc(), MemberEvent.id.desc())).first()
        if issued is not None:  # a second `letter` for a lost PDF: say which letter it is and that it is reprinted
            raise ValidationError(
                f"Lần chuyển sinh hoạt ngày {show_date(issued.on)} của đảng viên {member.full_name} ({member.code}) đã "
                f"có Giấy giới thiệu sinh hoạt đảng số {issued.letter_code}: mỗi lần chuyển chỉ cấp một giấy; cần "
                f"bản in thì in lại giấy số {issued.letter_code} từ sổ văn bản.", code="no_transfer_out")
    if event is None:
        what = "đã cấp giấy giới thiệu" if with_letter else "chưa cấp giấy giới thiệu"
        raise ValidationError(f"Đảng viên {member.full_name} ({member.code}) không có quyết định chuyển sinh hoạt "
                              f"ra ngoài Đảng bộ nào {what}.", code="no_transfer_out")
    return event


def _chi_bo_left(session: Session, member: Member, event: MemberEvent) -> str:
    """The chi bộ the member leaves with the đảng bộ it sits in on that day, up to the office's: «Chi bộ Phòng
    Hành chính, Đảng bộ Sở Y tế» (many đảng bộ have a «Chi bộ Phòng Hành chính»)."""
    org_id = session.scalar(select(Membership.org_id).where(
        Membership.member_id == member.id, Membership.valid_from <= event.on).order_by(Membership.valid_from.desc()))
    names: list[str] = []
    while org_id is not None and len(names) < 5:
        org = session.get(Organization, org_id)
        if org is None:
            break
        names.append(org.name)
        org_id = session.scalar(select(Placement.parent_id).where(
            Placement.org_id == org_id, Placement.valid_from <= event.on).order_by(
            Placement.valid_from.desc(), Placement.id.desc()).limit(1))
    return ", ".join(names)


def party_of(committee: str) -> str:
    """A member belongs to the Đảng bộ, the Đảng ủy is its committee: 'Đảng ủy Khối …' -> 'Đảng bộ Khối …'."""
    return re.sub(r"^Đảng ủy\b", "Đảng bộ", committee.strip())


def register_subject(member: Member, event: MemberEvent) -> str:
    """The letter's trích yếu in the outgoing register: whose letter it is."""
    kind = "tạm thời" if event.kind == EventKind.TAM_THOI.value else "chính thức"
    return f"Giới thiệu sinh hoạt đảng {kind} đồng chí {member.full_name}"


def letter_signer(session: Session, event: MemberEvent, wanted: str | None) -> Signer:
    """Who signs the letter: the one asked for, else whoever signed the transfer decision it follows (a Phó
    Bí thư who signed the decision signs its letter too), else the first configured signer."""
    signers = load_settings(session).signers
    if not signers:
        raise ValidationError("Chưa khai báo người ký trong phần cài đặt.", code="no_signer")
    if wanted:
        chosen = next((s for s in signers if s.name == " ".join(wanted.split())), None)
        if chosen is None:
            names = ", ".join(s.name for s in signers)
            raise ValidationError(f"Người ký «{wanted}» không có trong cài đặt ({names}).", code="unknown_signer")
        return chosen
    signed = session.scalar(select(Decision.signer).where(Decision.id == event.decision_id)) \
        if event.decision_id is not None else None
    return next((s for s in signers if s.name == signed), signers[0])


def letter_content(session: Session, member: Member, event: MemberEvent,
                   signer: Signer | None = None) -> DecisionContent:
    settings = load_settings(session)
    if signer is None:
        signer = letter_signer(session, event, None)
    temporary = event.kind == EventKind.TAM_THOI.value
    body = event.body or ""
    until = f" đến ngày {show_date(event.until)}" if temporary and event.until else ""
    lines = [
        f"Kính gửi: {committee_of(body)}",
        # Each line a sentence ending with its full stop, as a decision's articles do; «Kính gửi» has none.
        f"Giới thiệu đồng chí: {member.full_name}, sinh ngày {show_date(member.birth_date)}.",
        f"Vào Đảng ngày {show_date(member.admitted_on)}"
        + (f", chính thức ngày {show_date(member.full_member_on)}" if member.full_member_on else " (đảng viên dự bị)")
        + (f"; số thẻ đảng viên {member.card_number}" if member.card_number else "") + ".",
        f"Đảng viên của {_chi_bo_left(session, member, event)}, {party_of(settings.issuing_body_short)}.",
        f"Được chuyển sinh hoạt đảng {'tạm thời' if temporary else 'chính thức'} đến {body}, kể từ ngày "
        f"{show_date(event.on)}{until}.",
        f"Đề nghị {committee_of(body)} tiếp nhận, quản lý và gửi lại phiếu báo đã tiếp nhận trong thời hạn "
        f"{SLIP_DAYS} ngày.",
    ]
    blank = "……"
    slip = TearOff(title="PHIẾU BÁO ĐÃ TIẾP NHẬN SINH HOẠT ĐẢNG", lines=[
        f"Kính gửi: Ban Thường vụ {settings.issuing_body_short}",
        f"{committee_of(body)} đã tiếp nhận đồng chí {member.full_name}, sinh ngày {show_date(member.birth_date)}, "
        f"đảng viên {'chính thức' if member.full_member_on else 'dự bị'}, về sinh hoạt đảng "
        f"{'tạm thời' if temporary else 'chính thức'} tại {blank * 6} từ ngày {blank}/{blank}/{blank}.",
    ], closing=[f"{blank}, ngày {blank} tháng {blank} năm {blank}", "T/M CẤP ỦY", "(Ký tên, đóng dấu)"])
    header = Header(settings.superior_body, settings.issuing_body, LETTER_DOC_TYPE, settings.issuer_code,
                    settings.place_name)
    kind = "tạm thời" if temporary else "chính thức"
    return DecisionContent(
        header=header, subject=f"(chuyển sinh hoạt đảng {kind})", can_cu=[], basis=lines, enacting="", articles=[],
        recipients=["Như trên", "Lưu Ban Tổ chức"], signature=SignatureBlock("T/M BAN THƯỜNG VỤ", signer.title,
                                                                             signer.name),
        tear_off=slip, title=LETTER_LABEL.upper(), decided_by=f"Ban Thường vụ {settings.issuing_body_short}")


def issue_letter(session: Session, member_code: str, *, on: dt.date, actor: str, render: PdfRenderer,
                 signer: str | None = None) -> Decision:
    """The letter of the member's latest transfer out still without one, numbered in the register (its own
    sequence per term, like every document type); `signer` a configured signer's name (letter_signer)."""
    member = _member(session, member_code)
    event = _transfer_out(session, member, with_letter=False)
    content = letter_content(session, member, event, letter_signer(session, event, signer))
    letter = decisions.create_draft(session, action=LETTER_ACTION, content=content, request_json=None,
                                    effective_on=event.on, actor=actor)
    letter.subject = register_subject(member, event)  # the printed letter keeps its bracketed line
    decisions.issue(session, letter, on=on, actor=actor, render=render, effect=None)
    event.letter_number = letter.number
    event.letter_code = letter.code
    session.flush()
    return letter


def record_slip(session: Session, member_code: str, *, returned_on: dt.date, actor: str) -> MemberEvent:
    """The receiving body's slip came back: the transfer is confirmed."""
    require(session, Permission.DRAFT_ISSUE)
    member = _member(session, member_code)
    event = _transfer_out(session, member, with_letter=True)
    if event.slip_returned_on is not None:
        raise ValidationError(f"Phiếu báo của giấy giới thiệu số {event.letter_code} đã nhận ngày "
                              f"{show_date(event.slip_returned_on)}.", code="slip_already_returned")
    if returned_on < event.on:
        raise ValidationError(f"Ngày nhận phiếu báo {show_date(returned_on)} trước ngày chuyển "
                              f"{show_date(event.on)}.", code="slip_before_transfer")
    letter_issued = session.scalar(select(Decision.issued_on).where(Decision.action == LETTER_ACTION,
                                                                    Decision.code == event.letter_code))
    if letter_issued is not None and returned_on < letter_issued:
        raise ValidationError(f"Ngày nhận phiếu báo {show_date(returned_on)} trước ngày cấp giấy giới thiệu số "
                              f"{event.letter_code} ({show_date(letter_issued)}): phiếu báo chỉ về sau khi giấy "
                              "giới thiệu đã cấp.", code="slip_before_letter")
    event.slip_returned_on = returned_on
    record(session, actor=actor, action="member.slip_returned", target=f"{member.code} {event.letter_code}",
           after={"returned_on": returned_on.isoformat()})
    session.flush()
    return event


@dataclass(frozen=True)
class TransferOut:
    """A transfer out of the office (permanent or temporary) still waiting for its return slip."""

    member_code: str
    full_name: str
    temporary: bool
    on: dt.date  # the transfer's date
    body: str  # where the member went
    letter_code: str | None  # the giấy giới thiệu's number, None until it is issued
    letter_id: int | None
    late: bool  # no slip after SLIP_DAYS days
    decision_signer: str | None = None  # who signed the transfer decision: the letter's signer unless one is chosen


def awaiting_slips(session: Session, as_of: dt.date) -> list[TransferOut]:
    """Transfers out on or before `as_of` whose slip has not come back (with or without their letter yet),
    the oldest first: the clerk issues the letter, then records the slip; after SLIP_DAYS days they are late."""
    rows = session.execute(select(MemberEvent, Member).join(Member, Member.id == MemberEvent.member_id).where(
        MemberEvent.kind.in_(_OUT), MemberEvent.body.is_not(None), MemberEvent.on <= as_of,
        or_(MemberEvent.slip_returned_on.is_(None), MemberEvent.slip_returned_on > as_of))
        .order_by(MemberEvent.on, MemberEvent.id))
    found = [(event, member) for event, member in rows]
    codes = [e.letter_code for e, _ in found if e.letter_code]
    ids = dict(session.execute(select(Decision.code, Decision.id).where(
        Decision.action == LETTER_ACTION, Decision.code.in_(codes))).tuples().all()) if codes else {}
    decided = [e.decision_id for e, _ in found if e.decision_id is not None]
    signed = dict(session.execute(select(Decision.id, Decision.signer).where(Decision.id.in_(decided)))
                  .tuples().all()) if decided else {}
    late = as_of - dt.timedelta(days=SLIP_DAYS)
    return [TransferOut(member.code, member.full_name, event.kind == EventKind.TAM_THOI.value, event.on,
                        event.body or "", event.letter_code, ids.get(event.letter_code) if event.letter_code else None,
                        event.on <= late, signed.get(event.decision_id) if event.decision_id is not None else None)
            for event, member in found]
