"""Workflow requests of the restructuring actions as typed data (CLI.md, "Requests").

Their JSON form is read and written by core/request_json.py; whether a request fits the organization
tree is the workflows' job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import MemberStatus, OrgKind, Sex
from khoi_desktop.core.text import FIELD_LIMITS, code_text, plain_value

# A member received from outside arrives as a probationary or a full member (never exempt).
ARRIVAL_STATUSES = (MemberStatus.DU_BI, MemberStatus.CHINH_THUC)


# Fields without a default are required: parsing (core/request_json.py) names each one missing.
@dataclass(kw_only=True)
class Group:
    """A resulting organization and the members moved into it."""

    name: str
    members: list[str] = field(default_factory=list)
    code: str | None = None  # optional: otherwise the next free code of its kind


@dataclass(kw_only=True)
class MemberRecord:
    """A member arriving from outside the committee (receive)."""

    family_name: str
    middle_name: str = ""  # some names have none («Lê Na»): left out of the JSON like "" (CLI.md lists it)
    given_name: str
    birth_date: dt.date
    sex: Sex
    status: MemberStatus = field(metadata={"choices": ARRIVAL_STATUSES})
    admitted_on: dt.date
    code: str | None = None
    national_id: str | None = None
    card_number: str | None = None
    full_member_on: dt.date | None = None
    job_title: str | None = None


@dataclass(kw_only=True)
class ReceivedOrg:
    name: str
    kind: OrgKind
    members: list[MemberRecord]
    code: str | None = None


@dataclass(kw_only=True)
class MemberTarget:
    org: str
    members: list[str]


@dataclass(kw_only=True)
class Recorded:
    """A decision already signed by a đảng ủy cơ sở, recorded with its own number (no number of this office)."""

    number: str  # "05-QĐ/ĐU"
    signed_on: dt.date
    signer: str
    scan: str | None = None  # path of the signed copy (PDF), kept with its SHA-256


@dataclass(kw_only=True)
class Request:
    """Fields every request may carry."""

    action: str
    effective: dt.date | None = None  # None: the issue (or signing) date
    basis: str | None = None  # an extra "Xét …" line
    consent_reason: str | None = None  # the superior's consent to an exception the rules warn about
    signer: str | None = None  # name of one of the configured signers; default the first
    issuer: str | None = None  # None: this office; else the code of the đảng bộ cơ sở whose committee decides
    recorded: Recorded | None = None  # the decision was signed by that committee: record it

    def __post_init__(self) -> None:
        # The seam for every face: JSON, the GUI's wizards and a stored draft read back all build this.
        problems = clean_fields(self)
        if problems:
            raise RequestRefused(problems)


# Free text that may span lines; every other text field is one line.
MULTILINE_FIELDS = frozenset({"basis", "consent_reason", "override_reason", "reason"})
# Fields whose text (or list of texts) is an organization's or a member's code: read as codes are written
# («cs040» → CS040, core/text.code_text). Nested objects (split's groups, receive's organizations) pass by.
CODE_FIELDS = frozenset({"org", "orgs", "parent", "into", "to", "members_to", "member", "members", "issuer",
                         "introducers", "code"})


def _clean_value(owner: type, name: str, value: Any, problems: list[tuple[str, str]]) -> Any:
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        from khoi_desktop.core.request_json import field_name

        label = field_name(owner, name)
        try:
            text = plain_value(value, label=label[:1].upper() + label[1:], multiline=name in MULTILINE_FIELDS,
                               limit=FIELD_LIMITS.get(name))
            return code_text(text) if name in CODE_FIELDS else text
        except ValueError as exc:
            problems.append(("invalid_text", str(exc)))
            return value
    if isinstance(value, list):
        return [_clean_value(owner, name, item, problems) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        problems.extend(clean_fields(value))
    return value


def clean_fields(obj: Any) -> list[tuple[str, str]]:
    """Clean every text field of a request (nested groups and records too) in place: `clean_text`, a length
    bound, no leading formula sign in a name. Returns the problems, in Vietnamese."""
    problems: list[tuple[str, str]] = []
    for spec in dataclasses.fields(obj):
        value = getattr(obj, spec.name)
        fixed = _clean_value(type(obj), spec.name, value, problems)
        if fixed is not value:
            object.__setattr__(obj, spec.name, fixed)
    return problems


@dataclass(kw_only=True)
class Found(Request):
    kind: OrgKind
    name: str
    parent: str | None = None
    agency: str | None = None
    members: list[str] = field(default_factory=list)
    code: str | None = None
    # A đảng bộ (cơ sở or bộ phận) is founded with its chi bộ trực thuộc, and their members, in the same decision.
    branches: list[Group] = field(default_factory=list)


@dataclass(kw_only=True)
class Split(Request):
    org: str
    into: list[Group]
    keep_source: bool = False


@dataclass(kw_only=True)
class Upgrade(Request):
    org: str
    branches: list[Group]
    name: str | None = None  # default: "Chi bộ X" becomes "Đảng bộ X"
    code: str | None = None


@dataclass(kw_only=True)
class Consolidate(Request):
    orgs: list[str]
    name: str
    kind: OrgKind
    parent: str | None = None
    code: str | None = None


@dataclass(kw_only=True)
class Absorb(Request):
    orgs: list[str]
    into: str


class TransferCommittee(enum.StrEnum):
    """What becomes of the moved organization's own committee."""

    KEEP = "keep"
    END = "end"

    @property
    def label(self) -> str:
        return {"keep": "tiếp tục hoạt động", "end": "kết thúc hoạt động"}[self]


@dataclass(kw_only=True)
class Transfer(Request):
    org: str
    to: str | None = None
    committee: TransferCommittee = TransferCommittee.KEEP


@dataclass(kw_only=True)
class Receive(Request):
    from_body: str
    parent: str | None = None
    orgs: list[ReceivedOrg]


@dataclass(kw_only=True)
class HandOver(Request):
    org: str
    to_body: str


@dataclass(kw_only=True)
class Dissolve(Request):
    org: str
    members_to: str | list[MemberTarget]  # one chi bộ for all, or members by chi bộ
