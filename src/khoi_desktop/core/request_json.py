"""Requests read from and written to their JSON form (CLI.md, "Requests"): the seam where text becomes types.

Parsing checks shape only (fields, types, dates, a member named once) and reports every problem at once;
the request types and the action they belong to come from core/wiring.py. The fields' types are read
with typing.get_type_hints, so a new request type needs nothing here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from typing import Any

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.requests import Dissolve, Found, Receive, Request, Split, Upgrade
from khoi_desktop.core.text import nfc
from khoi_desktop.core.wiring import REQUEST_TYPES

ORG_KIND_VALUES = [k.value for k in OrgKind]


def _optional(annotation: Any) -> tuple[bool, list[Any]]:
    """Whether None is allowed, and the other types of a union (one for a plain type)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = list(typing.get_args(annotation))
        return type(None) in args, [a for a in args if a is not type(None)]
    return False, [annotation]


class _Reader:
    """Reads one JSON object into dataclass fields, collecting every problem before refusing."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(("invalid_request", f"Trường «{path}»: {message}"))

    def value(self, path: str, raw: Any, annotation: Any) -> Any:
        optional, choices = _optional(annotation)
        if raw is None:
            if not optional:
                self.fail(path, "bắt buộc phải có.")
            return None
        if len(choices) > 1:  # str | list[...]: a single code or a list of objects
            chosen = next((c for c in choices if c is str), None) if isinstance(raw, str) else \
                next((c for c in choices if typing.get_origin(c) is list), None)
            return self.value(path, raw, chosen or choices[-1])
        kind = choices[0]
        if kind is dt.date:
            if not isinstance(raw, str):
                self.fail(path, "ngày phải ghi dạng YYYY-MM-DD.")
                return None
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                self.fail(path, f"ngày «{raw}» không hợp lệ (dạng YYYY-MM-DD).")
                return None
        if kind is bool:
            if not isinstance(raw, bool):
                self.fail(path, "phải là true hoặc false.")
            return bool(raw)
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.fail(path, "phải là một số nguyên.")
                return None
            return raw
        if typing.get_origin(kind) is list:
            (item,) = typing.get_args(kind)
            if isinstance(item, type) and dataclasses.is_dataclass(item):
                return self.objects(path, raw, item)
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
        hints = typing.get_type_hints(cls)
        for unknown in sorted(set(raw) - set(fields)):
            self.fail(f"{path}.{unknown}" if path else unknown, "không có trong mẫu yêu cầu.")
        values = {}
        for name, spec in fields.items():
            has_default = spec.default is not dataclasses.MISSING or spec.default_factory is not dataclasses.MISSING
            if name not in raw and has_default:
                continue
            values[name] = self.value(f"{path}.{name}" if path else name, raw.get(name), hints[name])
        try:
            return cls(**values)
        except TypeError:
            return None


def parse_request(data: Any) -> Request:
    """A request from its decoded JSON; every shape problem is reported at once, in Vietnamese."""
    if not isinstance(data, dict):
        raise RequestRefused([("invalid_request", "Yêu cầu phải là một đối tượng JSON.")])
    action = data.get("action")
    if action not in REQUEST_TYPES:
        known = ", ".join(REQUEST_TYPES)
        raise RequestRefused([("unknown_action", f"Thao tác «{action}» không có; các thao tác: {known}.")])
    reader = _Reader()
    request = reader.read("", data, REQUEST_TYPES[action])
    if request is not None:
        _check_kinds(reader, request)
        _check_members_named_once(reader, request)
    if reader.problems:
        raise RequestRefused(reader.problems)
    return request


def load_request(text: str) -> Request:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestRefused([("invalid_json", f"Tệp yêu cầu không phải JSON hợp lệ (dòng {exc.lineno}, "
                                               f"cột {exc.colno}).")]) from None
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
