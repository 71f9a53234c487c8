"""Planners of the member actions: a request and the office on the event's date -> a MemberPlan.

Memberships change through the restructuring Plan (moves, arrivals, leaves: Biểu 1 reads their
reasons); what a membership cannot say is an Event. The Charter's thresholds are checked by the same
rule book as every plan (workflows/request_check.py check_plan); a chi bộ left under 3 full members by a death or a
transfer is worth a warning, never a refusal: the event happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from khoi_desktop.core.codes import stored_in_other_case
from khoi_desktop.core.dates import add_months, probation_ends
from khoi_desktop.core.member_events.lists import party_dates
from khoi_desktop.core.member_events.models import LEAVING, TRANSFERS, EventKind, MemberEvent
from khoi_desktop.core.member_events.requests import (
    Admit,
    ConfirmFull,
    EndExemption,
    Exempt,
    LeaveParty,
    LeaveReason,
    Person,
    ReceiveMember,
    TransferMember,
)
from khoi_desktop.core.models import Member, MemberStatus, MoveReason, member_status
from khoi_desktop.core.requests import MemberRecord
from khoi_desktop.core.text import fold, show_date
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.core.workflows.office import MemberInfo, Office
from khoi_desktop.core.workflows.plan import Arrival, Leave, Move, Plan
from khoi_desktop.core.workflows.restructure import _check_record

ADULT_YEARS = 18

LEAVE_MOVE = {"tu_tran": MoveReason.TU_TRAN, "xin_ra": MoveReason.XIN_RA, "xoa_ten": MoveReason.XOA_TEN,
              "khai_tru": MoveReason.KHAI_TRU}


@dataclass
class Event:
    member: MemberInfo | None  # None: a member arriving with this decision (the arrival at the same index)
    kind: EventKind
    to_org_id: int | None = None
    body: str | None = None
    until: dt.date | None = None
    arrival: int | None = None


@dataclass
class MemberPlan:
    day: dt.date
    plan: Plan = field(default_factory=Plan)
    events: list[Event] = field(default_factory=list)
    full_on: dict[int, dt.date] = field(default_factory=dict)  # member id -> full member from
    exempt: dict[int, bool] = field(default_factory=dict)  # member id -> exempt from the day (False: exemption ends)
    people: list[Person] = field(default_factory=list)  # the admitted, in the request's order
    members: list[MemberInfo] = field(default_factory=list)  # the members concerned, in order
    org: OrgNode | None = None  # the chi bộ concerned (admission, reception, move within the office)
    # arrival -> (first admission of a re-admitted member, None: the admission; days outside party life)
    party_age: dict[int, tuple[dt.date | None, int]] = field(default_factory=dict)
    readmitted_from: dict[int, int] = field(default_factory=dict)  # arrival -> the record it continues
    notes: list[tuple[str, str]] = field(default_factory=list)


def _who(info: MemberInfo) -> str:
    return f"Đảng viên {info.full_name} ({info.code})"


def _chi_bo(office: Office, code: str | None, what: str) -> OrgNode | None:
    node = office.org(code, what)
    if node is not None and not node.kind.is_chi_bo:
        office.refuse("not_a_chi_bo", f"{node.name} là {node.kind.label.lower()}: đảng viên phải sinh hoạt ở một "
                                      "chi bộ.")
        return None
    return node


def _events_of(office: Office, member_id: int, kinds: frozenset[EventKind]) -> list[MemberEvent]:
    return list(office.session.scalars(select(MemberEvent).where(
        MemberEvent.member_id == member_id, MemberEvent.kind.in_([k.value for k in kinds]))))


def _member(office: Office, code: str) -> MemberInfo | None:
    """An active member on the date, who has not left and whose membership has no later change."""
    known = office.session.scalars(select(Member.id).where(Member.code == code)).first()
    if known is None and (stored := stored_in_other_case(office.session, Member.code, code)) is not None:
        return _member(office, stored)
    if known is not None:
        left = office.session.scalars(select(MemberEvent).where(
            MemberEvent.member_id == known, MemberEvent.kind.in_([k.value for k in LEAVING]))).first()
        if left is not None:
            name = office.session.get(Member, known)
            assert name is not None
            office.refuse("already_left", f"Đảng viên {name.full_name} ({code}) đã "
                                          f"{EventKind(left.kind).label.lower()} từ ngày {show_date(left.on)}.")
            return None
    info = office.member(code)
    if info is None or not office.movable(info):
        return None
    return info


def plan_admit(office: Office, request: Admit) -> MemberPlan:
    day = request.admitted_on
    result = MemberPlan(day, people=request.everyone())
    result.org = _chi_bo(office, request.org, "chi bộ kết nạp")
    if not result.people:
        office.refuse("nobody_admitted", "Chưa có người nào được đề nghị kết nạp.")
    seen: set[tuple[str, dt.date]] = set()
    for person in result.people:
        name = person.full_name
        adult_on = add_months(person.birth_date, 12 * ADULT_YEARS)
        if adult_on > day:
            office.refuse("under_18", f"{name} sinh ngày {show_date(person.birth_date)}, đến ngày kết nạp "
                                      f"{show_date(day)} chưa đủ {ADULT_YEARS} tuổi.")
        key = (fold(name), person.birth_date)
        matches = list(office.session.scalars(select(Member).where(Member.search_key == key[0],
                                                                   Member.birth_date == person.birth_date)))
        dates = party_dates(office.session, [m.id for m in matches])
        # Someone still a member (or transferred out, a member elsewhere) matches first; else who left last.
        matches.sort(key=lambda m: (dates[m.id].left_on is not None, -(dates[m.id].left_on or dt.date.min).toordinal()))
        same = matches[0] if matches else None
        problems = len(office.problems)
        readmission = _readmission(office, person, same, day)
        if key in seen or (same is not None and readmission is None and len(office.problems) == problems):
            office.refuse("already_member", f"{name} (sinh ngày {show_date(person.birth_date)}) đã là đảng viên"
                          + (" (ghi hai lần trong đề nghị)." if key in seen or same is None else f" ({same.code})."))
        seen.add(key)
        record = MemberRecord(family_name=person.family_name, middle_name=person.middle_name,
                              given_name=person.given_name, birth_date=person.birth_date, sex=person.sex,
                              status=MemberStatus.DU_BI, admitted_on=day, national_id=person.national_id,
                              job_title=person.job_title, code=person.code or None)
        _check_record(office, record)
        if result.org is not None:
            if readmission is not None:
                result.party_age[len(result.plan.arrivals)] = readmission
                if same is not None:
                    result.readmitted_from[len(result.plan.arrivals)] = same.id
                result.notes.append(("readmitted", f"{name} được kết nạp lại: tuổi đảng tính từ ngày kết nạp lần "
                                                   f"đầu {show_date(readmission[0])}, trừ {readmission[1]} ngày "
                                                   "không sinh hoạt đảng."))
            result.plan.arrivals.append(Arrival(record, result.org.id, MoveReason.KET_NAP))
            result.events.append(Event(None, EventKind.KET_NAP, result.org.id,
                                       arrival=len(result.plan.arrivals) - 1))
    for code in request.introducers:
        info = office.member(code)
        if info is not None and not info.full:
            office.refuse("introducer_not_full", f"Người giới thiệu {info.full_name} ({code}) chưa là đảng viên "
                                                 "chính thức.")
    return result


def _readmission(office: Office, person: Person, same: Member | None,
                 day: dt.date) -> tuple[dt.date, int] | None:
    """(first admission, days outside the Party) of a re-admission, or None for a first admission. Re-admitted
    once only; someone still a member, or transferred out (a member elsewhere), is refused by the caller."""
    if same is not None:
        left = party_dates(office.session, [same.id])[same.id]
        if left.left_on is None or left.leave_reason == "tu_tran":
            return None
        if same.party_age_from is not None:
            office.refuse("readmitted_once", f"{same.full_name} ({same.code}) đã được kết nạp lại một lần: chỉ "
                                             "kết nạp lại một lần.")
            return None
        if same.admitted_on is None:
            return None
        return same.admitted_on, (same.party_age_gap_days or 0) + max(0, (day - left.left_on).days)
    if person.first_admitted_on is None:
        if person.gap_days:
            office.refuse("gap_without_first", "Số ngày gián đoạn chỉ ghi cùng ngày kết nạp lần đầu.")
        return None
    if person.first_admitted_on >= day:
        office.refuse("first_after_admission", f"Ngày kết nạp lần đầu {show_date(person.first_admitted_on)} phải "
                                               f"trước ngày kết nạp lại {show_date(day)}.")
        return None
    gap = person.gap_days or 0
    if not 0 <= gap <= (day - person.first_admitted_on).days:
        office.refuse("gap_too_long", f"Số ngày gián đoạn ({gap}) không thể dài hơn thời gian từ ngày kết nạp lần "
                                      f"đầu {show_date(person.first_admitted_on)} đến ngày {show_date(day)}.")
        return None
    return person.first_admitted_on, gap


def plan_confirm_full(office: Office, request: ConfirmFull) -> MemberPlan:
    result = MemberPlan(request.on)
    codes = request.codes()
    if not codes:
        office.refuse("nobody_confirmed", "Chưa có đảng viên nào được đề nghị công nhận chính thức.")
    office.prefetch_members(codes)
    for code in codes:
        info = _member(office, code)
        if info is None:
            continue
        member = office.session.get(Member, info.id)
        assert member is not None
        if info.full:
            office.refuse("already_full", f"{_who(info)} đã là đảng viên chính thức.")
            continue
        if member.admitted_on is None:
            office.refuse("admission_unknown", f"{_who(info)} chưa có ngày vào Đảng.")
            continue
        months = office.settings.thresholds.probation_months
        ends = probation_ends(member.admitted_on, months)
        if ends > request.on:
            office.refuse("probation_not_over", f"{_who(info)} vào Đảng ngày {show_date(member.admitted_on)}: đến "
                                                f"ngày {show_date(ends)} mới đủ {months} tháng dự bị.")
            continue
        result.members.append(info)
        result.full_on[info.id] = ends
        result.events.append(Event(info, EventKind.CHINH_THUC))
    return result


def check_signed_after_probation(office: Office, plan: MemberPlan, signed: dt.date) -> None:
    """A recognition is signed only once the 12 months of probation have run (the request's `on` may be later
    than the day it is signed: the day it is drafted or issued, without an explicit `effective`)."""
    for info in plan.members:
        ends = plan.full_on.get(info.id)
        if ends is not None and ends > signed:
            office.refuse("signed_before_probation_end",
                          f"{_who(info)} đến ngày {show_date(ends)} mới hết thời gian dự bị: chưa thể ban hành "
                          f"quyết định công nhận đảng viên chính thức ngày {show_date(signed)}.")


def _seats_ended_against(office: Office, info: MemberInfo, request: LeaveParty) -> None:
    """A committee seat the member held is ended by an issued decision: leaving the Party before that day, or a
    death on another day than the one the seat ended for, would make the two decisions and the records disagree
    (a dead member on the committee for days, two days of death)."""
    from khoi_desktop.core.appointments.committees import body_names
    from khoi_desktop.core.appointments.requests import END_REASONS
    from khoi_desktop.core.models import CommitteeSeat, Organization

    died = END_REASONS["tu_tran"]
    for seat, org in office.session.execute(
            select(CommitteeSeat, Organization).join(Organization, Organization.id == CommitteeSeat.org_id)
            .where(CommitteeSeat.member_id == info.id, CommitteeSeat.valid_to.is_not(None))):
        assert seat.valid_to is not None
        post = body_names(org.name, org.kind).role(seat.role)
        ended = show_date(seat.valid_to)
        if seat.valid_to > request.on:
            office.refuse("seat_ended_after_leaving",
                          f"{_who(info)} giữ chức {post} đến ngày {ended} theo quyết định đã ban hành: ngày "
                          f"{request.reason.label} {show_date(request.on)} không thể trước ngày đó. Hãy ghi ngày từ "
                          f"{ended} trở đi, hoặc ban hành quyết định đính chính quyết định thôi giữ chức trước.")
            return
        if request.reason is LeaveReason.TU_TRAN and (seat.end_reason or "").casefold() == died \
                and seat.valid_to != request.on:
            office.refuse("death_dates_differ",
                          f"{_who(info)} đã thôi giữ chức {post} từ ngày {ended}, lý do: từ trần; ngày từ trần "
                          f"phải là ngày đó, không phải {show_date(request.on)}.")
            return


def plan_leave(office: Office, request: LeaveParty) -> MemberPlan:
    result = MemberPlan(request.on)
    info = _member(office, request.member)
    if info is not None:
        _seats_ended_against(office, info, request)
        result.members.append(info)
        result.plan.leaves.append(Leave(info, LEAVE_MOVE[request.reason.value]))
        result.events.append(Event(info, EventKind(request.reason.value)))
    return result


def plan_exempt(office: Office, request: Exempt) -> MemberPlan:
    result = MemberPlan(request.on)
    info = _member(office, request.member)
    if info is not None:
        member = office.session.get(Member, info.id)
        assert member is not None
        if member.exempt_since is not None and (member.exempt_until is None or member.exempt_until > request.on):
            office.refuse("already_exempt", f"{_who(info)} đã được miễn sinh hoạt từ ngày "
                                            f"{show_date(member.exempt_since)}"
                          + (f" đến ngày {show_date(member.exempt_until)}." if member.exempt_until else "."))
        else:
            result.members.append(info)
            result.exempt[info.id] = True
            result.events.append(Event(info, EventKind.MIEN_SINH_HOAT))
    return result


def plan_end_exemption(office: Office, request: EndExemption) -> MemberPlan:
    result = MemberPlan(request.on)
    info = _member(office, request.member)
    if info is not None:
        member = office.session.get(Member, info.id)
        assert member is not None
        # Only the running period (the member row's) can end: an earlier one ended already.
        if member_status(None, member.exempt_since, request.on, member.exempt_until) is not MemberStatus.MIEN_SINH_HOAT:
            office.refuse("not_exempt", f"{_who(info)} không được miễn sinh hoạt vào ngày {show_date(request.on)}.")
        else:
            result.members.append(info)
            result.exempt[info.id] = False
            result.events.append(Event(info, EventKind.HET_MIEN))
    return result


def plan_transfer_member(office: Office, request: TransferMember) -> MemberPlan:
    result = MemberPlan(request.on)
    info = _member(office, request.member)
    if (request.to is None) == (request.to_body is None):
        office.refuse("transfer_target", "Nêu một nơi đến: mã chi bộ trong Đảng bộ hoặc tên tổ chức đảng bên ngoài.")
        return result
    if request.temporary and request.until is None:
        office.refuse("until_missing", "Chuyển sinh hoạt tạm thời phải ghi ngày kết thúc (sinh hoạt tạm thời đến "
                                       "ngày nào).")
    if not request.temporary and request.until is not None:
        office.refuse("until_not_temporary", "Chỉ chuyển sinh hoạt tạm thời mới có ngày kết thúc: chuyển chính thức "
                                             "không ghi «đến ngày».")
    if request.temporary and request.until is not None and request.until <= request.on:
        office.refuse("until_before_start", f"Ngày kết thúc sinh hoạt tạm thời {show_date(request.until)} phải sau "
                                            f"ngày chuyển {show_date(request.on)}.")
    target = _chi_bo(office, request.to, "chi bộ nơi đến") if request.to is not None else None
    if info is None or (request.to is not None and target is None):
        return result
    same_day = [e for e in _events_of(office, info.id, TRANSFERS) if e.on == request.on]
    if same_day:
        office.refuse("transferred_today", f"{_who(info)} đã có quyết định chuyển sinh hoạt ngày "
                                           f"{show_date(request.on)}.")
        return result
    if target is not None and target.id == info.org_id:
        office.refuse("same_chi_bo", f"{_who(info)} đang sinh hoạt tại {target.name}.")
        return result
    result.members.append(info)
    result.org = target
    if request.temporary:
        result.events.append(Event(info, EventKind.TAM_THOI, target.id if target else None, request.to_body,
                                   request.until))
    elif target is not None:
        result.plan.moves.append(Move(info, target.id, MoveReason.CHUYEN_SINH_HOAT))
        result.events.append(Event(info, EventKind.CHUYEN_SINH_HOAT, target.id))
    else:
        result.plan.leaves.append(Leave(info, MoveReason.CHUYEN_DI))
        result.events.append(Event(info, EventKind.CHUYEN_DI, body=request.to_body))
    return result


def plan_receive_member(office: Office, request: ReceiveMember) -> MemberPlan:
    result = MemberPlan(request.on)
    if not request.from_body:
        office.refuse("missing_body", "Chưa nêu tổ chức đảng chuyển đi.")
    result.org = _chi_bo(office, request.org, "chi bộ tiếp nhận")
    _check_record(office, request.person)
    interrupted = _received_party_age(office, request)
    if result.org is not None:
        result.plan.arrivals.append(Arrival(request.person, result.org.id, MoveReason.CHUYEN_DEN))
        result.events.append(Event(None, EventKind.CHUYEN_DEN, result.org.id, request.from_body, arrival=0))
        if interrupted is not None:
            result.party_age[0] = interrupted
    return result


def _received_party_age(office: Office, request: ReceiveMember) -> tuple[dt.date | None, int] | None:
    """The interruption a received member's record declares: (first admission or None, days outside party
    life), checked against the admission date; None when there is none."""
    first, gap = request.first_admitted_on, request.gap_days or 0
    if first is None and not gap:
        return None
    admitted = request.person.admitted_on
    if first is not None and first > admitted:
        office.refuse("first_after_admission", f"Ngày kết nạp lần đầu {show_date(first)} phải trước ngày vào Đảng "
                                               f"(kết nạp lại) {show_date(admitted)}.")
        return None
    start = first or admitted
    if not 0 <= gap <= (request.on - start).days:
        office.refuse("gap_too_long", f"Số ngày gián đoạn ({gap}) không thể dài hơn thời gian từ ngày "
                                      f"{show_date(start)} đến ngày tiếp nhận {show_date(request.on)}.")
        return None
    return first if first != admitted else None, gap
