"""The command line contract (shared CLI.md): JSON keys, exit codes, Vietnamese refusals, nothing changed."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factories import add_member, add_members, add_org, end_org, move_member
from khoi_desktop import cli
from khoi_desktop.__main__ import main
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.settings import OfficeSettings, Thresholds, save_settings
from signin_support import signed_in

STATS_KEYS = {"as_of", "tccsd", "dang_bo_co_so", "chi_bo_co_so", "dang_bo_bo_phan", "chi_bo_truc_thuoc",
              "members", "probationary"}
FINDING_KEYS = {"org", "name", "rule", "severity", "members", "message"}
ORG_KEYS = {"code", "name", "kind", "parent", "members", "full_members", "status"}
MEMBER_KEYS = {"code", "full_name", "birth_date", "status", "org", "admitted_on", "full_on", "left_on", "leave_reason"}
DAY = "2024-01-01"
ENDED = dt.date(2023, 1, 1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """DB01 (CB11: 31 members, 2 dự bị; CB12: 4), CS01 (5), and CS02 ended on 2023-01-01 into CS01."""
    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        add_members(s, add_org(s, "CB11", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01), 31,
                    probationary=2)
        add_members(s, add_org(s, "CB12", "Chi bộ Thanh tra", OrgKind.CHI_BO_TRUC_THUOC, parent=db01), 4)
        cs01 = add_org(s, "CS01", "Chi bộ Ban Dân tộc", OrgKind.CHI_BO_CO_SO)
        add_members(s, cs01, 4)
        add_member(s, "Nguyễn Thị Ánh", cs01, code="DV-ANH", birth_date=dt.date(1990, 7, 2))
        cs02 = add_org(s, "CS02", "Chi bộ Sở Ngoại vụ", OrgKind.CHI_BO_CO_SO)
        for member in add_members(s, cs02, 3):
            move_member(s, member, cs01, ENDED)
        end_org(s, cs02, ENDED)
    db.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> dict[str, Any]:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, (out, err)
    assert err == ""
    return json.loads(out)


# --- stats -------------------------------------------------------------------------------------

def test_stats_json(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    assert run_json(capsys, "stats", office, "--as-of", DAY) == {
        "as_of": DAY, "tccsd": 2, "dang_bo_co_so": 1, "chi_bo_co_so": 1, "dang_bo_bo_phan": 0,
        "chi_bo_truc_thuoc": 2, "members": 43, "probationary": 2,
    }
    before = run_json(capsys, "stats", office, "--as-of", "2022-12-31")
    assert set(before) == STATS_KEYS
    assert (before["tccsd"], before["chi_bo_co_so"], before["members"]) == (3, 2, 43)


def test_stats_text(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    code, out, err = run(capsys, "stats", office, "--as-of", DAY)
    assert code == 0 and err == ""
    assert out.strip() == ("Tính đến ngày 01/01/2024: 2 TCCSĐ (1 đảng bộ cơ sở, 1 chi bộ cơ sở), "
                           "0 đảng bộ bộ phận, 2 chi bộ trực thuộc, 43 đảng viên (2 dự bị).")


def test_stats_defaults_to_today(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    data = run_json(capsys, "stats", office)
    assert dt.date.fromisoformat(data["as_of"]) >= dt.date(2024, 1, 1)
    assert data["members"] == 43


# --- check -------------------------------------------------------------------------------------

def test_check_json(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    data = run_json(capsys, "check", office, "--as-of", DAY)
    assert data["findings"] == [{
        "org": "CB11", "name": "Chi bộ Văn phòng", "rule": "chi_bo_over_30", "severity": "warning",
        "members": 31, "message": data["findings"][0]["message"],
    }]
    assert set(data["findings"][0]) == FINDING_KEYS
    assert "có 31 đảng viên, quá 30" in data["findings"][0]["message"]


def test_check_uses_saved_thresholds(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    db = open_database(office)
    with db.writing() as session:
        save_settings(session, OfficeSettings(thresholds=Thresholds(chi_bo_max_members=4)))
    db.close()
    data = run_json(capsys, "check", office, "--as-of", DAY)
    assert {(f["org"], f["members"]) for f in data["findings"] if f["rule"] == "chi_bo_over_30"} == {
        ("CB11", 31), ("CS01", 8)}


def test_check_text_and_clean_office(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    code, out, _ = run(capsys, "check", office, "--as-of", DAY)
    assert code == 0
    assert out.splitlines()[0].startswith("[CẢNH BÁO] CB11: Chi bộ Văn phòng có 31 đảng viên")
    assert "1 phát hiện (1 cảnh báo; tính đến ngày 01/01/2024)." in out
    code, out, _ = run(capsys, "check", office, "--as-of", "2019-01-01")
    assert (code, out.strip()) == (0, "Không phát hiện vi phạm nào.")


# --- orgs --------------------------------------------------------------------------------------

def test_orgs_json(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    data = run_json(capsys, "orgs", office, "--as-of", DAY)
    assert all(set(row) == ORG_KEYS for row in data["orgs"])
    rows = {row["code"]: row for row in data["orgs"]}
    assert rows["DB01"] == {"code": "DB01", "name": "Đảng bộ Sở Tài chính", "kind": "dang_bo_co_so",
                            "parent": None, "members": 35, "full_members": 33, "status": "active"}
    assert rows["CB11"] == {"code": "CB11", "name": "Chi bộ Văn phòng", "kind": "chi_bo_truc_thuoc",
                            "parent": "DB01", "members": 31, "full_members": 29, "status": "active"}
    assert (rows["CS01"]["kind"], rows["CS01"]["members"]) == ("chi_bo_co_so", 8)
    assert (rows["CS02"]["status"], rows["CS02"]["members"]) == ("ended", 0)
    # Tree order: each parent before its children.
    assert [row["code"] for row in data["orgs"]] == ["DB01", "CB12", "CB11", "CS01", "CS02"]


def test_orgs_before_the_end(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    data = run_json(capsys, "orgs", office, "--as-of", "2022-12-31")
    rows = {row["code"]: row for row in data["orgs"]}
    assert (rows["CS02"]["status"], rows["CS02"]["members"]) == ("active", 3)
    assert rows["CS01"]["members"] == 5


# --- members -----------------------------------------------------------------------------------

def test_members_json(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    data = run_json(capsys, "members", office, "--as-of", DAY)
    assert len(data["members"]) == 43
    assert all(set(row) == MEMBER_KEYS for row in data["members"])
    anh = next(row for row in data["members"] if row["code"] == "DV-ANH")
    assert anh == {"code": "DV-ANH", "full_name": "Nguyễn Thị Ánh", "birth_date": "1990-07-02",
                   "status": "chinh_thuc", "org": "CS01", "admitted_on": "2010-05-19", "full_on": "2011-05-19",
                   "left_on": None, "leave_reason": None}
    statuses = [row["status"] for row in data["members"]]
    assert statuses.count("du_bi") == 2


def test_members_of_an_org_match_orgs(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    orgs = {row["code"]: row for row in run_json(capsys, "orgs", office, "--as-of", DAY)["orgs"]}
    for code in ("DB01", "CB11", "CB12", "CS01"):
        rows = run_json(capsys, "members", office, "--org", code, "--as-of", DAY)["members"]
        assert len(rows) == orgs[code]["members"], code
    db01 = run_json(capsys, "members", office, "--org", "DB01", "--as-of", DAY)["members"]
    assert {row["org"] for row in db01} == {"CB11", "CB12"}
    old = run_json(capsys, "members", office, "--org", "CS02", "--as-of", "2022-06-01")["members"]
    assert [row["org"] for row in old] == ["CS02"] * 3


def test_a_code_in_lower_case_or_with_spaces_around_is_read_as_the_code(capsys: pytest.CaptureFixture[str],
                                                                        office: Path) -> None:
    wanted = run_json(capsys, "members", office, "--org", "CB11", "--as-of", DAY)["members"]
    assert wanted
    for typed in ("cb11", " CB11 ", "\tcb11\n", "Cb11"):
        assert run_json(capsys, "members", office, "--org", typed, "--as-of", DAY)["members"] == wanted, typed
    assert run(capsys, "committee", office, " cb11") == run(capsys, "committee", office, "CB11")


def test_members_text(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    code, out, _ = run(capsys, "members", office, "--org", "CS01", "--as-of", DAY)
    assert code == 0
    assert "DV-ANH  Nguyễn Thị Ánh  02/07/1990  Chính thức  CS01" in out
    assert out.strip().endswith("Tổng số: 8 đảng viên.")


# --- refusals ----------------------------------------------------------------------------------

REFUSALS = [
    pytest.param(["stats", "{missing}"], "file_not_found", "Không tìm thấy tệp", id="missing-file"),
    pytest.param(["stats", "{file}", "--as-of", "2020-13-45"], "usage", "Tham số --as-of", id="bad-date"),
    pytest.param(["orgs", "{file}", "--as-of", "05/03/2020"], "usage",
                 "ngày «05/03/2020» không hợp lệ: ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), ngày 05/03/2020 thì ghi "
                 "2020-03-05", id="bad-date-format"),
    pytest.param(["orgs", "{file}", "--as-of", "2026-02-31"], "usage", "tháng 02/2026 không có ngày 31",
                 id="no-such-day"),
    pytest.param(["frobnicate", "{file}"], "usage", "không có lựa chọn", id="unknown-command"),
    pytest.param(["members", "{file}", "--org", "KHONG-CO"], "org_not_found", "Không có tổ chức đảng mã KHONG-CO",
                 id="unknown-org"),
    # A code that names nothing says where what there is is listed (it left the clerk there).
    pytest.param(["committee", "{file}", "cb99"], "org_not_found",
                 "Không có tổ chức đảng mã CB99 (tính đến ngày", id="unknown-org-listed"),
    pytest.param(["issue", "{file}", "999"], "decision_not_found",
                 "Không có quyết định «999». Xem các quyết định và dự thảo: khoi-desktop decisions ", id="no-decision"),
    # A name (any accents, any case) is still refused, with the code(s) it fits (a code in lower case is read).
    pytest.param(["members", "{file}", "--org", "chi bo van phong"], "org_not_found",
                 "«chi bo van phong» là CB11 (Chi bộ Văn phòng, thuộc Đảng bộ Sở Tài chính), hãy ghi mã CB11",
                 id="org-by-name"),
    # An empty code or term («--org "$ORG"» with ORG unset) listed every member, every decision.
    pytest.param(["members", "{file}", "--org", ""], "usage", "Tham số --org: chưa ghi mã (để trống)", id="org-empty"),
    pytest.param(["members", "{file}", "--org", " "], "usage", "Tham số --org: chưa ghi mã", id="org-blank"),
    pytest.param(["committee", "{file}", ""], "usage", "Tham số MÃ: chưa ghi mã (để trống)", id="committee-empty"),
    pytest.param(["decisions", "{file}", "--term", ""], "usage", "Tham số --term: để trống", id="term-empty"),
    pytest.param(["decisions", "{file}", "--issuer", ""], "usage", "Tham số --issuer: chưa ghi mã", id="issuer-empty"),
    # The right code on a day before the organization existed: not «write the code CS01».
    pytest.param(["members", "{file}", "--org", "cs01", "--as-of", "1900-01-01"], "org_not_found",
                 "Không có tổ chức đảng mã CS01 (tính đến ngày 01/01/1900). CS01 (Chi bộ Ban Dân tộc, trực thuộc "
                 "Đảng ủy Khối các cơ quan tỉnh) thành lập ngày 01/01/2020: hãy xem từ ngày đó trở đi.",
                 id="org-before-founding"),
    pytest.param(["demo", "{file}", "--scale", "0"], "usage", "phải lớn hơn 0", id="scale-zero"),
    pytest.param(["demo", "{file}", "--scale", "nhiều"], "usage", "không phải số nguyên", id="scale-text"),
    pytest.param(["stats"], "usage", "Thiếu tham số", id="missing-argument"),
    pytest.param(["stats", "{file}", "--bogus"], "usage", "Tham số không hợp lệ", id="unknown-option"),
    # A usage refusal says what was meant and where the command's usage is (it only said what was wrong).
    pytest.param(["stats", "{file}", "--asof", "2026-01-01"], "usage",
                 "Tham số không hợp lệ: --asof 2026-01-01. Có phải «--as-of»? Xem cách dùng: khoi-desktop stats "
                 "--help.",
                 id="option-typo"),
    pytest.param(["bakup", "{file}"], "usage", "Có phải «backup»? Xem các lệnh: khoi-desktop --help.",
                 id="command-typo"),
    pytest.param(["export", "{file}", "member", "-o", "x.xlsx"], "usage",
                 "Có phải «members»? Xem cách dùng: khoi-desktop export --help.", id="choice-typo"),
    pytest.param(["backup", "{file}"], "usage", "Thiếu tham số bắt buộc: --to. Xem cách dùng: khoi-desktop backup "
                 "--help.", id="missing-option"),
    pytest.param(["orgs", "{file}", "--as-of", "2026/01/05"], "usage",
                 "ngày «2026/01/05» không hợp lệ: ngày ghi dạng YYYY-MM-DD (năm-tháng-ngày), ngày 05/01/2026 thì ghi "
                 "2026-01-05. Xem cách dùng", id="year-first-date"),
]


def _argv(template: list[str], file: Path) -> list[str]:
    return [part.format(file=file, missing=file.with_name("khong-co.db")) for part in template]


@pytest.mark.parametrize(("template", "error_code", "fragment"), REFUSALS)
def test_refusal_text(capsys: pytest.CaptureFixture[str], office: Path, template: list[str], error_code: str,
                      fragment: str) -> None:
    before = sha256(office)
    code, out, err = run(capsys, *_argv(template, office))
    assert code == 2
    assert out == ""
    assert fragment in err
    assert len(err.strip().splitlines()) == 1  # one clear line
    assert "Traceback" not in err
    if error_code == "org_not_found" and "hãy ghi mã" not in err and "trở đi" not in err:
        assert f"Xem mã các tổ chức: khoi-desktop orgs {office}" in err, err
    assert sha256(office) == before
    assert not office.with_name("khong-co.db").exists()


@pytest.mark.parametrize(("template", "error_code", "fragment"), REFUSALS)
def test_refusal_json(capsys: pytest.CaptureFixture[str], office: Path, template: list[str], error_code: str,
                      fragment: str) -> None:
    before = sha256(office)
    code, out, err = run(capsys, *_argv(template, office), "--json")
    assert code == 2
    data = json.loads(out)
    assert data["ok"] is False
    assert [set(e) for e in data["errors"]] == [{"code", "message"}]
    assert data["errors"][0]["code"] == error_code
    assert fragment in data["errors"][0]["message"]
    assert sha256(office) == before


@pytest.mark.parametrize("content", [b"PK\x03\x04" + b"\x00" * 4092, b"Ho va ten;Ngay sinh\n", b"%PDF-1.4\n" * 64],
                         ids=["xlsx", "text", "pdf"])
def test_another_kind_of_file_in_place_of_the_office_is_not_asked_to_sign_in(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path, content: bytes) -> None:
    """Arguments swapped («import-members ds.xlsx office.db»), or the wrong file picked: it is no database at all,
    not an encrypted office that wants a sign-in and its key file."""
    other = tmp_path / "ds.xlsx"
    other.write_bytes(content)
    for argv in (["stats", other], ["import-members", other, office, "--org", "CS01"]):
        code, out, err = run(capsys, *argv, "--json")
        assert code == 2
        (error,) = json.loads(out)["errors"]
        assert error == {"code": "database", "message": "Tệp ds.xlsx không phải tệp dữ liệu của phần mềm (không đọc "
                         "được như một cơ sở dữ liệu SQLite: tệp khác, hoặc tệp bị hỏng)."}
    assert other.read_bytes() == content and not other.with_name("ds.xlsx.keys").exists()


def test_demo_refuses_an_existing_file(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    pytest.importorskip("khoi_desktop.core.demo")
    before = sha256(office)
    code, out, err = run(capsys, "demo", office)
    assert code == 2
    assert "đã có" in err and "không ghi đè" in err
    code, out, _ = run(capsys, "demo", office, "--json")
    assert code == 2
    assert json.loads(out)["errors"][0]["code"] == "file_exists"
    assert sha256(office) == before


def test_newer_file_is_refused(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    conn = sqlite3.connect(office)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    before = sha256(office)
    code, out, err = run(capsys, "stats", office)
    assert code == 2
    assert "phiên bản mới hơn" in err
    assert sha256(office) == before


def test_unexpected_fault_exits_1_without_traceback(capsys: pytest.CaptureFixture[str], office: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(_args: object) -> cli.Output:
        raise RuntimeError("hỏng bất ngờ")

    monkeypatch.setitem(cli.COMMANDS, "stats", boom)
    code, out, err = run(capsys, "stats", office)
    assert code == 1
    assert out == ""
    assert "Lỗi không mong đợi" in err and "Traceback" not in err
    code, out, err = run(capsys, "stats", office, "--json")
    assert code == 1
    assert json.loads(out)["errors"][0]["code"] == "fault"
    assert "Traceback" not in out


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("khoi-desktop ")
    code, out, _ = run(capsys, "stats", "--help")
    assert code == 0 and "--as-of" in out


def test_every_argument_of_every_command_says_in_its_help_what_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    """`committee --help` showed «org» and a bare «--as-of NGÀY», `submit --help` «--number NUMBER --subject
    SUBJECT», `users role` «role»: nothing said what to write there."""
    import argparse

    from khoi_desktop.cli.main import build_parser

    silent: list[str] = []
    english: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}".strip())
            elif action.help is None:
                silent.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
            elif action.metavar is None and action.nargs != 0 and not action.choices:
                english.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
            elif isinstance(action.metavar, str) and any(w in action.metavar for w in ("FILE", "NUMBER", "SUBJECT",
                                                                                    "MEMBERS", "MEETING")):
                english.append(f"{path} {action.metavar}")

    walk(build_parser(), "")
    assert silent == [] and english == []
    code, out, _ = run(capsys, "committee", "--help")
    assert code == 0 and "TỆP MÃ" in out and "--as-of NGÀY  tính đến ngày (YYYY-MM-DD), mặc định hôm nay" in out


# --- the real entry point ----------------------------------------------------------------------

def test_python_dash_m_entry_point(office: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}  # the program must switch to UTF-8 itself
    result = subprocess.run(
        [sys.executable, "-m", "khoi_desktop", "stats", str(office), "--as-of", DAY, "--json"],
        capture_output=True, env=env, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert json.loads(result.stdout.decode("utf-8"))["members"] == 43
    refused = subprocess.run(
        [sys.executable, "-m", "khoi_desktop", "stats", str(tmp_path / "khong-co.db")],
        capture_output=True, env=env, timeout=120, check=False,
    )
    assert refused.returncode == 2
    assert "Không tìm thấy tệp" in refused.stderr.decode("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux machine without a display")
def test_the_window_on_a_machine_without_display_says_so_in_vietnamese(tmp_path: Path) -> None:
    """No DISPLAY, no WAYLAND_DISPLAY, no QT_QPA_PLATFORM: a clear Vietnamese line and exit 2, not Qt's English
    abort (exit 134); nothing is created."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    target = tmp_path / "office.db"
    result = subprocess.run([sys.executable, "-m", "khoi_desktop", "--db", str(target)], capture_output=True,
                            env=env, timeout=120, check=False)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert "không có màn hình đồ họa" in err and "QT_QPA_PLATFORM=offscreen" in err
    assert "qt.qpa" not in err and "Aborted" not in err
    assert not target.exists()


