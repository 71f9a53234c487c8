"""The wording of chỉ định / chuẩn y / thôi giữ chức decisions (DOMAIN.md §4), built from the checked plan."""

from __future__ import annotations

import datetime as dt
import re

from khoi_desktop.core.appointments.committees import BodyNames, body_names, show_term
from khoi_desktop.core.appointments.eligibility import SeatPlan
from khoi_desktop.core.appointments.requests import END_REASONS, Appoint, ApproveElection, EndSeat
from khoi_desktop.core.appointments.submissions import basis_line
from khoi_desktop.core.decision_content import COMMITTEE_COLUMNS, Attachment, DecisionContent
from khoi_desktop.core.models import SeatRole
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import count_text, show_date
from khoi_desktop.core.wording.phrases import job_and_unit
from khoi_desktop.core.workflows.office import MemberInfo, Office
from khoi_desktop.core.workflows.wording import (
    authority_of,
    basis_of,
    effective_words,
    execution_text,
    finish,
    staff_of,
    worded,
)

_ORDER = (SeatRole.CAP_UY_VIEN, SeatRole.UY_VIEN_BTV, SeatRole.BI_THU, SeatRole.PHO_BI_THU)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts: list[str], last: str = " và ") -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + last + parts[-1]


def person(member: MemberInfo) -> str:
    """'đồng chí Nguyễn Văn An, Trưởng phòng Sở Tài chính' (job and unit read as one title)."""
    job = job_and_unit(member.job_title, member.agency)
    return f"đồng chí {member.full_name}" + (f", {job}" if job else "")


def _with(member: MemberInfo, phrase: str) -> str:
    """'đồng chí A, Trưởng phòng, tham gia …' ('đồng chí A tham gia …' without a job)."""
    return f"{person(member)}{',' if member.job_title or member.agency else ''} {phrase}"


def roles_phrase(names: BodyNames, roles: list[SeatRole], prefix: str = "") -> str:
    """'tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Bí thư Đảng ủy Sở Tài chính' (prefix 'thôi ')."""
    held = [r for r in _ORDER if r in roles]
    bodies = [w for r, w in ((SeatRole.CAP_UY_VIEN, names.committee_word), (SeatRole.UY_VIEN_BTV, "Ban Thường vụ"))
              if r in held]
    posts = [f"{prefix}giữ chức {r.label}" for r in held if r in (SeatRole.BI_THU, SeatRole.PHO_BI_THU)]
    clauses = ([f"{prefix}tham gia {', '.join(bodies)}"] if bodies else []) + posts
    suffix = names.org if held == [SeatRole.CAP_UY_VIEN] else names.leader_body
    return f"{_join(clauses)} {suffix}"


def seats_ending_line(full_name: str, names: BodyNames, roles: set[SeatRole], term: str, day: dt.date,
                      died: bool) -> str:
    """What a member's leave or transfer out does to the committee seats held: «Đồng chí A thôi tham gia Ban Chấp
    hành, Ban Thường vụ và thôi giữ chức Phó Bí thư Đảng ủy X nhiệm kỳ 2025 - 2030, kể từ ngày …» (the seats end
    with the decision, DOMAIN.md §3); a deceased member «không còn là Ủy viên Ban Chấp hành …» (is granted
    nothing)."""
    held = f"nhiệm kỳ {show_term(term)}, kể từ ngày {show_date(day)}."
    if died:
        return f"Đồng chí {full_name} không còn là {_subject_items(names, roles, whole=False)} {held}"
    return f"Đồng chí {full_name} {roles_phrase(names, sorted(roles, key=_ORDER.index), prefix='thôi ')} {held}"


def _subject_items(names: BodyNames, roles: set[SeatRole], whole: bool) -> str:
    words = {
        SeatRole.CAP_UY_VIEN: names.committee_word if whole else names.member_word,
        SeatRole.UY_VIEN_BTV: "Ban Thường vụ" if whole else "Ủy viên Ban Thường vụ",
        SeatRole.BI_THU: "Bí thư",
        SeatRole.PHO_BI_THU: "Phó Bí thư",
    }
    items = ", ".join(words[r] for r in _ORDER if r in roles)
    return f"{items} {names.org if SeatRole.CAP_UY_VIEN in roles else names.leader_body}"


def _basis(office: Office, request: Request, plan: SeatPlan) -> list[str]:
    lines = [basis_line(plan.submission, plan.names.leader_body)] if plan.submission else []
    lines.append(request.basis or basis_of(office))
    return lines


