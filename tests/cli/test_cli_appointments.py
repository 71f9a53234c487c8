"""Appointments on the command line: `apply --issue` with appoint / end_seat requests, the term summary
(`appointments --term --json`), committees and the submissions register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cli_support import json_of_args, write_request
from factories import add_members, add_org, add_seat
from khoi_desktop.__main__ import main
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Term
from khoi_desktop.core.settings import OfficeSettings, save_settings

TODAY = dt.date.today()
ELECTED = TODAY - dt.timedelta(days=200)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """CS001 Chi bộ Sở Ngoại vụ (8 full members, Bí thư 001); CS002 Chi bộ Hội Nông dân (12, chi ủy of 3)."""
    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY + dt.timedelta(days=900)))
        small = add_org(s, "CS001", "Chi bộ Sở Ngoại vụ", "chi_bo_co_so")
        a = add_members(s, small, 8)
        add_seat(s, small, a[0], "bi_thu", term="2025-2030", valid_from=ELECTED)
        farmers = add_org(s, "CS002", "Chi bộ Hội Nông dân tỉnh", "chi_bo_co_so")
        b = add_members(s, farmers, 12, probationary=1)
        for m in b[:3]:
            add_seat(s, farmers, m, "cap_uy_vien", term="2025-2030", valid_from=ELECTED)
        add_seat(s, farmers, b[0], "bi_thu", term="2025-2030", valid_from=ELECTED)
    db.close()
    return path



def test_new_bi_thu_and_additional_member_through_apply(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = json_of_args(capsys, ["appointments", str(office), "--term", "2025-2030"])
    assert code == 0
    assert {k: out[k] for k in ("decisions", "cap_uy_vien", "uy_vien_btv", "bi_thu", "pho_bi_thu")} == {
        "decisions": 0, "cap_uy_vien": 0, "uy_vien_btv": 0, "bi_thu": 0, "pho_bi_thu": 0}

    code, out = json_of_args(capsys, ["submit", str(office), "--number", "4-TTr/CB", "--org", "CS001",
                                  "--subject", "đề nghị chuẩn y Bí thư Chi bộ", "--members", "CS001-002"])
    assert code == 0 and out["submission"]["status"] == "received"
    end = {"action": "end_seat", "org": "CS001", "member": "CS001-001", "role": "bi_thu", "reason": "nghi_huu"}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, end)), "--issue"])
    assert code == 0 and out["decision"]["code"] == "01-QĐ/ĐUK"
    new = {"action": "appoint", "mode": "chuan_y", "org": "CS001", "term": "2025-2030", "submission": "4-TTr/CB",
           "seats": [{"member": "CS001-002", "role": "bi_thu"}]}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, new)), "--issue"])
    assert code == 0, out
    assert out["decision"]["code"] == "02-QĐ/ĐUK"
    assert out["decision"]["subject"] == "về việc chuẩn y Bí thư Chi bộ Sở Ngoại vụ nhiệm kỳ 2025 - 2030"
    more = {"action": "appoint", "mode": "chi_dinh", "org": "CS002", "term": "2025-2030",
            "override_reason": "Tăng cường cán bộ trẻ", "seats": [{"member": "CS002-004", "role": "cap_uy_vien"}]}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, more)), "--issue"])
    assert code == 0 and len(out["warnings"]) == 1

    code, out = json_of_args(capsys, ["appointments", str(office), "--term", "2025-2030"])
    assert (out["decisions"], out["cap_uy_vien"], out["bi_thu"], out["pho_bi_thu"]) == (2, 1, 1, 0)
    assert {o["org"]: o["decisions"] for o in out["orgs"]} == {"CS001": 1, "CS002": 1}
    code, out = json_of_args(capsys, ["submissions", str(office)])
    assert [(s["number"], s["status"], s["decision"]) for s in out["submissions"]] == [
        ("4-TTr/CB", "issued", "02-QĐ/ĐUK")]
    code, out = json_of_args(capsys, ["committee", str(office), "CS002"])
    assert code == 0 and out["term"] == "2025-2030" and len(out["members"]) == 4
    assert out["vacancies"] == ["Khuyết Phó Bí thư Chi bộ Hội Nông dân tỉnh."]


def test_ineligible_pick_is_refused_with_exit_2_and_changes_nothing(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    request = {"action": "appoint", "mode": "chuan_y", "org": "CS002", "term": "2025-2030",
               "seats": [{"member": "CS002-012", "role": "cap_uy_vien"}, {"member": "CS002-012", "role": "bi_thu"}]}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, request)), "--issue"])
    assert code == 2 and out["ok"] is False
    codes = {e["code"] for e in out["errors"]}
    assert codes == {"not_full_member"}
    assert "đảng viên dự bị" in out["errors"][0]["message"]
    code = main(["apply", str(office), str(write_request(tmp_path, {**request, "seats": [
        {"member": "CS002-005", "role": "bi_thu"}]}))])
    assert code == 2
    assert "nhưng đồng chí Trần Văn CS002 001 đang giữ chức này" in capsys.readouterr().err
    code, out = json_of_args(capsys, ["decisions", str(office)])
    assert out["decisions"] == []


def test_summary_of_an_unknown_term_is_refused(office, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = json_of_args(capsys, ["appointments", str(office), "--term", "1990-1995"])
    assert code == 2 and out["errors"][0]["code"] == "term_not_found"
    assert main(["appointments", str(office)]) == 0
    assert "Nhiệm kỳ 2025 - 2030: 0 quyết định" in capsys.readouterr().out
    assert main(["appointments", str(office), "--term", "2025 - 2030"]) == 0  # as printed on every decision
    assert "Nhiệm kỳ 2025 - 2030: 0 quyết định" in capsys.readouterr().out


def test_a_second_bi_thu_is_refused_once_naming_who_holds_the_seat_and_who_was_asked(office, tmp_path,  # type: ignore[no-untyped-def]
                                                                                     capsys) -> None:
    """A new Bí thư beside the sitting one was refused twice, the second time naming the sitting Bí thư among
    those the request named («chỉ có một Bí thư (đang nêu: <sitting>, <asked>)»)."""
    request = {"action": "appoint", "mode": "chuan_y", "org": "CS001", "term": "2025-2030",
               "seats": [{"member": "CS001-002", "role": "bi_thu"}]}
    path = write_request(tmp_path, request)
    code, out = json_of_args(capsys, ["apply", str(office), str(path)])
    assert code == 2
    assert out["errors"] == [{"code": "role_taken", "message": (
        "Yêu cầu chuẩn y đồng chí Trần Văn CS001 002 làm Bí thư Chi bộ Sở Ngoại vụ, nhưng đồng chí Trần Văn CS001 001 "
        "đang giữ chức này (nhiệm kỳ 2025 - 2030). Cần cho đồng chí Trần Văn CS001 001 thôi giữ chức (yêu cầu "
        "end_seat) trước khi chuẩn y Bí thư mới.")}]
