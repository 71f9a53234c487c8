"""Planners of the restructuring actions: a request and the office on its date -> a Plan."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from khoi_desktop.core.models import Member, MoveReason, OrgKind
from khoi_desktop.core.requests import (
    Absorb,
    Consolidate,
    Dissolve,
    Found,
    HandOver,
    MemberRecord,
    Receive,
    Split,
    Transfer,
    Upgrade,
)
from khoi_desktop.core.text import count_text, show_date
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Arrival, Leave, Move, Plan, Reparent


def _move_codes(office: Office, plan: Plan, codes: list[str], to: str | int | None,
                source: OrgNode | None = None) -> None:
    office.prefetch_members(codes)
    for code in codes:
        info = office.member(code)
        if info is not None and office.movable(info, source):
            plan.moves.append(Move(info, to))


def _require_chi_bo(office: Office, node: OrgNode) -> bool:
    if not node.kind.is_chi_bo:
        office.refuse("not_a_chi_bo", f"{node.name} là {node.kind.label.lower()}, không phải chi bộ.")
        return False
    return True


def _require_name(office: Office, name: str, what: str) -> None:
    if not name:
        office.refuse("missing_name", f"Chưa có tên {what}.")


def plan_found(office: Office, request: Found) -> Plan:
    plan = Plan()
    kind = request.kind
    parent = office.parent_node(request.parent)
    _require_name(office, request.name, "tổ chức mới")
    office.check_parent(kind, parent, request.name or "Tổ chức mới")  # its name: request_check.check_new_names
    if kind.is_chi_bo:
        if request.branches:
            office.refuse("branches_of_chi_bo", (
                f"{kind.label} «{request.name}» không có chi bộ trực thuộc: bỏ «branches» và nêu đảng viên trong "
                "«members», hoặc thành lập một đảng bộ (kind «dang_bo_co_so» hay «dang_bo_bo_phan») kèm các chi bộ "
                "trực thuộc trong «branches»."))
            return plan
        key = plan.add_org(office.new_code(kind, request.code), request.name, kind, parent.id if parent else None,
                           request.agency)
        _move_codes(office, plan, request.members, key)
        return plan
    if not request.branches:
        # A đảng bộ is never founded empty (rules: dang_bo_without_chi_bo): its chi bộ trực thuộc come with it, in
        # the same decision, or it is raised from a chi bộ that has the members (upgrade).
        chi_bo = OrgKind.CHI_BO_CO_SO if kind is OrgKind.DANG_BO_CO_SO else OrgKind.CHI_BO_TRUC_THUOC
        office.refuse("dang_bo_needs_branches", (
            f"Không thành lập {kind.label.lower()} «{request.name}» riêng một mình: đảng bộ phải có chi bộ trực "
            "thuộc ngay khi thành lập. Hãy nêu các chi bộ trực thuộc cùng đảng viên của từng chi bộ trong "
            "«branches» của yêu cầu «found» (mỗi chi bộ: «name», «members»; một quyết định). Hoặc theo thứ tự: "
            f"(1) thành lập một {chi_bo.label.lower()} gồm các đảng viên của đảng bộ mới (yêu cầu «found», kind "
            f"«{chi_bo.value}»); (2) nâng chi bộ đó lên {kind.label.lower()} kèm các chi bộ trực thuộc trong cùng "
            "một quyết định («Nâng cấp thành đảng bộ»; yêu cầu «upgrade» với «name» là tên đảng bộ và «branches» là "
            "các chi bộ cùng đảng viên của từng chi bộ)."))
        office.check_new_name(request.name, parent)  # said now too (the wizard asks before the chi bộ are listed)
        return plan
    if len(request.branches) < 2:
        office.refuse("too_few_groups", f"{kind.label} mới cần ít nhất hai chi bộ trực thuộc.")
    dang_bo = plan.add_org(office.new_code(kind, request.code), request.name, kind, parent.id if parent else None,
                           request.agency)
    _move_codes(office, plan, request.members, dang_bo)  # none allowed: members live in a chi bộ (request_check)
    for branch in request.branches:
        _require_name(office, branch.name, "chi bộ trực thuộc")
        key = plan.add_org(office.new_code(OrgKind.CHI_BO_TRUC_THUOC, branch.code), branch.name,
                           OrgKind.CHI_BO_TRUC_THUOC, dang_bo, request.agency)
        _move_codes(office, plan, branch.members, key)
    if kind is OrgKind.DANG_BO_BO_PHAN:
        plan.consents.append((dang_bo, "Thành lập đảng bộ bộ phận theo quyết định của cấp ủy cấp trên"))
    if office.problems:  # the rule book's name check (check_plan) will not run: the đảng bộ's name is said now
        office.check_new_name(request.name, parent)
    return plan


def plan_split(office: Office, request: Split) -> Plan:
    plan = Plan()
    source = office.org(request.org, "chi bộ cần tách")
    if source is None or not _require_chi_bo(office, source) or not office.is_current(source):
        return plan
    if len(request.into) < (1 if request.keep_source else 2):
        office.refuse("too_few_groups", "Tách chi bộ cần ít nhất hai chi bộ mới (hoặc một chi bộ mới khi giữ lại "
                                        "chi bộ cũ).")
    limit = office.settings.thresholds.chi_bo_max_members
    if source.members <= limit:
        # DOMAIN.md §2: a chi bộ over the limit should be split; one within it may be split for another reason
        # (two agencies, two places): allowed, but the clerk is told, in the result and the preview.
        plan.notes.append(("split_not_over_limit", (
            f"{source.name} có {count_text(source.members)} đảng viên, không quá {limit}: quy định chỉ yêu cầu tách "
            f"chi bộ có trên {limit} đảng viên. Nếu vẫn tách vì lý do khác, hãy nêu lý do trong quyết định "
            "(trường «basis», dòng «Xét …»).")))
    office.prefetch_members([code for group in request.into for code in group.members])  # one query, not one a group
    for group in request.into:
        _require_name(office, group.name, "chi bộ mới")
        key = plan.add_org(office.new_code(source.kind, group.code), group.name, source.kind, source.parent_id,
                           source.agency)
        _move_codes(office, plan, group.members, key, source)
    if not request.keep_source:
        plan.ends.append(source.id)
    return plan


def default_dang_bo_name(chi_bo_name: str) -> str:
    """'Chi bộ Sở Y tế' -> 'Đảng bộ Sở Y tế'."""
    return re.sub(r"^Chi bộ\b", "Đảng bộ", chi_bo_name, flags=re.IGNORECASE)


def plan_upgrade(office: Office, request: Upgrade) -> Plan:
    """A chi bộ cơ sở becomes a đảng bộ cơ sở (a chi bộ trực thuộc a đảng bộ bộ phận), with its branches."""
    plan = Plan()
    source = office.org(request.org, "chi bộ được nâng cấp")
    if source is None or not office.is_current(source):
        return plan
    targets = {OrgKind.CHI_BO_CO_SO: OrgKind.DANG_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC: OrgKind.DANG_BO_BO_PHAN}
    if source.kind not in targets:
        office.refuse("not_upgradable", f"{source.name} là {source.kind.label.lower()}: chỉ chi bộ cơ sở hoặc chi "
                                        "bộ trực thuộc mới nâng lên đảng bộ.")
        return plan
    if len(request.branches) < 2:
        office.refuse("too_few_groups", "Đảng bộ mới cần ít nhất hai chi bộ trực thuộc.")
    kind = targets[source.kind]
    name = request.name or default_dang_bo_name(source.name)
    dang_bo = plan.add_org(office.new_code(kind, request.code), name, kind, source.parent_id, source.agency)
    for branch in request.branches:
        _require_name(office, branch.name, "chi bộ trực thuộc")
        key = plan.add_org(office.new_code(OrgKind.CHI_BO_TRUC_THUOC, branch.code), branch.name,
                           OrgKind.CHI_BO_TRUC_THUOC, dang_bo, source.agency)
        _move_codes(office, plan, branch.members, key, source)
    plan.ends.append(source.id)
    if kind is OrgKind.DANG_BO_BO_PHAN:
        plan.consents.append((dang_bo, "Thành lập đảng bộ bộ phận theo quyết định của cấp ủy cấp trên"))
    return plan


def _merge_sources(office: Office, plan: Plan, codes: list[str], target: str | int, target_kind: OrgKind) -> None:
    """Members of chi bộ, or branches of đảng bộ, move into the target; the sources end."""
    if len(codes) < 1:
        office.refuse("too_few_orgs", "Chưa nêu tổ chức nào để hợp nhất hoặc sáp nhập.")
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:  # each would be emptied twice ("còn -27 đảng viên chưa được chuyển đi")
        office.refuse("org_listed_twice", f"Tổ chức {', '.join(twice)} được nêu hai lần trong yêu cầu: mỗi tổ chức "
                                          "chỉ nêu một lần.")
        return
    for code in codes:
        node = office.org(code)
        if node is None or not office.is_current(node):
            continue
        if node.kind.is_chi_bo != target_kind.is_chi_bo:
            office.refuse("kind_mismatch", f"{node.name} ({node.kind.label.lower()}) không thể gộp vào "
                                           f"{target_kind.label.lower()}.")
            continue
        if node.kind.is_chi_bo:
            for info in office.members_in(node.id):
                if office.movable(info):
                    plan.moves.append(Move(info, target))
        else:
            for child in node.children:
                plan.reparents.append(Reparent(child, target))
        plan.ends.append(node.id)


def plan_consolidate(office: Office, request: Consolidate) -> Plan:
    plan = Plan()
    kind = request.kind
    if len(request.orgs) < 2:
        office.refuse("too_few_orgs", "Hợp nhất cần ít nhất hai tổ chức.")
    parent = office.parent_node(request.parent)
    _require_name(office, request.name, "tổ chức hợp nhất")
    office.check_parent(kind, parent, request.name or "Tổ chức hợp nhất")
    key = plan.add_org(office.new_code(kind, request.code), request.name, kind, parent.id if parent else None)
    _merge_sources(office, plan, request.orgs, key, kind)
    return plan


def plan_absorb(office: Office, request: Absorb) -> Plan:
    plan = Plan()
    target = office.org(request.into, "tổ chức tiếp nhận")
    if target is None:
        return plan
    if target.id in {n.id for c in request.orgs if (n := office.snapshot.by_code(c))}:
        office.refuse("absorb_into_itself", f"{target.name} không thể sáp nhập vào chính nó.")
        return plan
    _merge_sources(office, plan, request.orgs, target.id, target.kind)
    return plan


def plan_transfer(office: Office, request: Transfer) -> Plan:
    plan = Plan()
    node = office.org(request.org, "tổ chức được chuyển")
    parent = office.parent_node(request.to)
    if node is None or not office.is_current(node):
        return plan
    if (parent.id if parent else None) == node.parent_id:
        office.refuse("same_parent", f"{node.name} đã trực thuộc {office.parent_name(parent)}.")
    if parent is not None and parent.id in office.snapshot.subtree_ids(node.id):
        office.refuse("cycle", f"Không thể chuyển {node.name} về trực thuộc tổ chức cấp dưới của chính nó.")
    kind = kind_across_levels(node.kind, parent.kind if parent else None)
    office.check_parent(kind, parent, node.name)
    plan.reparents.append(Reparent(node.id, parent.id if parent else None, kind if kind is not node.kind else None,
                                   end_committee=request.committee == "end"))
    return plan


def kind_across_levels(kind: OrgKind, parent_kind: OrgKind | None) -> OrgKind:
    """A chi bộ cơ sở moved under a đảng bộ becomes a chi bộ trực thuộc; one raised directly under the
    issuing committee becomes a chi bộ cơ sở again."""
    if kind is OrgKind.CHI_BO_CO_SO and parent_kind in (OrgKind.DANG_BO_CO_SO, OrgKind.DANG_BO_BO_PHAN):
        return OrgKind.CHI_BO_TRUC_THUOC
    if kind is OrgKind.CHI_BO_TRUC_THUOC and parent_kind is None:
        return OrgKind.CHI_BO_CO_SO
    return kind


def plan_receive(office: Office, request: Receive) -> Plan:
    plan = Plan()
    if not request.from_body:
        office.refuse("missing_body", "Chưa nêu tổ chức đảng chuyển giao.")
    parent = office.parent_node(request.parent)
    if not request.orgs:
        office.refuse("nothing_received", "Chưa có tổ chức nào được tiếp nhận.")
    for received in request.orgs:
        kind = received.kind
        _require_name(office, received.name, "tổ chức được tiếp nhận")
        office.check_parent(kind, parent, received.name)
        key = plan.add_org(office.new_code(kind, received.code), received.name, kind, parent.id if parent else None)
        for record in received.members:
            _check_record(office, record)
            plan.arrivals.append(Arrival(record, key))
    return plan


PARTY_FOUNDED = dt.date(1930, 2, 3)


def _check_record(office: Office, record: MemberRecord) -> None:
    who = f"{record.family_name} {record.middle_name} {record.given_name}".replace("  ", " ")
    if not record.given_name:
        office.refuse("missing_name", f"Đảng viên «{who}»: thiếu tên.")
    for column, value, label in ((Member.national_id, record.national_id, "CCCD"),
                                 (Member.card_number, record.card_number, "số thẻ đảng viên"),
                                 (Member.code, record.code, "mã")):
        if value and office.session.scalars(select(Member.id).where(column == value)).first() is not None:
            office.refuse("duplicate_member", f"{who}: {label} {value} đã có trong cơ sở dữ liệu.")
    if record.national_id and not (record.national_id.isdigit() and len(record.national_id) == 12):
        office.refuse("invalid_national_id", f"{who}: số CCCD phải gồm 12 chữ số.")
    # The dates a mistyped record gets wrong (as the member import checks them): a birth after the admission,
    # an admission before the Party existed or after the decision, a chính thức date before the admission.
    born, admitted, full = record.birth_date, record.admitted_on, record.full_member_on
    if born > office.day:
        office.refuse("invalid_date", f"{who}: ngày sinh {show_date(born)} sau ngày hiệu lực {show_date(office.day)}.")
    elif admitted <= born:
        office.refuse("invalid_date", f"{who}: ngày vào Đảng {show_date(admitted)} không sau ngày sinh "
                                      f"{show_date(born)}.")
    if admitted < PARTY_FOUNDED:
        office.refuse("invalid_date", f"{who}: ngày vào Đảng {show_date(admitted)} trước ngày thành lập Đảng "
                                      "(03/02/1930).")
    elif admitted > office.day:
        office.refuse("invalid_date", f"{who}: ngày vào Đảng {show_date(admitted)} sau ngày hiệu lực "
                                      f"{show_date(office.day)}.")
    if full is not None and full < admitted:
        office.refuse("invalid_date", f"{who}: ngày chính thức {show_date(full)} trước ngày vào Đảng "
                                      f"{show_date(admitted)}.")


def plan_hand_over(office: Office, request: HandOver) -> Plan:
    plan = Plan()
    node = office.org(request.org, "tổ chức chuyển giao")
    if not request.to_body:
        office.refuse("missing_body", "Chưa nêu tổ chức đảng nhận bàn giao.")
    if node is None or not office.is_current(node):
        return plan
    for org_id in office.snapshot.subtree_ids(node.id):
        for info in office.members_in(org_id):
            if office.movable(info):
                plan.leaves.append(Leave(info, MoveReason.BAN_GIAO))
        plan.ends.append(org_id)
    return plan


def plan_dissolve(office: Office, request: Dissolve) -> Plan:
    plan = Plan()
    node = office.org(request.org, "tổ chức giải thể")
    if node is None or not office.is_current(node):
        return plan
    if node.children:
        office.refuse("children_left_behind", f"{node.name} còn {len(node.children)} tổ chức trực thuộc: hãy giải "
                                              "thể, sáp nhập hoặc chuyển các tổ chức đó trước.")
        return plan
    members = office.members_in(node.id)
    if isinstance(request.members_to, str):
        target = office.org(request.members_to, "chi bộ tiếp nhận đảng viên")
        if target is not None and _require_chi_bo(office, target):
            if target.id == node.id:
                office.refuse("same_org", "Không thể chuyển đảng viên về chính chi bộ bị giải thể.")
            for info in members:
                if office.movable(info):
                    plan.moves.append(Move(info, target.id))
    else:
        for group in request.members_to:
            target = office.org(group.org, "chi bộ tiếp nhận đảng viên")
            if target is not None and _require_chi_bo(office, target):
                _move_codes(office, plan, group.members, target.id, node)
    plan.ends.append(node.id)
    return plan

