"""`apply` and `issue` on the command line: JSON contract, exit codes, refusals that change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from cli_support import json_of_args, write_request
from factories import add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import OrgKind, Term
from khoi_desktop.core.settings import OfficeSettings, save_settings
from signin_support import signed_in

TODAY = dt.date.today()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY + dt.timedelta(days=400)))
        dang_bo = add_org(s, "CS001", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        add_members(s, add_org(s, "CB0001", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=dang_bo), 36)
    db.close()
    return path



def split_request() -> dict:
    """The Đảng ủy Sở Tài chính's split of its chi bộ, recorded as it signed it."""
    members = [f"CB0001-{i:03d}" for i in range(1, 37)]
    return {"action": "split", "org": "CB0001", "into": [{"name": "Chi bộ Phòng A", "members": members[:18]},
                                                          {"name": "Chi bộ Phòng B", "members": members[18:]}],
            "issuer": "CS001", "recorded": {"number": "05-QĐ/ĐU", "signed_on": TODAY.isoformat(),
                                            "signer": "Lê Văn Bình"}}



def test_apply_drafts_the_recording_then_issue_records_it(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, split_request()))])
    assert code == 0 and out["ok"] is True and out["warnings"] == []
    decision = out["decision"]
    assert set(decision) >= {"id", "code", "number", "status", "type", "subject", "issuer", "recorded", "action",
                             "effective"}
    assert (decision["status"], decision["number"], decision["code"]) == ("draft", None, None)
    assert (decision["issuer"], decision["recorded"], decision["action"]) == ("CS001", False, "split")
    assert out["created"] == []
    code, out = json_of_args(capsys, ["issue", str(office), str(decision["id"])])
    assert code == 0
    assert (out["decision"]["status"], out["decision"]["code"], out["decision"]["number"]) == (
        "issued", "05-QĐ/ĐU", None)
    assert out["decision"]["recorded"] is True and out["decision"]["effective"] == TODAY.isoformat()
    code, out = json_of_args(capsys, ["orgs", str(office)])
    active = {o["name"]: o["members"] for o in out["orgs"] if o["status"] == "active"}
    assert active == {"Đảng bộ Sở Tài chính": 36, "Chi bộ Phòng A": 18, "Chi bộ Phòng B": 18}
    code, out = json_of_args(capsys, ["issue", str(office), "05-QĐ/ĐU"])
    assert code == 2 and "đã ban hành" in out["errors"][0]["message"]


def test_a_decision_signed_after_today_is_not_recorded(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    request = split_request()
    request["recorded"]["signed_on"] = (TODAY + dt.timedelta(days=3)).isoformat()
    before = hashlib.sha256(office.read_bytes()).hexdigest()
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, request)), "--issue"])
    assert code == 2 and out["errors"][0]["code"] == "signed_in_future"
    assert f"{TODAY + dt.timedelta(days=3):%d/%m/%Y}" in out["errors"][0]["message"]
    assert hashlib.sha256(office.read_bytes()).hexdigest() == before


def test_a_refusal_names_the_request_field_not_the_wizard_box(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "small.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY + dt.timedelta(days=400)))
        add_members(s, add_org(s, "CS001", "Chi bộ Hội Nông dân", OrgKind.CHI_BO_CO_SO), 6)
    db.close()
    members = [f"CS001-{i:03d}" for i in range(1, 7)]
    upgrade = {"action": "upgrade", "org": "CS001", "branches": [{"name": "Chi bộ A", "members": members[:3]},
                                                                 {"name": "Chi bộ B", "members": members[3:]}]}
    code, out = json_of_args(capsys, ["apply", str(path), str(write_request(tmp_path, upgrade))])
    message = out["errors"][0]["message"]
    assert code == 2 and out["errors"][0]["code"] == "consent_required"
    assert '"consent_reason"' in message and "«Lý do đồng ý»" not in message


def test_a_wrong_issuer_is_told_the_code_to_write(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    request = {k: v for k, v in split_request().items() if k not in ("issuer", "recorded")}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, request))])
    assert code == 2 and out["errors"][0]["code"] == "wrong_issuer"
    assert out["errors"][0]["message"].endswith('Trong yêu cầu: "issuer": "CS001".')