def _parties(office: Office, plan: SeatPlan) -> list[str]:
    parent = office.snapshot.nodes.get(plan.org.parent_id) if plan.org.parent_id else None
    return ([body_names(parent.name, parent.kind).leader_body] if parent else []) + [plan.names.leader_body]


def _role_of(names: BodyNames, held: set[SeatRole] | list[SeatRole]) -> str:
    """The highest party role held: 'Bí thư', 'Phó Bí thư', 'Ủy viên Ban Thường vụ', else 'Chi ủy viên' …"""
    for role, word in ((SeatRole.BI_THU, "Bí thư"), (SeatRole.PHO_BI_THU, "Phó Bí thư"),
                       (SeatRole.UY_VIEN_BTV, "Ủy viên Ban Thường vụ")):
        if role in held:
            return word
    return names.member_word


_RANK = ("Bí thư", "Phó Bí thư", "Ủy viên Ban Thường vụ")


def _committee_list(names: BodyNames, title: str, people: list[tuple[MemberInfo, set[SeatRole]]]) -> Attachment:
    """A committee as a list: each member's party role, not their job (the Bí thư first)."""
    ranked = sorted(people, key=lambda p: _RANK.index(r) if (r := _role_of(names, p[1])) in _RANK else len(_RANK))
    rows = [[str(i), m.full_name, show_date(m.birth_date), _role_of(names, held)]
            for i, (m, held) in enumerate(ranked, 1)]
    return Attachment(title=title, columns=list(COMMITTEE_COLUMNS), rows=rows)


def working_body(plan: SeatPlan) -> str:
    """Whose working rules the appointed follow: «Đảng ủy Sở Tài chính», «Chi ủy Chi bộ …»; a chi bộ without chi
    ủy has only a Bí thư (and maybe a Phó Bí thư): the chi bộ itself."""
    if not plan.names.is_chi_bo:
        return plan.names.leader_body
    return plan.names.committee if plan.has_committee else plan.names.org


def _worded(office: Office, request: Request, plan: SeatPlan, values: dict[str, object],
            attachments: list[Attachment], effective: dt.date | None = None) -> DecisionContent:
    own = authority_of(office, request.signer).short_name  # this office, or the đảng ủy cơ sở that decides
    bodies = [b for b in dict.fromkeys(_parties(office, plan)) if b not in (office.settings.issuing_body_short, own)]
    values.update(ten_co_quan=own, nhiem_ky=show_term(plan.term), cap_uy_to_chuc=working_body(plan),
                  ngay_hieu_luc=effective_words(office, request, effective or office.day),
                  co_quan_thi_hanh=execution_text(office.settings, bodies, staff_of(office)))
    words = worded(office, request.action, values)
    return finish(office, subject=words.subject, articles=words.articles, basis=_basis(office, request, plan),
                  signer=request.signer, attachments=attachments, bodies=bodies)


_NEEDED = re.compile(r"^\s*thật\s+cần\s+thiết\s*[:,.;–-]*\s*", re.IGNORECASE)


def _own_words(reason: str) -> str:
    """The override reason as the sentence quotes it: a clerk's own "thật cần thiết: …" is not said twice."""
    return _NEEDED.sub("", reason).rstrip(". ") or reason.rstrip(". ")


def compose_appoint(office: Office, request: Appoint, plan: SeatPlan, _effective: dt.date) -> DecisionContent:
    people = plan.people()
    roles = {s.role for s in plan.opens}
    term = show_term(plan.term)
    additional = not plan.first_committee and bool(roles & {SeatRole.CAP_UY_VIEN, SeatRole.UY_VIEN_BTV})
    verb = request.mode.label + (" bổ sung" if additional else "")
    if len(people) == 1:
        member, held = next(iter(people.values()))
        first = [f"{_cap(verb)} {_with(member, roles_phrase(plan.names, held))} nhiệm kỳ {term}."]
    else:
        first = [f"{_cap(verb)} các đồng chí có tên sau đây, nhiệm kỳ {term}:"]
        first += [f"{i}. {_cap(_with(m, roles_phrase(plan.names, held)))}."
                  for i, (m, held) in enumerate(people.values(), 1)]
    if plan.over_size is not None:
        size, reason = plan.over_size
        first.append(f"Việc {verb} vượt số lượng cấp ủy viên do Đại hội quyết định ({count_text(size)} đồng chí) là "
                     f"thật cần thiết, với lý do: {_own_words(reason)}.")
    attachments = []
    committee = [m for m, held in people.values() if SeatRole.CAP_UY_VIEN in held]
    if plan.first_committee and len(committee) > 1:
        first.append("(Có danh sách kèm theo).")
        attachments.append(_committee_list(plan.names, f"DANH SÁCH {plan.names.committee.upper()} NHIỆM KỲ {term}",
                                           [(m, set(held)) for m, held in people.values()
                                            if SeatRole.CAP_UY_VIEN in held]))
    values: dict[str, object] = {
        "hinh_thuc": verb, "noi_dung": _subject_items(plan.names, roles, plan.first_committee and len(committee) > 1),
        "ten_to_chuc": plan.names.org, "danh_sach": "\n".join(first),
        "trach_nhiem": "Các đồng chí có tên tại Điều 1" if len(people) > 1 else "Đồng chí có tên tại Điều 1",
    }
    return _worded(office, request, plan, values, attachments)


