"""Requests read from and written to their JSON form (CLI.md, "Requests"): the seam where text becomes types.

Parsing checks shape only (fields, types, dates, a member named once) and reports every problem at once;
the request types and the action they belong to come from core/wiring.py. The fields' types are read
with typing.get_type_hints: a new request type needs nothing here but the Vietnamese names of new fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from typing import Any

from khoi_desktop.core.errors import FieldInvalid, FieldMissing, KhoiError, RequestRefused, UnknownField
from khoi_desktop.core.requests import Dissolve, Found, Request, Split, Upgrade
from khoi_desktop.core.text import clean_text, date_form_hint, fold, nfc, parse_date
from khoi_desktop.core.wiring import REQUEST_TYPES

MAX_INT = 1_000_000  # committee sizes and the like; a 5,000-digit number is not one
MAX_REQUEST_CHARS = 5_000_000  # a split of the largest đảng bộ lists a few thousand codes

# The Vietnamese name of each field, as a clerk reads it in a message; "Type.field" where a field means
# something else in one request. tests/architecture/test_requests.py checks that every field has one.
FIELD_NAMES = {
    "action": "thao tác",
    "effective": "ngày có hiệu lực",
    "basis": "căn cứ bổ sung",
    "consent_reason": "lý do đồng ý của cấp ủy cấp trên",
    "signer": "người ký",
    "Recorded.signer": "người ký quyết định",
    "committee": "cấp ủy của tổ chức được chuyển",
    "kind": "loại tổ chức",
    "name": "tên tổ chức",
    "Group.name": "tên",
    "ReceivedOrg.name": "tên",
    "parent": "mã tổ chức cấp trên",
    "agency": "cơ quan, đơn vị",
    "members": "danh sách mã đảng viên",
    "code": "mã",
    "org": "mã tổ chức đảng",
    "orgs": "danh sách mã tổ chức đảng",
    "into": "danh sách chi bộ mới",
    "Absorb.into": "mã tổ chức nhận sáp nhập",
    "keep_source": "lựa chọn giữ lại chi bộ cũ",
    "branches": "danh sách chi bộ trực thuộc",
    "to": "mã tổ chức cấp trên mới",
    "from_body": "tổ chức đảng chuyển giao",
    "Receive.orgs": "danh sách tổ chức được tiếp nhận",
    "to_body": "tổ chức đảng nhận bàn giao",
    "members_to": "nơi chuyển đảng viên đến",
    "MemberTarget.org": "mã chi bộ nhận đảng viên",
    "ReceivedOrg.members": "danh sách đảng viên",
    "family_name": "họ",
    "middle_name": "tên đệm",
    "given_name": "tên",
    "birth_date": "ngày sinh",
    "sex": "giới tính",
    "status": "loại đảng viên",
    "admitted_on": "ngày vào Đảng",
    "national_id": "số định danh cá nhân",
    "first_admitted_on": "ngày kết nạp lần đầu",
    "gap_days": "số ngày gián đoạn sinh hoạt đảng",
    "card_number": "số thẻ đảng viên",
    "full_member_on": "ngày trở thành đảng viên chính thức",
    "job_title": "chức vụ, nghề nghiệp",
    "MemberRecord.code": "mã đảng viên",
    "mode": "hình thức (chỉ định hoặc chuẩn y)",
    "term": "nhiệm kỳ",
    "year": "năm xếp loại",
    "seats": "danh sách người và chức danh",
    "member": "mã đảng viên",
    "role": "chức danh",
    "override_reason": "lý do vượt số lượng cấp ủy viên",
    "submission": "tờ trình",
    "committee_size": "số lượng cấp ủy viên do đại hội quyết định",
    "congress_on": "ngày Đại hội",
    "reason": "lý do thôi giữ chức",
    # Fields of the member actions (issue 17).
    "Admit.org": "mã chi bộ kết nạp",
    "ReceiveMember.org": "mã chi bộ tiếp nhận",
    "person": "người",
    "people": "danh sách người",
    "introducers": "mã đảng viên giới thiệu",
    "on": "ngày",
    "LeaveParty.reason": "lý do ra khỏi danh sách đảng viên",
    "TransferMember.to": "mã chi bộ nơi đến",
    "TransferMember.to_body": "tổ chức đảng nơi đến",
    "ReceiveMember.from_body": "tổ chức đảng chuyển đi",
    "ReceiveMember.person": "đảng viên",
    "temporary": "chuyển tạm thời",
    "until": "ngày kết thúc sinh hoạt tạm thời",
    # Fields of the issuer and recorded decisions (CLI.md, authority's extension).
    "issuer": "mã đảng bộ cơ sở ban hành",
    "recorded": "quyết định đã ký",
    "number": "số quyết định",
    "signed_on": "ngày ký",
    "scan": "tệp bản quét",
    "leave_committee": "lựa chọn thôi tham gia cấp ủy",
}
# What one item of a list of objects is called: "chi bộ mới thứ 2".
ITEM_NAMES = {
    "into": "chi bộ mới",
    "branches": "chi bộ trực thuộc",
    "orgs": "tổ chức được tiếp nhận",
    "members": "đảng viên",
    "members_to": "nhóm đảng viên",
    "seats": "người được nêu",
}


def field_name(owner: type, name: str) -> str:
    return FIELD_NAMES.get(f"{owner.__name__}.{name}") or FIELD_NAMES.get(name) or name


def _optional(annotation: Any) -> tuple[bool, list[Any]]:
    """Whether None is allowed, and the other types of a union (one for a plain type)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = list(typing.get_args(annotation))
        return type(None) in args, [a for a in args if a is not type(None)]
    return False, [annotation]