def test_a_draft_is_not_said_to_have_a_number(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A draft's id is what `issue` and `pdf` take, not the decision's number (given at issue, one sequence)."""
    request = {k: v for k, v in split_request().items() if k != "recorded"}
    assert main(["apply", str(office), str(write_request(tmp_path, request))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đã lập dự thảo quyết định của Đảng ủy Sở Tài chính về việc tách Chi bộ Văn phòng: mã dự "
                          "thảo 1, chưa có số, chưa ban hành.")
    assert "số 1" not in out
    assert out.endswith(f"Xem bản dự thảo: khoi-desktop pdf {office} 1 -o du-thao-1.pdf; ban hành: khoi-desktop issue "
                        f"{office} 1\n")


def test_apply_issue_at_once_in_text_mode(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["apply", str(office), str(write_request(tmp_path, split_request())), "--issue"]) == 0
    out = capsys.readouterr().out
    assert "Đã ghi nhận Quyết định số 05-QĐ/ĐU của Đảng ủy Sở Tài chính về việc tách Chi bộ Văn phòng" in out
    # Where the document is: printed by `pdf` (the clerk was told a number only).
    assert out.endswith(f"In văn bản: khoi-desktop pdf {office} 05-QĐ/ĐU -o 05-qd-du.pdf\n")


@pytest.mark.parametrize("payload, code", [
    ("{not json", "invalid_json"),
    (json.dumps({"action": "explode"}), "unknown_action"),
    (json.dumps({"action": "split", "org": "CB0001", "into": "x"}), "invalid_request"),
    (json.dumps({"action": "split", "org": "CB0001", "into": [{"name": "A", "members": ["CB0001-001"]}]}),
     "too_few_groups"),
    (json.dumps({"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Văn phòng", "parent": "CS001",
                 "issuer": "CS001", "recorded": {"number": "06-QĐ/ĐU", "signed_on": TODAY.isoformat(),
                                                       "signer": "Lê Văn Bình"}}),
     "name_taken"),
])
def test_bad_requests_exit_2_and_change_nothing(office, tmp_path, capsys, payload, code) -> None:  # type: ignore[no-untyped-def]
    request = tmp_path / "bad.json"
    request.write_text(payload, encoding="utf-8")
    before = hashlib.sha256(office.read_bytes()).hexdigest()
    exit_code, out = json_of_args(capsys, ["apply", str(office), str(request), "--issue"])
    assert exit_code == 2 and out["ok"] is False
    assert code in [e["code"] for e in out["errors"]]
    assert all(e["message"] for e in out["errors"])
    assert hashlib.sha256(office.read_bytes()).hexdigest() == before


def test_every_problem_is_listed_with_a_vietnamese_line_on_stderr(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    data = {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ X", "parent": "CS404",
            "members": ["DV404"]}
    assert main(["apply", str(office), str(write_request(tmp_path, data))]) == 2
    err = capsys.readouterr().err
    assert "Không có tổ chức đảng mã CS404." in err and "Không có đảng viên mã DV404." in err


def test_a_name_in_place_of_a_code_is_refused_with_the_codes_it_fits(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Requests name things by code (CLI.md); a clerk who types names, without accents, or in NFD from another
    keyboard, or a code in lower case, is told which code that is, or which codes to choose between."""
    import unicodedata

    from sqlalchemy import select

    from factories import add_member
    from khoi_desktop.core.models import Organization

    db = open_database(office)
    with db.writing() as s:
        dang_bo = add_org(s, "CS002", "Đảng bộ Sở Xây dựng", OrgKind.DANG_BO_CO_SO)
        add_members(s, add_org(s, "CB0002", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=dang_bo), 5)
        chi_bo = s.scalars(select(Organization).where(Organization.code == "CB0001")).one()
        add_member(s, "Nguyễn Văn An", chi_bo, code="DV-AN1", birth_date=dt.date(1980, 1, 2))
        add_member(s, "Nguyễn Văn An", chi_bo, code="DV-AN2", birth_date=dt.date(1990, 3, 4))
        add_member(s, "Trần Thị Bình", chi_bo, code="DV-BINH")
    db.close()
    before = hashlib.sha256(office.read_bytes()).hexdigest()
    data = {"action": "split", "org": "chi bo van phong", "issuer": "CS001",
            "into": [{"name": "Chi bộ A", "members": []}, {"name": "Chi bộ B", "members": []}]}
    exit_code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, data))])
    assert exit_code == 2
    assert out["errors"] == [{"code": "org_not_found", "message": (
        "Không có tổ chức đảng mã chi bo van phong. Tổ chức đảng được nêu bằng mã; «chi bo van phong» khớp 2 tổ "
        "chức: CB0001 (Chi bộ Văn phòng, thuộc Đảng bộ Sở Tài chính), CB0002 (Chi bộ Văn phòng, thuộc Đảng bộ Sở "
        "Xây dựng). Hãy ghi mã của tổ chức cần chọn.")}]
    data = {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng C", "parent": "cs001",
            "issuer": "CS001", "members": ["nguyen van an", "dv-binh", unicodedata.normalize("NFD", "Trần Thị Bình")]}
    exit_code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, data))])
    assert exit_code == 2
    messages = [e["message"] for e in out["errors"] if e["code"] in ("org_not_found", "member_not_found")]
    assert messages == [  # «cs001» and «dv-binh» are read as CS001 and DV-BINH: only the names are refused
        "Không có đảng viên mã nguyen van an. Đảng viên được nêu bằng mã; «nguyen van an» khớp 2 đảng viên: "
        "DV-AN1 (Nguyễn Văn An, sinh 02/01/1980), DV-AN2 (Nguyễn Văn An, sinh 04/03/1990). Hãy ghi mã của "
        "người cần chọn.",
        "Không có đảng viên mã Trần Thị Bình. Đảng viên được nêu bằng mã: «Trần Thị Bình» là DV-BINH (Trần Thị "
        "Bình, sinh 01/01/1985), hãy ghi mã DV-BINH."]
    assert hashlib.sha256(office.read_bytes()).hexdigest() == before


