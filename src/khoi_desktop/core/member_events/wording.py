"""The words of member decisions: the action's template filled with names, and the list attached.

A decision for one person names them ("đồng chí Lê Thị Hoa"); for several it counts them and attaches
the list ("03 đồng chí (có danh sách kèm theo)").
"""

from __future__ import annotations

from sqlalchemy import select

from khoi_desktop.core.appointments.committees import body_names
from khoi_desktop.core.appointments.wording import seats_ending_line
from khoi_desktop.core.decision_content import Article, Attachment, DecisionContent
from khoi_desktop.core.member_events.plan import MemberPlan
from khoi_desktop.core.member_events.requests import (
    Admit,
    ConfirmFull,
    LeaveParty,
    LeaveReason,
    ReceiveMember,
    TransferMember,
)
from khoi_desktop.core.models import CommitteeSeat, SeatRole
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import count_text, show_date
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.core.wording.phrases import committee_of, job_and_unit
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.wording import authority_of, basis_of, execution_text, finish, staff_of, worded


def _people(names: list[str]) -> str:
    if len(names) == 1:
        return f"đồng chí {names[0]}"
    return f"{count_text(len(names))} đồng chí (có danh sách kèm theo)"


def _title(text: str) -> str:
    return text.upper()


def _parent(office: Office, node: OrgNode) -> OrgNode | None:
    return office.snapshot.nodes.get(node.parent_id) if node.parent_id is not None else None


def _committee_above(office: Office, node: OrgNode) -> str | None:
    """The đảng ủy a chi bộ trực thuộc is under (it carries the decision out with the chi bộ), unless it is the
    committee issuing the decision."""
    parent = _parent(office, node)
    if parent is None:
        return None
    committee = committee_of(parent.name)
    return None if committee == authority_of(office).short_name else committee


def _placed(office: Office, node: OrgNode) -> str:
    """Where a member lives, as the decision names it: a chi bộ cơ sở by its name; a chi bộ trực thuộc with its
    đảng bộ («Chi bộ Phòng Y tế trực thuộc Đảng bộ Sở Y tế»), since many đảng bộ have a «Chi bộ Phòng Y tế»;
    not in the decision of that đảng bộ's own đảng ủy."""
    parent = _parent(office, node)
    if parent is None or _committee_above(office, node) is None:
        return node.name
    return f"{node.name} trực thuộc {parent.name}"


def _values(office: Office, request: Request, plan: MemberPlan) -> tuple[dict[str, object], list[Attachment],
                                                                           list[str], list[str]]:
    """Values of the template, the lists attached, the bodies that carry the decision out and those outside
    the office that receive it to cooperate."""
    infos = plan.members
    org = plan.org
    bodies: list[str] = []
    outside: list[str] = []  # a body outside the office: sent the decision to cooperate, not bound by it
    rows: list[list[str]] = []
    if isinstance(request, Admit):
        names = [p.full_name for p in plan.people]
        rows = [[str(i), p.full_name, show_date(p.birth_date), p.job_title or "", "Dự bị"]
                for i, p in enumerate(plan.people, 1)]
    elif isinstance(request, ReceiveMember):
        record = request.person
        names = [" ".join(p for p in (record.family_name, record.middle_name, record.given_name) if p)]
        outside.append(committee_of(request.from_body))
    else:
        names = [m.full_name for m in infos]
        rows = [[str(i), m.full_name, show_date(m.birth_date), job_and_unit(m.job_title, m.agency),
                 "Chính thức" if m.full else "Dự bị"] for i, m in enumerate(infos, 1)]
    sources = [office.snapshot.nodes[m.org_id] for m in infos if m.org_id in office.snapshot.nodes]
    nodes = [org] if org is not None else []
    nodes += [n for n in sources if n.id not in {k.id for k in nodes}]
    chi_bo = list(dict.fromkeys(n.name for n in nodes))
    above = [committee for n in nodes if (committee := _committee_above(office, n)) is not None]
    bodies[:0] = [*dict.fromkeys(above), *chi_bo]
    values: dict[str, object] = {
        "nguoi": _people(names), "so_dang_vien": len(names), "ngay": show_date(plan.day),
        "ten_to_chuc": _placed(office, nodes[0]) if nodes else "", "ly_do": "",
        "noi_den": "", "hinh_thuc_chuyen": "", "ten_co_quan_giao": "", "ngay_chinh_thuc": "", "thu_hoi_the": "",
        "dua_ra": "",
    }
    columns: list[str] | None = None
    if isinstance(request, ConfirmFull):
        # Each is full from the day their 12 months end (what is recorded), not "Dự bị" as they were.
        full_days = [show_date(plan.full_on.get(m.id)) for m in infos]
        same_day = len(set(full_days)) <= 1
        values["ngay_chinh_thuc"] = full_days[0] if full_days and same_day else "ghi trong danh sách kèm theo"
        where = {m.id: office.snapshot.nodes[m.org_id].name for m in infos if m.org_id in office.snapshot.nodes}
        several = len(set(where.values())) > 1
        if several:
            values["ten_to_chuc"] = "các chi bộ có tên trong danh sách kèm theo"
        columns = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị", *(["Chi bộ"] if several else []),
                   "Ngày chính thức"]
        rows = [[*row[:4], *([where.get(m.id, "")] if several else []), day]
                for row, m, day in zip(rows, infos, full_days, strict=True)]
    if isinstance(request, Admit):  # not yet members: no "Dự bị" before the decision makes them so
        columns = ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị"]
        rows = [row[:4] for row in rows]
    if isinstance(request, LeaveParty):
        values["ly_do"] = request.reason.label
        # A deceased member's card is left to the family, not taken back.
        values["thu_hoi_the"] = "" if request.reason is LeaveReason.TU_TRAN else ", thu hồi thẻ đảng viên"
        # «Cho» grants what the member asked for; a death (or a removal) is not granted to anyone.
        values["dua_ra"] = "Cho" if request.reason is LeaveReason.XIN_RA else "Đưa tên"
    if isinstance(request, TransferMember):
        values["noi_den"] = _placed(office, org) if org is not None else (request.to_body or "")
        if sources:  # "từ …": where the member is now, not the chi bộ they move to (`org`)
            values["ten_to_chuc"] = _placed(office, sources[0])
            parent = _parent(office, sources[0])
            if org is not None and parent is not None and org.parent_id == parent.id and _committee_above(
                    office, org) is not None:  # «từ Chi bộ A đến Chi bộ B, cùng trực thuộc Đảng bộ X»
                values["ten_to_chuc"] = sources[0].name
                values["noi_den"] = f"{org.name}, cùng trực thuộc {parent.name}"
        if request.to_body:
            outside.append(committee_of(request.to_body))
        until = f" đến ngày {show_date(request.until)}" if request.until else ""
        values["hinh_thuc_chuyen"] = f"tạm thời{until}" if request.temporary else "chính thức"
    if isinstance(request, ReceiveMember):
        values["ten_co_quan_giao"] = request.from_body
    lists: list[Attachment] = []
    if len(names) > 1 and rows:
        title = {Admit: "Danh sách quần chúng được kết nạp vào Đảng",
                 ConfirmFull: "Danh sách đảng viên được công nhận đảng viên chính thức"}.get(type(request),
                                                                                          "Danh sách đảng viên")
        if columns is None:
            lists.append(Attachment(title=_title(title), rows=rows))
        else:
            lists.append(Attachment(title=_title(title), columns=columns, rows=rows))
    return values, lists, list(dict.fromkeys(bodies)), list(dict.fromkeys(outside))