def compose_election(office: Office, request: ApproveElection, plan: SeatPlan,
                     effective: dt.date) -> DecisionContent:
    people = plan.people()
    names, term = plan.names, show_term(plan.term)
    roles = {s.role for s in plan.opens}
    held_by = {r: [m for m, held in people.values() if r in held] for r in _ORDER}
    congress = f"Đại hội {names.org} nhiệm kỳ {term}"
    if request.congress_on or request.effective:
        congress += f" (ngày {show_date(request.congress_on or effective)})"
    lines = []
    attachments = []
    if held_by[SeatRole.CAP_UY_VIEN]:
        size = f" (Đại hội quyết định số lượng {count_text(plan.committee_size)} đồng chí)" \
            if plan.committee_size else ""
        elected = count_text(len(held_by[SeatRole.CAP_UY_VIEN]))
        lines.append(f"{names.committee} nhiệm kỳ {term} gồm {elected} đồng chí{size}, có danh sách kèm theo.")
        attachments.append(_committee_list(names, f"DANH SÁCH {names.committee.upper()} NHIỆM KỲ {term}",
                                           [(m, set(held)) for m, held in people.values()
                                            if SeatRole.CAP_UY_VIEN in held]))
    if held_by[SeatRole.UY_VIEN_BTV]:
        btv = held_by[SeatRole.UY_VIEN_BTV]
        lines.append(f"{names.standing} gồm {count_text(len(btv))} đồng chí: {_join([m.full_name for m in btv])}.")
    for role in (SeatRole.BI_THU, SeatRole.PHO_BI_THU):
        if held_by[role]:
            lines.append(f"{role.label} {names.leader_body}: {_join([person(m) for m in held_by[role]])}.")
    values: dict[str, object] = {
        "noi_dung": _subject_items(names, roles, True), "ten_to_chuc": names.org, "dai_hoi": congress,
        "so_cap_uy_vien": len(held_by[SeatRole.CAP_UY_VIEN]),
        "danh_sach": "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)),
        "trach_nhiem": names.committee if held_by[SeatRole.CAP_UY_VIEN] else "Các đồng chí có tên tại Điều 1",
    }
    return _worded(office, request, plan, values, attachments, effective)


def compose_end_seat(office: Office, request: EndSeat, plan: SeatPlan, effective: dt.date) -> DecisionContent:
    member = plan.ends[0].member
    roles = [e.role for e in plan.ends]
    job = member.job_title or member.agency
    values: dict[str, object] = {
        "nguoi": person(member) + ("," if job else ""), "ten_dang_vien": member.full_name,
        "noi_dung": roles_phrase(plan.names, roles, prefix="thôi "), "ten_to_chuc": plan.names.leader_body,
        "ly_do": plan.ends[0].reason.rstrip("."),
    }
    # A death is not granted («Cho đồng chí … thôi …») and the deceased hands nothing over.
    died = plan.ends[0].reason.rstrip(".").strip() == END_REASONS["tu_tran"]
    said = f"{values['nguoi']}"
    values.update(viec=f"{'' if died else 'cho '}{values['noi_dung']}",
                  cho_nguoi=(said[:1].upper() + said[1:]) if died else f"Cho {said}",
                  ban_giao="" if died else f"Đồng chí {member.full_name} bàn giao công việc, hồ sơ, tài liệu có "
                                           "liên quan;")
    return _worded(office, request, plan, values, [], effective)