def _enum_member(kind: type[enum.Enum], raw: Any) -> Any:
    """The value as written in CLI.md («nu», «chinh_thuc»), or as a clerk types it: its label, with or without
    accents, any case, spaces for underscores («nữ», «Nu», «chính thức», «Chinh thuc», «Chi bộ cơ sở»)."""
    if not isinstance(raw, str):
        return None
    text = nfc(raw).strip()
    exact = next((m for m in kind if m.value == text), None)
    if exact is not None:
        return exact
    typed = fold(text).replace("_", " ")
    typed = " ".join(typed.split())
    loose = [m for m in kind if isinstance(m.value, str) and typed in
             {m.value.replace("_", " "), " ".join(fold(str(getattr(m, "label", ""))).split())}]
    return loose[0] if len(loose) == 1 else None


def _choices(kind: type[enum.Enum], allowed: tuple[Any, ...] | None) -> str:
    members = allowed or tuple(kind)
    return ", ".join(f"{m.value} ({m.label})" if hasattr(m, "label") else str(m.value) for m in members)


class _Reader:
    """Reads one JSON object into dataclass fields, collecting every problem before refusing."""

    def __init__(self) -> None:
        self.problems: list[KhoiError] = []

    def read(self, where: str, raw: Any, cls: type) -> Any:
        """One object, or None after noting its problems; `where` names it ("" for the request itself)."""
        if not isinstance(raw, dict):
            self.problems.append(FieldInvalid(where or "yêu cầu", raw, "phải là một đối tượng JSON"))
            return None
        before = len(self.problems)
        fields = {f.name: f for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        for unknown in sorted(set(raw) - set(fields)):
            self.problems.append(UnknownField(unknown, where))
        values = {}
        for name, spec in fields.items():
            has_default = spec.default is not dataclasses.MISSING or spec.default_factory is not dataclasses.MISSING
            if name not in raw and has_default:
                continue
            of = f" của {where}" if where else ""
            values[name] = self.value(field_name(cls, name) + of, raw.get(name), hints[name],
                                      allowed=spec.metadata.get("choices"), item=(ITEM_NAMES.get(name, name), of))
        return cls(**values) if len(self.problems) == before else None

    def value(self, where: str, raw: Any, annotation: Any, *, allowed: tuple[Any, ...] | None = None,
              item: tuple[str, str] = ("", "")) -> Any:
        optional, choices = _optional(annotation)
        if raw is None:
            if not optional:
                self.problems.append(FieldMissing(where))
            return None
        if len(choices) > 1:  # str | list[...]: a single code or a list of objects
            wanted = str if isinstance(raw, str) else list
            chosen = next((c for c in choices if (typing.get_origin(c) or c) is wanted), choices[-1])
            return self.value(where, raw, chosen, item=item)
        kind = choices[0]
        if kind is dt.date:
            try:
                if isinstance(raw, str):
                    return parse_date(raw)  # YYYY-MM-DD only: not 20261231 nor 2026-W53-1
            except ValueError:
                pass
            self.problems.append(FieldInvalid(where, raw, date_form_hint(str(raw))))
            return None
        if kind is bool:
            if not isinstance(raw, bool):
                self.problems.append(FieldInvalid(where, raw, "ghi true hoặc false"))
            return bool(raw)
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.problems.append(FieldInvalid(where, raw, "phải là một số nguyên"))
                return None
            if abs(raw) > MAX_INT:  # shown as "…": printing thousands of digits is itself refused by Python
                self.problems.append(FieldInvalid(where, "…", f"quá lớn (tối đa {MAX_INT:_})".replace("_", ".")))
                return None
            return raw
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            member = _enum_member(kind, raw)
            if member is None or (allowed is not None and member not in allowed):
                self.problems.append(FieldInvalid(where, raw, "dùng một trong: " + _choices(kind, allowed)))
                return None
            return member
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            return self.read(where, raw, kind)
        if typing.get_origin(kind) is list:
            (element,) = typing.get_args(kind)
            if isinstance(element, type) and dataclasses.is_dataclass(element):
                if not isinstance(raw, list):
                    self.problems.append(FieldInvalid(where, raw, "phải là một danh sách"))
                    return []
                return [self.read(f"{item[0]} thứ {i + 1}{item[1]}", value, element) for i, value in enumerate(raw)]
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                self.problems.append(FieldInvalid(where, raw, "phải là một danh sách mã"))
                return []
            return [nfc(x) for x in raw]
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):  # one nested object (a person's record)
            return self.read(where, raw, kind)
        if not isinstance(raw, str):
            self.problems.append(FieldInvalid(where, raw, "phải là chuỗi ký tự"))
            return None
        return nfc(raw)


