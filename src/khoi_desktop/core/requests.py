"""Workflow requests of the restructuring actions as typed data (CLI.md, "Requests").

Their JSON form is read and written by core/request_json.py; whether a request fits the organization
tree is the workflows' job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from khoi_desktop.core.models import OrgKind

ORG_KIND_VALUES = [k.value for k in OrgKind]


@dataclass
class Group:
    """A resulting organization and the members moved into it."""

    name: str
    members: list[str] = field(default_factory=list)
    code: str | None = None  # optional: otherwise the next free code of its kind


@dataclass
class MemberRecord:
    """A member arriving from outside the committee (receive)."""

    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date
    sex: str
    status: str
    admitted_on: dt.date
    code: str | None = None
    national_id: str | None = None
    card_number: str | None = None
    full_member_on: dt.date | None = None
    job_title: str | None = None


@dataclass
class ReceivedOrg:
    name: str
    kind: str
    members: list[MemberRecord]
    code: str | None = None


@dataclass
class MemberTarget:
    org: str
    members: list[str]


@dataclass
class Request:
    """Fields every request may carry."""

    action: str
    effective: dt.date | None = None
    basis: str | None = None  # an extra "Xét …" line
    consent_reason: str | None = None  # the superior's consent to an exception the rules warn about
    signer: str | None = None  # name of one of the configured signers; default the first


@dataclass
class Found(Request):
    kind: str = ""
    name: str = ""
    parent: str | None = None
    agency: str | None = None
    members: list[str] = field(default_factory=list)
    code: str | None = None


@dataclass
class Split(Request):
    org: str = ""
    into: list[Group] = field(default_factory=list)
    keep_source: bool = False


@dataclass
class Upgrade(Request):
    org: str = ""
    branches: list[Group] = field(default_factory=list)
    name: str | None = None  # default: "Chi bộ X" becomes "Đảng bộ X"
    code: str | None = None


@dataclass
class Consolidate(Request):
    orgs: list[str] = field(default_factory=list)
    name: str = ""
    kind: str = ""
    parent: str | None = None
    code: str | None = None


@dataclass
class Absorb(Request):
    orgs: list[str] = field(default_factory=list)
    into: str = ""


@dataclass
class Transfer(Request):
    org: str = ""
    to: str | None = None


@dataclass
class Receive(Request):
    from_body: str = ""
    parent: str | None = None
    orgs: list[ReceivedOrg] = field(default_factory=list)


@dataclass
class HandOver(Request):
    org: str = ""
    to_body: str = ""


@dataclass
class Dissolve(Request):
    org: str = ""
    members_to: str | list[MemberTarget] = ""
