"""Workflow requests as typed data, read from and written to their JSON form (CLI.md, "Requests").

Parsing checks shape only (fields, types, dates, a member named once); whether the request fits the
organization tree is the workflows' job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.text import clean_text, nfc, parse_date, plain_value

ORG_KIND_VALUES = [k.value for k in OrgKind]
MAX_INT = 1_000_000  # committee sizes and the like; a 5,000-digit number is not one
MAX_REQUEST_CHARS = 5_000_000  # a split of the largest đảng bộ lists a few thousand codes


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

    def __post_init__(self) -> None:
        # The seam for every face: JSON, the GUI's wizards and a stored draft read back all build this.
        problems = clean_fields(self)
        if problems:
            raise RequestRefused(problems)


# Free text that may span lines; every other text field is one line.
MULTILINE_FIELDS = frozenset({"basis", "consent_reason", "override_reason", "reason"})


def _clean_value(path: str, name: str, value: Any, problems: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        try:
            return plain_value(value, label=f"Trường «{path}»", multiline=name in MULTILINE_FIELDS)
        except ValueError as exc:
            problems.append(("invalid_text", str(exc)))
            return value
    if isinstance(value, list):
        return [_clean_value(f"{path}[{i}]", name, item, problems) for i, item in enumerate(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for problem in clean_fields(value, f"{path}."):
            problems.append(problem)
    return value


def clean_fields(obj: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Clean every text field of a request (nested groups and records too) in place: `clean_text`, a length
    bound, no leading formula sign in a name. Returns the problems, in Vietnamese."""
    problems: list[tuple[str, str]] = []
    for spec in dataclasses.fields(obj):
        value = getattr(obj, spec.name)
        fixed = _clean_value(f"{prefix}{spec.name}", spec.name, value, problems)
        if fixed is not value:
            object.__setattr__(obj, spec.name, fixed)
    return problems


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


REQUEST_TYPES: dict[str, type[Request]] = {
    "found": Found, "split": Split, "upgrade": Upgrade, "consolidate": Consolidate, "absorb": Absorb,
    "transfer": Transfer, "receive": Receive, "hand_over": HandOver, "dissolve": Dissolve,
}
# Appointment actions (appoint, approve_election, end_seat) register their own types here.
# Dataclasses that other areas' requests hold in lists ("list[Seat]"), by class name; registered likewise.
NESTED_TYPES: dict[str, type] = {}

_FIELD_LABELS = {"members": "danh sách đảng viên", "into": "các chi bộ mới", "branches": "các chi bộ trực thuộc"}