def parse_request(data: Any) -> Request:
    """A request from its decoded JSON; every shape problem is reported at once, in Vietnamese."""
    if not isinstance(data, dict):
        raise RequestRefused([("invalid_request", "Yêu cầu phải là một đối tượng JSON.")])
    action = data.get("action")
    if action is None:
        raise RequestRefused([("unknown_action", "Yêu cầu thiếu trường «action» (thao tác), ví dụ "
                                                 "\"action\": \"found\".")])
    if isinstance(action, str):  # «Found», « split », «hand-over»: the action meant
        typed = action.strip().lower().replace("-", "_").replace(" ", "_")
        if typed in REQUEST_TYPES:
            action = typed
            data = {**data, "action": typed}
    if not isinstance(action, str) or action not in REQUEST_TYPES:  # a list is not hashable
        known = ", ".join(REQUEST_TYPES)
        shown = clean_text(str(action))[:60]
        raise RequestRefused([("unknown_action", f"Thao tác «{shown}» không có; các thao tác: {known}.")])
    reader = _Reader()
    request = reader.read("", data, REQUEST_TYPES[action])
    if request is None:
        raise RequestRefused.of(reader.problems)
    twice = _members_named_twice(request)
    if twice:
        raise RequestRefused(twice)
    if request.recorded is not None and not request.recorded.number.strip():
        raise RequestRefused([("invalid_request", "Chưa ghi số của quyết định đã ký (ví dụ 05-QĐ/ĐU).")])
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


def _member_lists(request: Request) -> list[list[str]]:
    if isinstance(request, Found):
        return [request.members, *(g.members for g in request.branches)]
    if isinstance(request, Split):
        return [g.members for g in request.into]
    if isinstance(request, Upgrade):
        return [g.members for g in request.branches]
    if isinstance(request, Dissolve) and isinstance(request.members_to, list):
        return [t.members for t in request.members_to]
    return []


def _members_named_twice(request: Request) -> list[tuple[str, str]]:
    seen: set[str] = set()
    problems = []
    for codes in _member_lists(request):
        for code in codes:
            if code in seen:
                problems.append(("member_twice", f"Đảng viên {code} được nêu hai lần trong yêu cầu: "
                                                 "mỗi đảng viên chỉ được chuyển một lần."))
            seen.add(code)
    return problems


def request_to_json(request: Request) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value))

    data = {k: v for k, v in dataclasses.asdict(request).items() if v is not None}
    return json.dumps(data, ensure_ascii=False, default=encode)