def _seat_lines(office: Office, request: Request, plan: MemberPlan) -> list[str]:
    """The seats a member's leave or permanent transfer ends (workflows.execute closes them with the decision):
    every committee the member sat on, but one above the chi bộ the member moves to inside the office."""
    going = {leave.member.id for leave in plan.plan.leaves} | {move.member.id for move in plan.plan.moves}
    kept: set[int] = set()
    node = plan.org if plan.plan.moves else None
    while node is not None:
        kept.add(node.id)
        node = _parent(office, node)
    died = isinstance(request, LeaveParty) and request.reason is LeaveReason.TU_TRAN
    lines = []
    for info in plan.members:
        if info.id not in going:
            continue
        held: dict[tuple[int, str], set[SeatRole]] = {}
        for seat in office.session.scalars(select(CommitteeSeat).where(
                CommitteeSeat.member_id == info.id, CommitteeSeat.valid_to.is_(None)).order_by(CommitteeSeat.id)):
            if seat.org_id not in kept:
                held.setdefault((seat.org_id, seat.term), set()).add(seat.role)
        for (org_id, term), roles in held.items():
            org = office.snapshot.nodes.get(org_id)
            if org is not None:
                lines.append(seats_ending_line(info.full_name, body_names(org.name, org.kind), roles, term,
                                               plan.day, died))
    return lines


def compose_member_decision(office: Office, request: Request, plan: MemberPlan) -> DecisionContent:
    values, lists, bodies, partners = _values(office, request, plan)
    settings = office.settings
    authority = authority_of(office, request.signer)
    bodies = [b for b in bodies if b != authority.short_name]
    values.update(ten_co_quan=authority.short_name, ngay_hieu_luc=show_date(plan.day),
                  co_quan_thi_hanh=execution_text(settings, bodies, staff_of(office)))
    words = worded(office, request.action, values)
    articles = words.articles or [Article([])]
    articles[0].paragraphs.extend(_seat_lines(office, request, plan))
    content = finish(office, subject=words.subject, articles=articles,
                     basis=[request.basis or basis_of(office)], signer=request.signer, attachments=lists,
                     bodies=bodies, partners=partners, member=True)
    if not authority.is_office and isinstance(request, (Admit, ConfirmFull)):
        content.can_cu = authorized_can_cu(content.can_cu, settings.issuing_body_short, authority.short_name)
    return content


def authorized_can_cu(lines: list[str], office: str, dang_uy: str) -> list[str]:
    """A đảng ủy cơ sở admits and recognizes members only as authorized by this office (DOMAIN.md §2, Điều lệ
    Đảng): its decision cites that authorization, before its own working rules."""
    line = (f"Căn cứ sự ủy quyền của Ban Thường vụ {office} cho {dang_uy} quyết định kết nạp đảng viên, công "
            "nhận đảng viên chính thức;")
    at = next((i for i, text in enumerate(lines) if text.startswith("Căn cứ Quy chế")), len(lines))
    return [*lines[:at], line, *lines[at:]]