class _Reader:
    """Reads one JSON object into dataclass fields, collecting every problem before refusing."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        # The path may hold an unknown key as sent: no control characters or lone surrogates in the message.
        self.problems.append(("invalid_request", f"Trường «{clean_text(path)[:80]}»: {clean_text(message)}"))

    def value(self, path: str, raw: Any, annotation: Any) -> Any:
        kind = str(annotation)
        optional = "None" in kind
        if raw is None:
            if not optional:
                self.fail(path, "bắt buộc phải có.")
            return None
        if "dt.date" in kind:
            if not isinstance(raw, str):
                self.fail(path, "ngày phải ghi dạng YYYY-MM-DD.")
                return None
            try:
                return parse_date(raw)
            except ValueError:
                self.fail(path, f"ngày «{raw}» không hợp lệ (dạng YYYY-MM-DD).")
                return None
        if kind.startswith("bool"):
            if not isinstance(raw, bool):
                self.fail(path, "phải là true hoặc false.")
            return bool(raw)
        if kind.startswith("int"):
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.fail(path, "phải là một số nguyên.")
                return None
            if abs(raw) > MAX_INT:
                self.fail(path, "số quá lớn.")
                return None
            return raw
        if "list[Group]" in kind:
            return self.objects(path, raw, Group)
        if "list[ReceivedOrg]" in kind:
            return self.objects(path, raw, ReceivedOrg)
        if "list[MemberRecord]" in kind:
            return self.objects(path, raw, MemberRecord)
        if "list[MemberTarget]" in kind:
            if isinstance(raw, str):
                return nfc(raw)
            return self.objects(path, raw, MemberTarget)
        nested = re.fullmatch(r"list\[(\w+)\]", kind)
        if nested and nested[1] in NESTED_TYPES:
            return self.objects(path, raw, NESTED_TYPES[nested[1]])
        if "list[str]" in kind:
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                self.fail(path, "phải là một danh sách mã.")
                return []
            return [nfc(x) for x in raw]
        if not isinstance(raw, str):
            self.fail(path, "phải là chuỗi ký tự.")
            return None
        return nfc(raw)

    def objects(self, path: str, raw: Any, cls: type) -> list[Any]:
        if not isinstance(raw, list):
            self.fail(path, "phải là một danh sách.")
            return []
        return [self.read(f"{path}[{i}]", item, cls) for i, item in enumerate(raw)]

    def read(self, path: str, raw: Any, cls: type) -> Any:
        if not isinstance(raw, dict):
            self.fail(path, "phải là một đối tượng JSON.")
            return None
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for unknown in sorted(set(raw) - set(fields)):
            self.fail(f"{path}.{unknown}" if path else unknown, "không có trong mẫu yêu cầu.")
        values = {}
        for name, spec in fields.items():
            has_default = spec.default is not dataclasses.MISSING or spec.default_factory is not dataclasses.MISSING
            if name not in raw and has_default:
                continue
            values[name] = self.value(f"{path}.{name}" if path else name, raw.get(name), spec.type)
        try:
            return cls(**values)
        except TypeError:
            return None


def parse_request(data: Any) -> Request:
    """A request from its decoded JSON; every shape problem is reported at once, in Vietnamese."""
    import khoi_desktop.core.workflows  # noqa: F401 - registers the request types of every area
    if not isinstance(data, dict):
        raise RequestRefused([("invalid_request", "Yêu cầu phải là một đối tượng JSON.")])
    action = data.get("action")
    if not isinstance(action, str) or action not in REQUEST_TYPES:
        known = ", ".join(REQUEST_TYPES)
        shown = clean_text(str(action))[:60]
        raise RequestRefused([("unknown_action", f"Thao tác «{shown}» không có; các thao tác: {known}.")])
    reader = _Reader()
    request = reader.read("", data, REQUEST_TYPES[action])
    if request is not None:
        _check_kinds(reader, request)
        _check_members_named_once(reader, request)
    if reader.problems:
        raise RequestRefused(reader.problems)
    return request


def load_request(text: str) -> Request:
    if len(text) > MAX_REQUEST_CHARS:
        raise RequestRefused([("invalid_json", f"Tệp yêu cầu quá lớn (hơn {MAX_REQUEST_CHARS // 1_000_000} triệu "
                                               "ký tự): một yêu cầu chỉ nêu mã và tên.")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestRefused([("invalid_json", f"Tệp yêu cầu không phải JSON hợp lệ (dòng {exc.lineno}, "
                                               f"cột {exc.colno}).")]) from None
    except RecursionError:
        raise RequestRefused([("invalid_json", "Tệp yêu cầu lồng nhau quá sâu: không phải một yêu cầu.")]) from None
    except ValueError:  # an integer of thousands of digits (Python refuses to convert it)
        raise RequestRefused([("invalid_json", "Tệp yêu cầu có một số quá lớn: không phải một yêu cầu.")]) from None
    return parse_request(data)


def _check_kinds(reader: _Reader, request: Request) -> None:
    kinds = [("kind", getattr(request, "kind", None))] if hasattr(request, "kind") else []
    if isinstance(request, Receive):
        kinds += [(f"orgs[{i}].kind", o.kind) for i, o in enumerate(request.orgs) if o]
    for path, kind in kinds:
        if kind not in ORG_KIND_VALUES:
            reader.fail(path, f"loại tổ chức «{kind}» không hợp lệ; dùng một trong: {', '.join(ORG_KIND_VALUES)}.")


def _member_lists(request: Request) -> list[list[str]]:
    if isinstance(request, Found):
        return [request.members]
    if isinstance(request, Split):
        return [g.members for g in request.into if g]
    if isinstance(request, Upgrade):
        return [g.members for g in request.branches if g]
    if isinstance(request, Dissolve) and isinstance(request.members_to, list):
        return [t.members for t in request.members_to if t]
    return []


def _check_members_named_once(reader: _Reader, request: Request) -> None:
    seen: set[str] = set()
    for codes in _member_lists(request):
        for code in codes or ():  # None when the list itself was missing (already reported)
            if code in seen:
                reader.problems.append(("member_twice", f"Đảng viên {code} được nêu hai lần trong yêu cầu: "
                                                        "mỗi đảng viên chỉ được chuyển một lần."))
            seen.add(code)


def request_to_json(request: Request) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value))

    data = {k: v for k, v in dataclasses.asdict(request).items() if v is not None}
    return json.dumps(data, ensure_ascii=False, default=encode)
