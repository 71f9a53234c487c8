"""What a request will change, as data: checked before drafting, executed when issued."""

from __future__ import annotations

from dataclasses import dataclass, field

from khoi_desktop.core.models import MemberStatus, MoveReason, OrgKind
from khoi_desktop.core.requests import MemberRecord
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.workflows.office import MemberInfo, Office

# An organization in a plan: an existing one by id, a new one by its key ("new:0"), or None for
# "directly under the issuing committee".
OrgRef = int | str | None


@dataclass
class NewOrg:
    key: str
    code: str
    name: str
    kind: OrgKind
    parent: OrgRef
    agency: str | None = None


@dataclass
class Move:
    member: MemberInfo
    to: OrgRef
    reason: MoveReason = MoveReason.CHUYEN_SINH_HOAT


@dataclass
class Arrival:
    record: MemberRecord
    to: OrgRef
    reason: MoveReason = MoveReason.TIEP_NHAN


@dataclass
class Leave:
    member: MemberInfo
    reason: MoveReason


@dataclass
class Reparent:
    org_id: int
    to: OrgRef


@dataclass
class Plan:
    new_orgs: list[NewOrg] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    arrivals: list[Arrival] = field(default_factory=list)
    leaves: list[Leave] = field(default_factory=list)
    reparents: list[Reparent] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    # Exceptions the superior consents to, recorded on the organization: (org, note).
    consents: list[tuple[OrgRef, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def add_org(self, code: str, name: str, kind: OrgKind, parent: OrgRef, agency: str | None = None) -> str:
        key = f"new:{len(self.new_orgs)}"
        self.new_orgs.append(NewOrg(key, code, name, kind, parent, agency))
        return key

    def new_org(self, key: str) -> NewOrg:
        return next(o for o in self.new_orgs if o.key == key)


@dataclass
class _Tally:
    name: str
    kind: OrgKind
    members: int = 0
    full: int = 0


def check_result(office: Office, plan: Plan) -> None:
    """The organization tree after the plan must keep the Charter's rules (thresholds from settings).

    Errors go to office.problems; exceptions that the superior may consent to go to plan.warnings.
    """
    limits = office.settings.thresholds
    tallies: dict[OrgRef, _Tally] = {}

    def tally(ref: OrgRef) -> _Tally:
        if ref not in tallies:
            if isinstance(ref, str):
                new = plan.new_org(ref)
                tallies[ref] = _Tally(new.name, new.kind)
            else:
                node = office.snapshot.nodes[ref]  # type: ignore[index]
                tallies[ref] = _Tally(node.name, node.kind, node.direct_members, node.direct_full)
        return tallies[ref]

    for new in plan.new_orgs:
        tally(new.key)
    for move in plan.moves:
        source, target = tally(move.member.org_id), tally(move.to)
        source.members -= 1
        target.members += 1
        source.full -= move.member.full
        target.full += move.member.full
    for leave in plan.leaves:
        source = tally(leave.member.org_id)
        source.members -= 1
        source.full -= leave.member.full
    for arrival in plan.arrivals:
        target = tally(arrival.to)
        target.members += 1
        target.full += arrival.record.status is MemberStatus.CHINH_THUC

    ending = set(plan.ends)
    for ref, result in tallies.items():
        if ref in ending:
            if result.members:
                office.refuse("members_left_behind", f"{result.name} kết thúc hoạt động nhưng còn "
                                                     f"{thousands(result.members)} đảng viên chưa được chuyển đi.")
            continue
        if not result.kind.is_chi_bo:
            if result.members:
                office.refuse("members_in_dang_bo", f"{result.name} là {result.kind.label.lower()}: đảng viên phải "
                                                    "sinh hoạt ở một chi bộ.")
            continue
        if result.full < limits.min_full_members:
            still = "mới có" if isinstance(ref, str) else "chỉ còn"  # a new chi bộ has not lost anyone
            office.refuse("too_few_full_members", f"{result.name} {still} {result.full} đảng viên chính thức "
                                                  f"(cần ít nhất {limits.min_full_members}).")
        if result.members > limits.chi_bo_max_members and not _consent_still_covers(office, ref, result):
            plan.warnings.append(("chi_bo_over_30", f"{result.name} sẽ có {thousands(result.members)} đảng viên, "
                                                    f"quá {limits.chi_bo_max_members}: cần ý kiến đồng ý của cấp "
                                                    "ủy cấp trên (chia tổ đảng)."))
            plan.consents.append((ref, f"Duy trì {result.members} đảng viên (trên "
                                       f"{limits.chi_bo_max_members}), sinh hoạt theo tổ đảng"))
        if result.kind is OrgKind.CHI_BO_CO_SO and result.members >= limits.tccsd_dang_bo_min_members:
            plan.warnings.append(("tccsd_should_be_dang_bo", f"{result.name} sẽ có {thousands(result.members)} đảng "
                                                             "viên: đủ điều kiện thành lập đảng bộ cơ sở."))

    for org_id in ending:
        node = office.snapshot.nodes[org_id]
        moved_away = {r.org_id for r in plan.reparents} | ending
        staying = [office.snapshot.nodes[c].name for c in node.children if c not in moved_away]
        if staying:
            office.refuse("children_left_behind", f"{node.name} kết thúc hoạt động nhưng còn tổ chức trực thuộc "
                                                  f"chưa được sắp xếp: {', '.join(staying)}.")


def _consent_still_covers(office: Office, ref: OrgRef, result: _Tally) -> bool:
    """An organization whose exception the superior already allowed keeps it while it does not grow."""
    node = office.snapshot.nodes.get(ref) if isinstance(ref, int) else None
    return node is not None and node.has_consent and result.members <= node.direct_members