def test_missing_request_file_exits_2(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["apply", str(office), str(tmp_path / "none.json")]) == 2
    err = capsys.readouterr().err
    assert "Không đọc được tệp yêu cầu" in err and "không có tệp này" in err and "Errno" not in err


def test_codes_an_older_version_stored_in_lower_case_are_found_as_typed(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # A hand-typed «cb-moi» kept by an older version: typed codes are read in upper case (CB-MOI), which found
    # nothing, and the refusal's hint told the clerk to write «cb-moi», read again as CB-MOI.
    path = tmp_path / "old.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY + dt.timedelta(days=400)))
        dang_bo = add_org(s, "cs-cu", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        add_members(s, add_org(s, "cb-moi", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=dang_bo), 36)
    db.close()
    for typed in ("cb-moi", "CB-MOI", " Cb-Moi "):
        code, out = json_of_args(capsys, ["members", str(path), "--org", typed])
        assert code == 0 and len(out["members"]) == 36 and out["members"][0]["code"].startswith("cb-moi-"), out
    request = split_request()
    request.update(org="cb-moi", issuer="CS-CU")
    for group, half in zip(request["into"], ([f"cb-moi-{i:03d}" for i in range(1, 19)],
                                             [f"CB-MOI-{i:03d}" for i in range(19, 37)]), strict=True):
        group["members"] = half
    code, out = json_of_args(capsys, ["apply", str(path), str(write_request(tmp_path, request)), "--issue"])
    assert code == 0 and out["decision"]["code"] == "05-QĐ/ĐU", out
    code, out = json_of_args(capsys, ["orgs", str(path)])
    active = {o["name"]: o["members"] for o in out["orgs"] if o["status"] == "active"}
    assert active == {"Đảng bộ Sở Tài chính": 36, "Chi bộ Phòng A": 18, "Chi bộ Phòng B": 18}


def test_the_same_request_drafted_twice_is_said_so(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # A script run twice made two identical drafts without a word.
    request = str(write_request(tmp_path, {k: v for k, v in split_request().items() if k != "recorded"}))
    code, first = json_of_args(capsys, ["apply", str(office), request])
    assert code == 0 and first["warnings"] == []
    code, second = json_of_args(capsys, ["apply", str(office), request])
    assert code == 0 and second["warnings"] == [
        f"Đã có dự thảo {first['decision']['id']} lập từ đúng yêu cầu này: dự thảo {second['decision']['id']} vừa "
        "lập là bản trùng: chỉ ban hành một trong hai. Hủy bản thừa: khoi-desktop discard "
        f"{office} {second['decision']['id']}."]
    code, _ = json_of_args(capsys, ["discard", str(office), str(second["decision"]["id"])])  # the command said works
    assert code == 0
    other = split_request()
    other.pop("recorded")
    other["into"][0]["name"] = "Chi bộ Phòng C"
    code, third = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, other))])
    assert code == 0 and third["warnings"] == []


