"""Checks of a request's plan: the office's findings after it (one rule book with `check`), the plan's own
consistency, and who decides.

The facts after the plan are computed only for the organizations it touches and their ancestors (before
and after it): each member moved, each organization moved or ended changes the counts of one chain of
ancestors, and the rules read nothing else (core/rules.py). A finding the plan creates or changes is an
error that refuses it, or a warning that needs the superior's consent; findings it leaves as they were
are not its business.
"""

from __future__ import annotations

from dataclasses import dataclass

from khoi_desktop.core.authority import Issuer, superior_committee
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.rules import Finding, check_org, worsened
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import count_text
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import OrgRef, Plan

CONSENT_NOTES = {
    "chi_bo_over_30": "Duy trì {members} đảng viên (trên {limit}), sinh hoạt theo tổ đảng",
    "dang_bo_under_30": "Đảng bộ cơ sở có {members} đảng viên",
    "tccsd_should_be_dang_bo": "Duy trì chi bộ cơ sở có {members} đảng viên",
}


@dataclass
class Facts:
    """An organization after the plan (OrgFacts of core/rules.py)."""

    id: int
    code: str
    name: str
    kind: OrgKind
    members: int
    full_members: int
    has_consent: bool
    children: int
    before_members: int | None  # None: founded by the plan

    @property
    def has_children(self) -> bool:
        return self.children > 0


class After:
    """The organizations a plan touches, and their ancestors, as they would be after it."""

    def __init__(self, office: Office, plan: Plan) -> None:
        self.office = office
        self.plan = plan
        self.nodes = office.snapshot.nodes
        self.ended = set(plan.ends)
        self.moved_to = {r.org_id: r.to for r in plan.reparents}
        self.kind_after = {r.org_id: r.kind for r in plan.reparents if r.kind is not None}
        self.facts: dict[OrgRef, Facts] = {}
        # Organizations the plan changes themselves (members in or out, moved, founded), not as ancestors.
        self.direct: set[OrgRef] = {*(m.member.org_id for m in plan.moves), *(m.to for m in plan.moves)}
        self.direct |= {leave.member.org_id for leave in plan.leaves} | {a.to for a in plan.arrivals}
        self.direct |= {r.org_id for r in plan.reparents} | {o.key for o in plan.new_orgs}
        for index, new in enumerate(plan.new_orgs):
            self.facts[new.key] = Facts(-1 - index, new.code, new.name, new.kind, 0, 0, False, 0, None)
        for move in plan.moves:
            self._add(self._chain(move.member.org_id), -1, -move.member.full)
            self._add(self._chain(move.to), 1, int(move.member.full))
        for leave in plan.leaves:
            self._add(self._chain(leave.member.org_id), -1, -leave.member.full)
        for arrival in plan.arrivals:
            self._add(self._chain(arrival.to), 1, int(arrival.record.status == "chinh_thuc"))
        for reparent in plan.reparents:
            node = self.nodes[reparent.org_id]
            self._fact(reparent.org_id)
            old_chain = self._chain(node.parent_id)
            self._add(old_chain, -node.members, -node.full_members)
            self._add(self._chain(reparent.to), node.members, node.full_members)
            if old_chain:
                self.facts[old_chain[0]].children -= 1
            if reparent.to is not None:
                self._fact(reparent.to).children += 1
        for new in plan.new_orgs:
            if new.parent is not None:
                self._fact(new.parent).children += 1
            self._chain(new.key)
        for org_id in self.ended:
            self._chain(org_id)
            parent = self.nodes[org_id].parent_id
            if parent is not None and parent not in self.ended and org_id not in self.moved_to:
                self._fact(parent).children -= 1
        self._settle_consents()

    def _fact(self, ref: OrgRef) -> Facts:
        assert ref is not None
        if ref not in self.facts:
            node = self.nodes[ref]  # type: ignore[index]
            self.facts[ref] = Facts(node.id, node.code, node.name, self.kind_after.get(node.id, node.kind),
                                    node.members, node.full_members, node.has_consent, len(node.children),
                                    node.members)
        return self.facts[ref]

    def parent_after(self, ref: OrgRef) -> OrgRef:
        if isinstance(ref, str):
            return self.plan.new_org(ref).parent
        if ref in self.moved_to:
            return self.moved_to[ref]  # type: ignore[index]
        return self.nodes[ref].parent_id if ref is not None else None

    def _chain(self, ref: OrgRef) -> list[OrgRef]:
        """The organization and its ancestors after the plan."""
        chain: list[OrgRef] = []
        while ref is not None and ref not in chain:
            self._fact(ref)
            chain.append(ref)
            ref = self.parent_after(ref)
        return chain

    def _add(self, chain: list[OrgRef], members: int, full: int) -> None:
        for ref in chain:
            self.facts[ref].members += members
            self.facts[ref].full_members += full

    def _settle_consents(self) -> None:
        """A consent stands while the organization does not move further from the rule it was given for."""
        for fact in self.facts.values():
            if fact.has_consent and fact.before_members is not None:
                grew, shrank = fact.members > fact.before_members, fact.members < fact.before_members
                fact.has_consent = not (grew if fact.kind.is_chi_bo else shrank)

    def active(self) -> list[tuple[OrgRef, Facts]]:
        return [(ref, f) for ref, f in self.facts.items() if ref not in self.ended]


