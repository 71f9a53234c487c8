"""Who may be appointed or approved to what (DOMAIN.md §3, thresholds from settings), as a checked plan.

Every problem is collected on the Office in Vietnamese; a plan with problems is never carried out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from khoi_desktop.core.appointments.committees import (
    TERM_ENDED,
    BodyNames,
    Structure,
    TermInfo,
    body_names,
    current_term,
    open_seats,
    show_term,
    structure,
)
from khoi_desktop.core.appointments.requests import (
    Appoint,
    AppointMode,
    ApproveElection,
    EndSeat,
    Seat,
    reason_text,
    unknown_end_reason,
)
from khoi_desktop.core.appointments.submissions import resolve_submission
from khoi_desktop.core.codes import stored_in_other_case
from khoi_desktop.core.errors import MemberNotFound, ValidationError
from khoi_desktop.core.models import Committee, CommitteeSeat, Member, MemberStatus, SeatRole, Submission
from khoi_desktop.core.office import parse_term
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.core.workflows.execute import SEAT_END_MOVED
from khoi_desktop.core.workflows.office import MemberInfo, Office

LEADER_ROLES = (SeatRole.UY_VIEN_BTV, SeatRole.BI_THU, SeatRole.PHO_BI_THU)
OVERRIDE_HINT = " Chỉ vượt khi thật cần thiết: ghi lý do vào ô «Lý do vượt số lượng»."


@dataclass
class NewSeat:
    member: MemberInfo
    role: SeatRole


@dataclass
class Ending:
    seat_id: int
    member: MemberInfo
    role: SeatRole
    term: str
    reason: str


@dataclass
class SeatPlan:
    """What issuing the decision changes in the committee."""

    org: OrgNode
    names: BodyNames
    term: str
    opens: list[NewSeat] = field(default_factory=list)
    ends: list[Ending] = field(default_factory=list)
    first_committee: bool = False  # the term's committee is named for the first time
    new_term: bool = False  # approve_election: the term starts on the effective date
    committee_size: int | None = None  # recorded on the committee row when it is created or a term starts
    submission: Submission | None = None
    over_size: tuple[int, str] | None = None  # (congress-set size, why exceeding it is truly necessary)
    has_committee: bool = True  # False: a chi bộ with no chi ủy after the decision (only a Bí thư, a Phó Bí thư)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def people(self) -> dict[int, tuple[MemberInfo, list[SeatRole]]]:
        """Each person opened, with their new roles, in the order first named."""
        result: dict[int, tuple[MemberInfo, list[SeatRole]]] = {}
        for seat in self.opens:
            result.setdefault(seat.member.id, (seat.member, []))[1].append(seat.role)
        return result


# --- shared checks --------------------------------------------------------------------------
def _org(office: Office, code: str) -> OrgNode | None:
    node = office.org(code, "tổ chức đảng")
    if node is not None and not node.active:
        office.refuse("org_ended", f"{node.name} đã kết thúc hoạt động.")
        return None
    return node


def _term(office: Office, text: str) -> str | None:
    if not text:
        office.refuse("missing_term", "Chưa nêu nhiệm kỳ (ví dụ 2025-2030).")
        return None
    try:
        return parse_term(text)[0]
    except ValidationError as error:
        office.refuse(error.code, error.message)
        return None


def _term_fits(office: Office, label: str, *, election: bool) -> None:
    """The effective date falls in the term (an election: within a year of the term's start)."""
    first, last = (int(x) for x in label.split("-"))
    year = office.day.year
    if election and not first - 1 <= year <= first + 1:
        office.refuse("term_mismatch", f"Đại hội nhiệm kỳ {show_term(label)} không thể diễn ra vào ngày "
                                       f"{show_date(office.day)}: đại hội chỉ được tổ chức sớm hoặc muộn tối đa "
                                       "một năm so với đầu nhiệm kỳ.")
    elif not election and not first - 1 <= year <= last + 1:
        office.refuse("term_mismatch", f"Ngày hiệu lực {show_date(office.day)} không thuộc nhiệm kỳ "
                                       f"{show_term(label)}.")


def _candidate(office: Office, node: OrgNode, code: str, names: BodyNames) -> MemberInfo | None:
    """A member who may hold a seat: a full member of the organization on the date, not exempt."""
    info = office.member(code)
    if info is None:
        return None
    if info.org_id not in set(office.snapshot.subtree_ids(node.id)):
        where = office.snapshot.nodes.get(info.org_id)
        office.refuse("member_not_in_org", f"Đồng chí {info.full_name} ({code}) sinh hoạt ở "
                                           f"{where.name if where else 'tổ chức khác'}, không thuộc {names.org}: "
                                           "chỉ đảng viên của tổ chức mới được chỉ định, chuẩn y vào cấp ủy.")
        return None
    member = office.session.get(Member, info.id)
    if member is not None and member.status_on(office.day) is MemberStatus.MIEN_SINH_HOAT:
        office.refuse("member_exempt", f"Đồng chí {info.full_name} ({code}) đang được miễn sinh hoạt đảng: "
                                       "không thể tham gia cấp ủy.")
        return None
    if not info.full:
        office.refuse("not_full_member", f"Đồng chí {info.full_name} ({code}) là đảng viên dự bị vào ngày "
                                         f"{show_date(office.day)}: chỉ đảng viên chính thức mới được chỉ định, "
                                         "chuẩn y vào cấp ủy.")
        return None
    if not office.movable(info):
        return None
    return info


def _new_seats(office: Office, node: OrgNode, names: BodyNames, seats: list[Seat]) -> list[NewSeat]:
    if not seats:
        office.refuse("no_seats", "Chưa chọn đồng chí nào (danh sách seats trống).")
    result, seen, infos = [], set(), {}
    for seat in seats:
        role = seat.role
        if seat.member not in infos:
            infos[seat.member] = _candidate(office, node, seat.member, names)
        info = infos[seat.member]
        if info is None:
            continue
        if (info.id, role) in seen:
            office.refuse("role_twice", f"Đồng chí {info.full_name} được nêu hai lần với chức danh "
                                        f"{role.label.lower()}: mỗi người giữ một chức danh một lần.")
            continue
        seen.add((info.id, role))
        result.append(NewSeat(info, role))
    return result


def _check_shape(office: Office, names: BodyNames, shape: Structure, roles: dict[int, set[SeatRole]],
                 who: dict[int, str], committee_size: int | None, new: list[NewSeat]) -> None:
    """The committee after the change keeps the Charter's shape (thresholds from settings). Only what the
    request touches is checked, so an older irregularity does not block an unrelated appointment."""
    limits = office.settings.thresholds
    touched = {seat.role for seat in new}
    asked = {seat.member.id for seat in new}

    def holders(role: SeatRole) -> list[int]:
        return [m for m, held in roles.items() if role in held]

    committee = holders(SeatRole.CAP_UY_VIEN)
    bi_thu, pho = holders(SeatRole.BI_THU), holders(SeatRole.PHO_BI_THU)
    if SeatRole.UY_VIEN_BTV in touched:
        if names.is_chi_bo:
            office.refuse("no_btv_in_chi_bo", f"{names.org} là chi bộ: không có Ban Thường vụ.")
        elif not shape.btv_possible:
            office.refuse("no_btv", f"{names.org} là đảng bộ bộ phận: không có Ban Thường vụ.")
        elif (size := committee_size or len(committee)) < limits.btv_min_committee:
            office.refuse("no_btv", f"Ban Chấp hành {names.org} có {size} ủy viên (dưới "
                                    f"{limits.btv_min_committee}): không bầu Ban Thường vụ, chỉ có Bí thư và Phó "
                                    "Bí thư.")
    if SeatRole.CAP_UY_VIEN in touched and not shape.has_committee:
        office.refuse("no_chi_uy", f"{names.org} có {shape.full_members} đảng viên chính thức (dưới "
                                   f"{limits.chi_uy_min_full_members}): không lập chi ủy, chỉ có Bí thư và nếu cần "
                                   "một Phó Bí thư.")
    if SeatRole.CAP_UY_VIEN in touched and shape.max_size is not None and len(committee) > shape.max_size:
        office.refuse("chi_uy_too_big", f"Chi ủy {names.org} có tối đa {shape.max_size} đồng chí; sau thay đổi "
                                        f"này sẽ có {len(committee)}.")
    def one_only(role: SeatRole, seated: list[int]) -> str:
        """Who the request names for the one seat, apart from who holds it now (that one was written as if the
        request had named them: «đang nêu: <the sitting Bí thư>, <the one asked>»)."""
        named = {seat.member.id for seat in new if seat.role is role}
        sitting = [who[m] for m in seated if m not in named]
        text = (f"{names.org} chỉ có một {role.label}: yêu cầu nêu đồng chí "
                f"{', '.join(who[m] for m in seated if m in named)}")
        if sitting:
            text += (f", trong khi đồng chí {', '.join(sitting)} đang giữ chức này. Cần cho đồng chí "
                     f"{', '.join(sitting)} thôi giữ chức (yêu cầu end_seat) trước khi nêu người mới")
        return text + "."

    # A Bí thư asked beside the sitting one is refused once, as role_taken (check_appoint).
    if SeatRole.BI_THU in touched and sum(m in asked for m in bi_thu) > 1:
        office.refuse("one_bi_thu", one_only(SeatRole.BI_THU, [m for m in bi_thu if m in asked]))
    if SeatRole.PHO_BI_THU in touched and shape.max_deputies is not None and len(pho) > shape.max_deputies:
        office.refuse("one_pho_bi_thu", one_only(SeatRole.PHO_BI_THU, pho))
    for member_id in set(bi_thu) & set(pho) & asked:
        office.refuse("bi_thu_and_pho", f"Đồng chí {who[member_id]} không thể vừa là Bí thư vừa là Phó Bí thư.")
    if shape.has_committee:
        for role in LEADER_ROLES:
            for member_id in holders(role):
                if member_id in asked and member_id not in committee:
                    office.refuse("not_in_committee", f"Đồng chí {who[member_id]} chưa là "
                                                      f"{names.member_word.lower()} {names.org}: Bí thư, Phó Bí thư "
                                                      "và ủy viên Ban Thường vụ phải được chọn trong cấp ủy (thêm "
                                                      "chức danh cap_uy_vien).")


    standing = holders(SeatRole.UY_VIEN_BTV)
    # DOMAIN.md §3: where a Ban Thường vụ is elected, BT and PBT come from it (one outside the committee is told that)
    if standing and not names.is_chi_bo:
        for role in (SeatRole.BI_THU, SeatRole.PHO_BI_THU):
            for member_id in holders(role):
                if member_id in asked and member_id in committee and member_id not in standing:
                    office.refuse("not_in_btv", f"Đồng chí {who[member_id]} chưa là ủy viên Ban Thường vụ "
                                                f"{names.leader_body}: {role.label} được chọn trong Ban Thường vụ "
                                                "(thêm chức danh uy_vien_btv).")


def _submission(office: Office, ref: str | None, node: OrgNode) -> Submission | None:
    return resolve_submission(office, ref, node) if ref else None


# --- appoint --------------------------------------------------------------------------------
def check_appoint(office: Office, request: Appoint) -> SeatPlan | None:
    node = _org(office, request.org)
    label = _term(office, request.term)
    if node is None or label is None:
        return None
    _term_fits(office, label, election=False)
    names = body_names(node.name, node.kind)
    shape = structure(node, office.settings.thresholds)
    term = current_term(office.session, node.id, office.day)
    if term is not None and term.label != label:
        office.refuse("wrong_term", f"Cấp ủy {names.org} đang ở nhiệm kỳ {show_term(term.label)}, không phải "
                                    f"nhiệm kỳ {show_term(label)}.")
    plan = SeatPlan(node, names, label, first_committee=term is None)
    plan.opens = _new_seats(office, node, names, request.seats)
    plan.submission = _submission(office, request.submission, node)
    current = open_seats(office.session, node.id, office.day) if term is not None else []
    roles: dict[int, set[SeatRole]] = defaultdict(set)
    who: dict[int, str] = {}
    members_now = {m.id for i in office.snapshot.subtree_ids(node.id) for m in office.members_in(i)}
    for seat in current:
        if seat.member_id not in members_now:  # left the organization: the seat is in fact vacant
            plan.ends.append(Ending(seat.id, _stub(seat), seat.role, seat.term, SEAT_END_MOVED))
            continue
        roles[seat.member_id].add(seat.role)
        who[seat.member_id] = seat.member.full_name
    staying = dict(roles)
    for new in plan.opens:
        who[new.member.id] = new.member.full_name
        if new.role in roles[new.member.id]:
            office.refuse("already_holds", f"Đồng chí {new.member.full_name} đã là {names.role(new.role)} "
                                           f"nhiệm kỳ {show_term(label)}.")
        elif new.role is SeatRole.BI_THU and _holders(staying, SeatRole.BI_THU):
            holder = who[_holders(staying, SeatRole.BI_THU)[0]]
            verb = "chỉ định" if request.mode is AppointMode.CHI_DINH else "chuẩn y"
            office.refuse("role_taken", f"Yêu cầu {verb} đồng chí {new.member.full_name} làm Bí thư {names.org}, "
                                        f"nhưng đồng chí {holder} đang giữ chức này (nhiệm kỳ "
                                        f"{show_term(label)}). Cần cho đồng chí {holder} thôi giữ chức (yêu cầu "
                                        f"end_seat) trước khi {verb} Bí thư mới.")
        roles[new.member.id].add(new.role)
    size = term.size if term is not None else None
    plan.has_committee = not names.is_chi_bo or bool(_holders(roles, SeatRole.CAP_UY_VIEN))
    _check_shape(office, names, shape, roles, who, size, plan.opens)
    # The congress's size bounds the committee members added; naming one of them BTV, Bí thư or Phó Bí thư adds
    # nobody, even on a committee already over its size (by an earlier, reasoned, chỉ định bổ sung).
    adds = any(new.role is SeatRole.CAP_UY_VIEN for new in plan.opens)
    if shape.has_committee and size is not None and adds:
        _ceiling(office, plan, request, names, term, sum(SeatRole.CAP_UY_VIEN in r for r in roles.values()))
    if plan.first_committee:
        plan.committee_size = sum(s.role is SeatRole.CAP_UY_VIEN for s in plan.opens) or None
    return plan


def _holders(roles: dict[int, set[SeatRole]], role: SeatRole) -> list[int]:
    return [m for m, held in roles.items() if role in held]


def _ceiling(office: Office, plan: SeatPlan, request: Appoint, names: BodyNames, term: TermInfo | None,
             after: int) -> None:
    assert term is not None and term.size is not None
    if after <= term.size:
        return
    basis = "Đại hội quyết định" if term.size_recorded else "bầu tại Đại hội"
    message = (f"{names.committee} sẽ có {after} ủy viên, vượt số lượng {basis} ({term.size}) nhiệm kỳ "
               f"{show_term(term.label)}.")
    if not request.override_reason:
        office.refuse("over_size", message + OVERRIDE_HINT)
        return
    plan.warnings.append(("over_size", message))
    plan.over_size = (term.size, request.override_reason)


def _stub(seat: CommitteeSeat) -> MemberInfo:
    member = seat.member
    return MemberInfo(member.id, member.code, member.full_name, member.birth_date, member.job_title, member.agency,
                      True, seat.org_id, 0, True)


# --- approve_election -----------------------------------------------------------------------
def check_election(office: Office, request: ApproveElection) -> SeatPlan | None:
    node = _org(office, request.org)
    label = _term(office, request.term)
    if node is None or label is None:
        return None
    _term_fits(office, label, election=True)
    names = body_names(node.name, node.kind)
    if request.congress_on is not None and request.congress_on > office.day:
        office.refuse("congress_after_decision", f"Ngày Đại hội {show_date(request.congress_on)} sau ngày hiệu lực "
                                                 f"{show_date(office.day)}: chỉ chuẩn y kết quả Đại hội đã diễn ra.")
    shape = structure(node, office.settings.thresholds)
    session = office.session
    approved = session.scalars(select(Committee).where(Committee.org_id == node.id, Committee.term == label,
                                                       Committee.decision_id.is_not(None))).first()
    entered = session.scalars(select(CommitteeSeat).where(CommitteeSeat.org_id == node.id,
                                                          CommitteeSeat.term == label)).first()
    if approved is not None or entered is not None:
        office.refuse("already_elected", f"Cấp ủy {names.org} nhiệm kỳ {show_term(label)} đã được chuẩn y hoặc ghi "
                                         "nhận; bổ sung thì dùng chỉ định, chuẩn y bổ sung.")
    plan = SeatPlan(node, names, label, first_committee=True, new_term=True)
    plan.opens = _new_seats(office, node, names, request.seats)
    plan.submission = _submission(office, request.submission, node)
    size = request.committee_size
    elected = sum(s.role is SeatRole.CAP_UY_VIEN for s in plan.opens)
    if shape.has_committee:
        if size is None or size < 1:
            office.refuse("missing_size", f"Chưa nêu số lượng {names.committee_word.lower()} do Đại hội quyết định "
                                          "(committee_size).")
        elif shape.max_size is not None and size > shape.max_size:
            office.refuse("chi_uy_too_big", f"Chi ủy {names.org} có tối đa {shape.max_size} đồng chí; Đại hội "
                                            f"quyết định {size}.")
        elif elected > size:
            office.refuse("elected_over_size", f"Số cấp ủy viên trúng cử ({elected}) vượt số lượng Đại hội quyết "
                                               f"định ({size}).")
        plan.committee_size = size
    roles: dict[int, set[SeatRole]] = defaultdict(set)
    who = {}
    for new in plan.opens:
        roles[new.member.id].add(new.role)
        who[new.member.id] = new.member.full_name
    plan.has_committee = not names.is_chi_bo or bool(_holders(roles, SeatRole.CAP_UY_VIEN))
    _check_shape(office, names, shape, roles, who, plan.committee_size, plan.opens)
    for seat in open_seats(session, node.id, office.day):
        plan.ends.append(Ending(seat.id, _stub(seat), seat.role, seat.term, TERM_ENDED))
    return plan


# --- end_seat -------------------------------------------------------------------------------
def check_end_seat(office: Office, request: EndSeat) -> SeatPlan | None:
    node = _org(office, request.org)
    role = request.role
    if not request.reason.strip():
        office.refuse("missing_reason", "Chưa nêu lý do thôi giữ chức (ví dụ: nghi_huu, chuyen_cong_tac, cach_chuc).")
    elif (unknown := unknown_end_reason(request.reason)) is not None:
        office.refuse("unknown_end_reason", unknown)
    member = office.session.scalars(select(Member).where(Member.code == request.member)).first()
    if member is None and (stored := stored_in_other_case(office.session, Member.code, request.member)) is not None:
        member = office.session.scalars(select(Member).where(Member.code == stored)).first()
    if member is None:
        office.refuse(*MemberNotFound(request.member).problem)
    if node is None or member is None:
        return None
    names = body_names(node.name, node.kind)
    held = [s for s in open_seats(office.session, node.id, office.day) if s.member_id == member.id]
    seat = next((s for s in held if s.role is role), None)
    if seat is None:
        ended = office.session.scalars(select(CommitteeSeat).where(
            CommitteeSeat.org_id == node.id, CommitteeSeat.member_id == member.id, CommitteeSeat.role == role,
            CommitteeSeat.valid_to.is_not(None), CommitteeSeat.valid_to <= office.day)
            .order_by(CommitteeSeat.valid_to.desc())).first()
        if ended is not None and ended.valid_to is not None:
            # Ended already (a death recorded by the leave workflow, a move): no second decision for the same seat.
            office.refuse("seat_already_ended", f"Đồng chí {member.full_name} đã thôi giữ chức {names.role(role)} từ "
                                                f"ngày {show_date(ended.valid_to)}"
                                                + (f" ({ended.end_reason})" if ended.end_reason else "")
                                                + ": chức vụ đã khuyết, không cần quyết định thôi giữ chức nữa.")
            return None
        office.refuse("no_such_seat", f"Đồng chí {member.full_name} không giữ chức {names.role(role)} vào ngày "
                                      f"{show_date(office.day)}.")
        return None
    plan = SeatPlan(node, names, seat.term)
    # Leaving the committee ends every role held on it; ending a Bí thư's (Phó Bí thư's, BTV) seat ends the
    # committee seat too only when the request says so.
    leaves = role is SeatRole.CAP_UY_VIEN or request.leave_committee
    ending = [seat] + ([s for s in held if s is not seat] if leaves else [])
    plan.ends = [Ending(s.id, _stub(s), s.role, s.term, reason_text(request.reason.strip())) for s in ending]
    plan.submission = _submission(office, request.submission, node)
    return plan