# --- demo --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """`demo FILE --json` once for the module (scale 1, seed 1): the file and what it printed."""
    pytest.importorskip("khoi_desktop.core.demo")
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out):
        mp.setenv("KHOI_DESKTOP_HOME", str(path.parent / "home"))  # module scope: before the autouse fixture
        code = main(["demo", str(path), "--json"])
    assert code == 0, out.getvalue()
    yield path, json.loads(out.getvalue())


@pytest.fixture
def demo_file(demo_run: tuple[Path, dict[str, Any]]) -> Path:
    return demo_run[0]


def test_demo_json_output(demo_run: tuple[Path, dict[str, Any]]) -> None:
    path, data = demo_run
    assert data["ok"] is True and data["path"] == str(path)
    assert STATS_KEYS <= set(data)
    assert (data["tccsd"], data["members"]) == (73, 5356)


def test_demo_stats(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    data = run_json(capsys, *signed_in(demo_file), "stats", demo_file)
    assert set(data) == STATS_KEYS
    assert {k: data[k] for k in ("tccsd", "dang_bo_co_so", "chi_bo_co_so", "chi_bo_truc_thuoc", "members")} == {
        "tccsd": 73, "dang_bo_co_so": 42, "chi_bo_co_so": 31, "chi_bo_truc_thuoc": 350, "members": 5356,
    }
    assert 0 < data["probationary"] < data["members"]


def test_demo_check_flags_every_chi_bo_over_30(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    orgs = run_json(capsys, *signed_in(demo_file), "orgs", demo_file)["orgs"]
    expected = {row["code"]: row["members"] for row in orgs
                if row["status"] == "active" and row["kind"] in ("chi_bo_truc_thuoc", "chi_bo_co_so")
                and row["members"] > 30}
    findings = run_json(capsys, *signed_in(demo_file), "check", demo_file)["findings"]
    assert all(set(f) == FINDING_KEYS for f in findings)
    flagged = {f["org"]: f["members"] for f in findings if f["rule"] == "chi_bo_over_30"}
    assert expected  # the demo office has such chi bộ
    assert flagged == expected


def test_demo_check_text_lists_errors_then_warnings_then_notes(capsys: pytest.CaptureFixture[str],
                                                               demo_file: Path) -> None:
    code, out, _ = run(capsys, *signed_in(demo_file), "check", demo_file)
    rank = {"[LỖI]": 0, "[CẢNH BÁO]": 1, "[LƯU Ý]": 2}
    ranks = [rank[line[:line.index("]") + 1]] for line in out.splitlines()[:-1]]
    assert code == 0 and ranks == sorted(ranks) and len(set(ranks)) == 3
    assert " lỗi, " in out.splitlines()[-1] and " lưu ý; tính đến ngày " in out.splitlines()[-1]


def test_demo_members_of_each_org_match_orgs(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    orgs = [row for row in run_json(capsys, *signed_in(demo_file), "orgs", demo_file)["orgs"]
            if row["status"] == "active"]
    assert all(set(row) == ORG_KEYS for row in orgs)
    by_kind: dict[str, dict[str, Any]] = {}
    for row in orgs:
        by_kind.setdefault(row["kind"], row)  # one of each kind present
    for row in by_kind.values():
        members = run_json(capsys, *signed_in(demo_file), "members", demo_file, "--org", row["code"])["members"]
        assert len(members) == row["members"], row
        assert all(set(m) == MEMBER_KEYS for m in members)
    everyone = run_json(capsys, *signed_in(demo_file), "members", demo_file)["members"]
    assert len(everyone) == 5356
    assert sum(row["members"] for row in orgs if row["parent"] is None) == 5356


def test_demo_history_differs_in_the_past(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    now = run_json(capsys, *signed_in(demo_file), "stats", demo_file)
    past = run_json(capsys, *signed_in(demo_file), "stats", demo_file, "--as-of", "2018-01-01")
    assert past["as_of"] == "2018-01-01"
    assert {k: past[k] for k in STATS_KEYS - {"as_of"}} != {k: now[k] for k in STATS_KEYS - {"as_of"}}
