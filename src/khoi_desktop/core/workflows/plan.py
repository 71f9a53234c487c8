"""What a request will change, as data: checked before drafting (request_check.py), executed when issued."""

from __future__ import annotations

from dataclasses import dataclass, field

from khoi_desktop.core.models import MoveReason, OrgKind
from khoi_desktop.core.requests import MemberRecord
from khoi_desktop.core.workflows.office import MemberInfo

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
    kind: OrgKind | None = None  # a transfer across levels changes the kind (chi bộ cơ sở <-> trực thuộc)
    end_committee: bool = False  # the moved organization's own committee ends with the move


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
    # Worth a word in the result and the preview, no consent needed (e.g. a split no threshold asks for).
    notes: list[tuple[str, str]] = field(default_factory=list)

    def add_org(self, code: str, name: str, kind: OrgKind, parent: OrgRef, agency: str | None = None) -> str:
        key = f"new:{len(self.new_orgs)}"
        self.new_orgs.append(NewOrg(key, code, name, kind, parent, agency))
        return key

    def new_org(self, key: str) -> NewOrg:
        return next(o for o in self.new_orgs if o.key == key)