def test_the_duplicate_draft_is_discarded_from_the_command_line(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # The warning said «chỉ ban hành một trong hai», but only the GUI could discard the other draft.
    request = str(write_request(tmp_path, {k: v for k, v in split_request().items() if k != "recorded"}))
    first = json_of_args(capsys, ["apply", str(office), request])[1]["decision"]["id"]
    second = json_of_args(capsys, ["apply", str(office), request])[1]["decision"]["id"]
    code = main(["discard", str(office), str(second)])
    out = capsys.readouterr().out
    assert code == 0 and out == f"Đã hủy dự thảo quyết định {second} về việc tách Chi bộ Văn phòng (không cấp số).\n"
    code, out = json_of_args(capsys, ["decisions", str(office)])
    assert [(d["id"], d["status"]) for d in out["decisions"]] == [(first, "draft")]
    code, out = json_of_args(capsys, ["discard", str(office), str(second)])
    assert code == 2 and out["errors"][0]["code"] == "decision_discarded"
    code, issued = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, split_request())),
                                         "--issue"])
    assert code == 0, issued
    code, out = json_of_args(capsys, ["discard", str(office), issued["decision"]["code"]])
    assert code == 2 and out["errors"][0]["code"] == "decision_issued", out


def test_a_draft_overtaken_by_another_decision_is_told_what_to_do(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # Issuing it said why it no longer stands (the chi bộ was split already), not what to do with the draft.
    first = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, split_request()))])[1]
    again = split_request()
    again["recorded"]["number"] = "06-QĐ/ĐU"
    second = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, again))])[1]
    assert json_of_args(capsys, ["issue", str(office), str(first["decision"]["id"])])[0] == 0
    draft = second["decision"]["id"]
    code, out = json_of_args(capsys, ["issue", str(office), str(draft)])
    codes = [e["code"] for e in out["errors"]]
    assert code == 2 and codes[0] != "draft_outdated" and codes[-1] == "draft_outdated", out
    assert out["errors"][-1]["message"] == (f"Dự thảo {draft} không ban hành được với dữ liệu hôm nay: sửa tệp yêu cầu "
                                            f"rồi lập lại (apply), hoặc hủy dự thảo: khoi-desktop discard {office} "
                                            f"{draft}")
    assert json_of_args(capsys, ["discard", str(office), str(draft)])[0] == 0


