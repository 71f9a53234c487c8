"""Requests are parsed at the seam: typed fields, enums, required fields, one Vietnamese message per problem."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import pytest

from khoi_desktop.core import request_json
from khoi_desktop.core.appointments.requests import AppointMode
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import MemberStatus, OrgKind, SeatRole, Sex
from khoi_desktop.core.request_json import field_name, parse_request, request_to_json
from khoi_desktop.core.wiring import REQUEST_TYPES


def problems(data: object) -> list[tuple[str, str]]:
    with pytest.raises(RequestRefused) as refused:
        parse_request(data)
    return refused.value.problems


def _dataclasses(cls: type) -> set[type]:
    found = {cls}
    for hint in typing.get_type_hints(cls).values():
        for arg in [hint, *typing.get_args(hint), *(a for h in typing.get_args(hint) for a in typing.get_args(h))]:
            if isinstance(arg, type) and dataclasses.is_dataclass(arg) and arg not in found:
                found |= _dataclasses(arg)
    return found


def test_every_field_of_every_request_has_a_vietnamese_name() -> None:
    unnamed = [f"{cls.__name__}.{f.name}" for request in REQUEST_TYPES.values() for cls in _dataclasses(request)
               for f in dataclasses.fields(cls) if field_name(cls, f.name) == f.name]
    assert unnamed == []


@pytest.mark.parametrize("action", sorted(REQUEST_TYPES))
def test_a_bare_request_names_each_missing_field_in_vietnamese(action: str) -> None:
    found = problems({"action": action})
    required = [f.name for f in dataclasses.fields(REQUEST_TYPES[action])
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING and f.name != "action"]
    assert required and len(found) == len(required)
    for (code, message), name in zip(found, required, strict=True):
        assert code == "invalid_request" and message.startswith("Chưa có ") and name not in message


def test_required_fields_are_required_and_nested_objects_are_named() -> None:
    assert problems({"action": "split", "into": [{"members": ["A"]}, {"name": "Chi bộ B", "members": "A"}]}) == [
        ("invalid_request", "Chưa có mã tổ chức đảng."),
        ("invalid_request", "Chưa có tên của chi bộ mới thứ 1."),
        ("invalid_request", "Danh sách mã đảng viên của chi bộ mới thứ 2 «A» không hợp lệ: phải là một danh sách mã."),
    ]


def test_kinds_sex_status_and_roles_are_enums_read_once() -> None:
    received = parse_request({"action": "receive", "from_body": "Đảng ủy Khối Doanh nghiệp", "orgs": [
        {"name": "Chi bộ X", "kind": "chi_bo_co_so", "members": [
            {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1990-01-02", "sex": "nu",
             "status": "du_bi", "admitted_on": "2025-01-02"}]}]})
    org = received.orgs[0]  # type: ignore[attr-defined]
    assert org.kind is OrgKind.CHI_BO_CO_SO
    assert (org.members[0].sex, org.members[0].status) == (Sex.NU, MemberStatus.DU_BI)
    appoint = parse_request({"action": "appoint", "mode": "chi_dinh", "org": "CS1", "term": "2025-2030",
                             "seats": [{"member": "A", "role": "bi_thu"}]})
    assert appoint.mode is AppointMode.CHI_DINH and appoint.seats[0].role is SeatRole.BI_THU  # type: ignore[attr-defined]
    assert json.loads(request_to_json(appoint))["seats"] == [{"member": "A", "role": "bi_thu"}]


def test_enum_values_typed_as_their_words_are_read() -> None:
    # «nữ», «Chính thức», «Chi bộ cơ sở», «Bí thư», «chỉ định» were refused though each names one value.
    received = parse_request({"action": "receive", "from_body": "Đảng ủy Khối Doanh nghiệp", "orgs": [
        {"name": "Chi bộ X", "kind": "Chi bộ cơ sở", "members": [
            {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1990-01-02", "sex": "nữ",
             "status": "Chính thức", "admitted_on": "2015-01-02"},
            {"family_name": "Lê", "middle_name": "Văn", "given_name": "An", "birth_date": "1990-01-02", "sex": "NAM",
             "status": "du bi", "admitted_on": "2026-01-02"}]}]})
    org = received.orgs[0]  # type: ignore[attr-defined]
    assert org.kind is OrgKind.CHI_BO_CO_SO
    assert [(m.sex, m.status) for m in org.members] == [(Sex.NU, MemberStatus.CHINH_THUC),
                                                       (Sex.NAM, MemberStatus.DU_BI)]
    appoint = parse_request({"action": "appoint", "mode": "chỉ định", "org": "CS1", "term": "2025-2030",
                             "seats": [{"member": "A", "role": "Bí thư"}, {"member": "B", "role": "pho bi thu"}]})
    assert appoint.mode is AppointMode.CHI_DINH  # type: ignore[attr-defined]
    assert [s.role for s in appoint.seats] == [SeatRole.BI_THU, SeatRole.PHO_BI_THU]  # type: ignore[attr-defined]


def test_an_action_typed_in_capitals_with_spaces_or_hyphens_is_read() -> None:
    # «Found», « split », «hand-over», «HAND OVER» were refused «Thao tác … không có» listing the very action.
    for typed, action in (("Found", "found"), (" split ", "split"), ("hand-over", "hand_over"),
                          ("HAND OVER", "hand_over"), ("Transfer_Member", "transfer_member")):
        with pytest.raises(RequestRefused) as refused:
            parse_request({"action": typed})
        assert all(code != "unknown_action" for code, _ in refused.value.problems), (typed, refused.value.problems)
        assert [m for _, m in refused.value.problems] == [m for _, m in problems({"action": action})]
    request = parse_request({"action": "Hand-Over", "org": "cs1", "to_body": "Đảng ủy Khối Doanh nghiệp"})
    assert json.loads(request_to_json(request))["action"] == "hand_over" and request.org == "CS1"  # type: ignore[attr-defined]
    with pytest.raises(RequestRefused) as refused:
        parse_request({"action": "thanh lap"})
    assert [code for code, _ in refused.value.problems] == ["unknown_action"]


def test_a_date_typed_day_first_or_impossible_says_what_to_write() -> None:
    found = problems({"action": "hand_over", "org": "CS1", "to_body": "X", "effective": "01/12/2026"})
    assert [m for _, m in found] == ["Ngày có hiệu lực «01/12/2026» không hợp lệ: ngày ghi dạng YYYY-MM-DD "
                                     "(năm-tháng-ngày), ngày 01/12/2026 thì ghi 2026-12-01."]
    found = problems({"action": "hand_over", "org": "CS1", "to_body": "X", "effective": "2026-02-29"})
    assert [m for _, m in found] == ["Ngày có hiệu lực «2026-02-29» không hợp lệ: tháng 02/2026 không có ngày 29."]


def test_a_wrong_enum_value_lists_the_choices_in_words() -> None:
    record = {"family_name": "Lê", "middle_name": "", "given_name": "Hoa", "birth_date": "1990-01-02",
              "sex": "khac", "status": "mien_sinh_hoat", "admitted_on": "2025-01-02"}
    found = problems({"action": "receive", "from_body": "X", "orgs": [{"name": "Chi bộ X", "kind": "chi_bo",
                                                                        "members": [record]}]})
    assert [m for _, m in found] == [
        "Loại tổ chức của tổ chức được tiếp nhận thứ 1 «chi_bo» không hợp lệ: dùng một trong: dang_bo_co_so "
        "(Đảng bộ cơ sở), chi_bo_co_so (Chi bộ cơ sở), dang_bo_bo_phan (Đảng bộ bộ phận), chi_bo_truc_thuoc "
        "(Chi bộ trực thuộc).",
        "Giới tính của đảng viên thứ 1 của tổ chức được tiếp nhận thứ 1 «khac» không hợp lệ: dùng một trong: "
        "nam (Nam), nu (Nữ).",
        "Loại đảng viên của đảng viên thứ 1 của tổ chức được tiếp nhận thứ 1 «mien_sinh_hoat» không hợp lệ: dùng "
        "một trong: du_bi (Dự bị), chinh_thuc (Chính thức).",
    ]


def test_the_parser_reads_types_not_the_text_of_type_hints() -> None:
    source = Path(request_json.__file__).read_text(encoding="utf-8")
    assert '"None" in' not in source and '"list[' not in source and "except TypeError" not in source


def test_every_action_is_named_wired_and_worded() -> None:
    from khoi_desktop.core.actions import Action
    from khoi_desktop.core.wiring import WIRING
    from khoi_desktop.core.wording.templates import DEFAULT_TEMPLATES

    assert set(WIRING) == set(Action) == set(DEFAULT_TEMPLATES)
    assert all(action.label and action.label[0].isupper() for action in Action)