def check_plan(office: Office, plan: Plan, *, ancestors: bool = True) -> None:
    """Errors to office.problems; warnings that need consent to plan.warnings, with the consent to record.

    `ancestors` False: only the organizations the plan changes themselves (a member's own event does not
    ask the superior's consent for the đảng bộ above)."""
    check_new_names(office, plan)
    after = After(office, plan)
    _check_structure(office, plan, after)
    limits = office.settings.thresholds
    for ref, facts in after.active():
        if not ancestors and ref not in after.direct:
            continue
        node = office.snapshot.nodes[ref] if isinstance(ref, int) else None
        broken_before = {f.rule for f in check_org(node, limits)} if node is not None else set()
        for finding in check_org(facts, limits):
            if finding.severity == "info":
                continue
            if finding.rule in broken_before and not worsened(finding.rule, node, facts):  # type: ignore[arg-type]
                if finding.severity == "error" or ref not in after.direct:
                    continue  # as it was: not this request's doing
                # An organization the decision itself changes and keeps outside the rule: its consent now.
            if finding.severity == "error":
                # A new chi bộ "mới có" (it has lost no one), one the plan takes members from "chỉ còn".
                word = "mới có" if facts.before_members is None else "chỉ còn"
                message = finding.message.replace(f"{facts.name} chỉ có ", f"{facts.name} {word} ", 1)
                office.refuse(finding.rule, message)
            else:
                plan.warnings.append((finding.rule, finding.message))
                _consent(plan, ref, finding, limits.chi_bo_max_members)


def check_new_names(office: Office, plan: Plan) -> None:
    """Every organization a plan founds (found, split, upgrade, consolidate, receive) has a name of its own
    under its parent: not one of an organization active there (but one the plan ends), nor another new one's."""
    seen: set[tuple[OrgRef, str]] = set()
    ending = set(plan.ends)
    office.prefetch_names([(new.name, office.snapshot.nodes.get(new.parent) if new.parent is not None else None)
                           for new in plan.new_orgs if not isinstance(new.parent, str)])  # one query for them all
    for new in plan.new_orgs:
        wanted = " ".join(new.name.split()).casefold()
        if not wanted:
            continue
        if (new.parent, wanted) in seen:
            under = (plan.new_org(new.parent).name if isinstance(new.parent, str)
                     else office.parent_name(office.snapshot.nodes.get(new.parent) if new.parent is not None
                                             else None))
            office.refuse("name_taken", f"Yêu cầu lập hai tổ chức cùng tên {new.name} trực thuộc {under}: "
                                        "hãy đặt tên khác nhau.")
            continue
        seen.add((new.parent, wanted))
        if not isinstance(new.parent, str):  # under a new đảng bộ there is nobody else yet
            parent = office.snapshot.nodes.get(new.parent) if new.parent is not None else None
            office.check_new_name(new.name, parent, ending)


def _consent(plan: Plan, ref: OrgRef, finding: Finding, limit: int) -> None:
    note = CONSENT_NOTES.get(finding.rule)
    if note is not None:
        plan.consents.append((ref, note.format(members=count_text(finding.members), limit=limit)))


def _check_structure(office: Office, plan: Plan, after: After) -> None:
    """What no plan may leave: members in an ended organization or in a đảng bộ, children of an ended one."""
    for ref, facts in after.facts.items():
        if ref in after.ended:
            if facts.members:
                office.refuse("members_left_behind", f"{facts.name} kết thúc hoạt động nhưng còn "
                                                     f"{thousands(facts.members)} đảng viên chưa được chuyển đi.")
            continue
    targets = {move.to for move in plan.moves} | {arrival.to for arrival in plan.arrivals}
    for ref in targets:
        target = after.facts.get(ref)
        if target is not None and not target.kind.is_chi_bo:
            office.refuse("members_in_dang_bo", f"{target.name} là {target.kind.label.lower()}: đảng viên phải "
                                                "sinh hoạt ở một chi bộ.")
    moved_away = set(after.moved_to) | after.ended
    for org_id in after.ended:
        node = office.snapshot.nodes[org_id]
        staying = [office.snapshot.nodes[c].name for c in node.children if c not in moved_away]
        if staying:
            office.refuse("children_left_behind", f"{node.name} kết thúc hoạt động nhưng còn tổ chức trực thuộc "
                                                  f"chưa được sắp xếp: {', '.join(staying)}.")


def concerned_bodies(office: Office, plan: Plan) -> list[Issuer]:
    """The directly superior committee of every organization the plan concerns, before and after it."""
    nodes = office.snapshot.nodes
    new_keys = {o.key for o in plan.new_orgs}

    def parent(i: int):  # type: ignore[no-untyped-def]
        return nodes.get(i)

    def existing(org_id: int) -> Issuer:
        node = nodes[org_id]
        return superior_committee(node.kind, node.parent_id, parent)

    bodies: list[Issuer] = []
    for new in plan.new_orgs:
        if new.parent not in new_keys:  # an organization founded under a new one goes with it
            bodies.append(superior_committee(new.kind, new.parent, parent))  # type: ignore[arg-type]
    for reparent in plan.reparents:
        bodies.append(existing(reparent.org_id))
        kind = reparent.kind or nodes[reparent.org_id].kind
        bodies.append(superior_committee(kind, reparent.to, parent))  # type: ignore[arg-type]
    bodies += [existing(org_id) for org_id in plan.ends]
    for move in plan.moves:
        bodies.append(existing(move.member.org_id))
        if isinstance(move.to, int):
            bodies.append(existing(move.to))
    bodies += [existing(leave.member.org_id) for leave in plan.leaves]
    return bodies