def test_a_request_saved_by_notepad_as_unicode_with_crlf_is_read(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps(split_request(), ensure_ascii=False, indent=1).replace("\n", "\r\n")
    for encoding in ("utf-16", "utf-16-be", "utf-8-sig"):
        request = tmp_path / f"{encoding}.json"
        data = text.encode(encoding)
        request.write_bytes(b"\xfe\xff" + data if encoding == "utf-16-be" else data)  # Notepad's "Unicode big endian"
        code, out = json_of_args(capsys, ["apply", str(office), str(request)])
        assert code == 0 and out["decision"]["subject"] == "về việc tách Chi bộ Văn phòng", out
    code, out = json_of_args(capsys, ["decisions", str(office)])
    assert [d["status"] for d in out["decisions"]] == ["draft"] * 3


def test_unreadable_request_and_missing_action_are_said_in_vietnamese(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ansi = tmp_path / "ansi.json"
    ansi.write_bytes('{"action": "found", "name": "Phòng Tài chính"}'.encode("cp1252"))  # Notepad's "ANSI"
    code, out = json_of_args(capsys, ["apply", str(office), str(ansi)])
    message = out["errors"][0]["message"]
    assert code == 2 and "không phải văn bản UTF-8" in message and "codec" not in message
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, {"org": "CB0001"}))])
    assert code == 2 and out["errors"][0]["code"] == "unknown_action"
    assert "thiếu trường «action»" in out["errors"][0]["message"] and "None" not in out["errors"][0]["message"]


def test_help_is_in_vietnamese(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["stats", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: khoi-desktop stats")
    assert "Tùy chọn:" in out and "hiện hướng dẫn này rồi thoát" in out and "usage:" not in out


@pytest.mark.parametrize("target", ["", "."])
def test_a_folder_is_not_a_database(capsys, target) -> None:  # type: ignore[no-untyped-def]
    """'' and '.' are the current folder: said to be a folder (it said «Không tìm thấy tệp cơ sở dữ liệu: .»)."""
    assert main(["stats", target]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"«.» (thư mục hiện tại, {Path.cwd()}) là một thư mục, không phải tệp cơ sở dữ liệu: hãy "
                          "ghi cả tên tệp"), err


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    demo = tmp_path / "demo.db"
    assert main(["demo", str(demo)]) == 0  # 5.356 members: far more than a pipe holds
    capsys.readouterr()
    process = subprocess.Popen([sys.executable, "-m", "khoi_desktop", *signed_in(demo), "members", str(demo),
                                "--json"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()  # like `| head -c 10`
    error = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in error


def test_starting_the_window_loads_no_document_libraries() -> None:
    import subprocess
    import sys
    from pathlib import Path

    from khoi_desktop.__main__ import _window_options

    opened = _window_options(["--db", "khoi.db"])
    assert opened is not None and opened.db == Path("khoi.db") and opened.command is None
    assert _window_options(["--demo"]).demo and _window_options([]) is not None  # type: ignore[union-attr]
    assert _window_options(["--db=postgresql://a@b/c"]).db == "postgresql://a@b/c"  # type: ignore[union-attr]
    assert _window_options(["stats", "khoi.db"]) is None and _window_options(["--help"]) is None
    code = ("import sys; from khoi_desktop.cli import build_parser; "
            "build_parser(areas=False).parse_args(['--db', 'x.db']); "
            "print(sorted(m for m in ('reportlab', 'openpyxl', 'docx', 'cryptography') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_members_and_committee_of_an_ended_organization_say_it_ended(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # After the split, «members --org CB0001» printed «Tổng số: 0 đảng viên.» and «committee CB0001» an empty
    # committee, as if the chi bộ were there with nobody in it.
    code, _ = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, split_request())), "--issue"])
    assert code == 0
    assert main(["members", str(office), "--org", "CB0001"]) == 0
    out = capsys.readouterr().out
    assert f"đã kết thúc hoạt động ngày {TODAY:%d/%m/%Y}" in out
    assert f"--as-of {TODAY - dt.timedelta(days=1):%Y-%m-%d}" in out
    code, data = json_of_args(capsys, ["members", str(office), "--org", "CB0001"])
    assert code == 0 and data["members"] == [] and data["org_ended_on"] == TODAY.isoformat()
    assert main(["committee", str(office), "CB0001"]) == 0
    assert f"đã kết thúc hoạt động ngày {TODAY:%d/%m/%Y}" in capsys.readouterr().out
    code, data = json_of_args(capsys, ["members", str(office), "--org", "CB0001",
                                       "--as-of", (TODAY - dt.timedelta(days=1)).isoformat()])
    assert len(data["members"]) == 36 and "org_ended_on" not in data


def test_codes_in_lower_case_or_with_spaces_are_read_as_the_codes(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """«cs001», « CB0001-001 »: what a clerk types is the code written in upper case, in every code field."""
    typed = split_request()
    typed.update(org=" cb0001", issuer="cs001\t")
    for group in typed["into"]:
        group["members"] = [f" {code.lower()} " for code in group["members"]]
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, typed)), "--issue"])
    assert code == 0 and out["ok"] is True, out
    assert (out["decision"]["issuer"], out["decision"]["code"]) == ("CS001", "05-QĐ/ĐU")
    code, out = json_of_args(capsys, ["members", str(office), "--org", "cs001"])
    assert sorted(row["code"] for row in out["members"]) == [f"CB0001-{i:03d}" for i in range(1, 37)]
    found = {"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ Phòng C", "parent": "Cs001",
             "members": ["cb0001-001", "CB0001-002 ", "cb0001-003"], "issuer": "cs001",
             "recorded": {"number": "06-QĐ/ĐU", "signed_on": TODAY.isoformat(), "signer": "Lê Văn Bình"}}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, found)), "--issue"])
    assert code == 0, out
    (created,) = out["created"]
    code, out = json_of_args(capsys, ["members", str(office), "--org", created["code"].lower()])
    assert [row["code"] for row in out["members"]] == ["CB0001-001", "CB0001-002", "CB0001-003"]


def test_a_dang_bo_co_so_founded_with_its_chi_bo_in_one_request(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """`found` of a đảng bộ cơ sở with `branches`: one decision, the codes of the đảng bộ and of each chi bộ in
    `created`; the members sit in the chi bộ."""
    members = [f"CB0001-{i:03d}" for i in range(1, 31)]
    data = {"action": "found", "kind": "dang_bo_co_so", "name": "Đảng bộ Kho bạc Nhà nước tỉnh", "parent": None,
            "consent_reason": "Đảng bộ Sở Tài chính còn 06 đảng viên, chờ kiện toàn",  # the đảng bộ it leaves
            "branches": [{"name": "Chi bộ Phòng Kế toán", "members": members[:15]},
                         {"name": "Chi bộ Phòng Kiểm soát chi", "members": members[15:]}]}
    code, out = json_of_args(capsys, ["apply", str(office), str(write_request(tmp_path, data)), "--issue"])
    assert code == 0 and out["ok"] is True, out
    assert out["decision"]["code"] == "01-QĐ/ĐUK"
    assert out["created"] == [
        {"code": "CS002", "name": "Đảng bộ Kho bạc Nhà nước tỉnh", "kind": "dang_bo_co_so"},
        {"code": "CB0002", "name": "Chi bộ Phòng Kế toán", "kind": "chi_bo_truc_thuoc"},
        {"code": "CB0003", "name": "Chi bộ Phòng Kiểm soát chi", "kind": "chi_bo_truc_thuoc"}]
    code, out = json_of_args(capsys, ["orgs", str(office)])
    rows = {o["code"]: (o["parent"], o["members"]) for o in out["orgs"] if o["status"] == "active"}
    assert rows == {"CS001": (None, 6), "CB0001": ("CS001", 6), "CS002": (None, 30), "CB0002": ("CS002", 15),
                    "CB0003": ("CS002", 15)}


def test_a_parent_of_the_wrong_kind_is_told_where_it_may_go(office, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """«(chỉ trực thuộc: trực tiếp cấp ủy cấp trên)» named no body; the office's own name is said."""
    request = write_request(tmp_path, {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Mới",
                                       "parent": "cb0001", "members": []})
    code, out = json_of_args(capsys, ["apply", str(office), str(request)])
    message = next(e["message"] for e in out["errors"] if e["code"] == "kind_parent_mismatch")
    assert code == 2 and message.endswith("(chỉ trực thuộc: trực tiếp Đảng ủy Khối các cơ quan tỉnh).") and \
        "cấp ủy cấp trên" not in message, message
