"""The command line as a new user meets it: a folder where a file is expected, mistyped values, the JSON shapes of
refusals (shared CLI.md). Each test runs the real `main` with the arguments a person types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from khoi_desktop.__main__ import main
from khoi_desktop.core.db import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(part) for part in argv])
    out, err = capsys.readouterr()
    return code, out, err


def refusal(capsys: pytest.CaptureFixture[str], *argv: object) -> dict[str, Any]:
    """The one error of a refused `--json` command (exit 2, nothing on stderr)."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == 2, (out, err)
    data = json.loads(out)
    assert data["ok"] is False and len(data["errors"]) == 1, data
    return dict(data["errors"][0])


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """An empty office file (no account: nothing to sign in), in a folder of its own."""
    path = tmp_path / "van-phong" / "khoi.db"
    path.parent.mkdir()
    open_database(path, create=True).close()
    return path


# --- a folder given where a file is expected --------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["stats", "{folder}"], ["orgs", "{folder}"], ["members", "{folder}"], ["check", "{folder}"],
    ["decisions", "{folder}"], ["verify-audit", "{folder}"], ["backup", "{folder}", "--to", "{out}"],
    ["pdf", "{folder}", "1", "-o", "{out}/qd.pdf"], ["meetings", "{folder}", "status", "--month", "2026-10"],
    ["exchange", "{folder}", "status"], ["users", "{folder}", "list"],
    # These said «disk i/o error» (encrypt) or «Không tìm thấy tệp» of a folder that is there.
    ["encrypt", "{folder}"], ["recovery-key", "{folder}"],
    ["migrate-to-server", "{folder}", "postgresql://khoi@localhost/khoi"],
], ids=lambda command: command[0] + ("-" + command[2] if command[0] in {"meetings", "exchange", "users"} else ""))
def test_a_folder_given_as_the_database_is_said_to_be_a_folder(capsys: pytest.CaptureFixture[str], office: Path,
                                                               tmp_path: Path, command: list[str]) -> None:
    """`stats D:\\KhoiData` said «Không tìm thấy tệp cơ sở dữ liệu: D:\\KhoiData»: the folder is there. It is
    said to be a folder, with the database file it holds to give instead."""
    folder = office.parent
    argv = [part.format(folder=folder, out=tmp_path / "ra") for part in command]
    error = refusal(capsys, *argv)
    assert error == {"code": "is_directory", "message": f"{folder} là một thư mục, không phải tệp cơ sở dữ liệu: hãy "
                     f"ghi cả tên tệp, ví dụ {office} (tệp .db có trong thư mục này)."}
    code, out, err = run(capsys, *argv)
    assert (code, out, err.strip()) == (2, "", error["message"])
    assert not (tmp_path / "ra").exists()


def test_a_folder_without_a_database_names_an_example_and_one_with_several_lists_them(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert refusal(capsys, "stats", tmp_path)["message"] == (
        f"{tmp_path} là một thư mục, không phải tệp cơ sở dữ liệu: hãy ghi cả tên tệp, ví dụ {tmp_path / 'khoi.db'}.")
    for name in ("b.db", "a.db", "ghi-chu.txt"):
        (tmp_path / name).write_bytes(b"")
    assert refusal(capsys, "stats", tmp_path)["message"].endswith(
        "hãy ghi cả tên tệp, trong thư mục này có: a.db, b.db.")


@pytest.mark.parametrize(("command", "what"), [
    (["apply", "{office}", "{folder}"], "tệp yêu cầu (JSON)"),
    (["meetings", "{office}", "record", "{folder}"], "tệp JSON"),
    (["import-members", "{office}", "{folder}", "--org", "CS01"], "bảng tính Excel"),
    (["ratings", "{office}", "import", "{folder}", "--year", "2025"], "bảng tính Excel"),
    (["meetings", "{office}", "import", "{folder}"], "bảng tính Excel"),
    (["exchange", "{office}", "import", "{folder}"], "tệp gói trao đổi"),  # said «Is a directory»
], ids=lambda value: value[0] + ("-" + value[2] if value[0] in {"meetings", "ratings", "exchange"} else "")
    if isinstance(value, list) else "")
def test_a_folder_given_as_an_input_file_is_said_to_be_a_folder(capsys: pytest.CaptureFixture[str], office: Path,
                                                                tmp_path: Path, command: list[str], what: str) -> None:
    folder = tmp_path / "tai-lieu"
    folder.mkdir()
    error = refusal(capsys, *[part.format(office=office, folder=folder) for part in command])
    assert error["code"] == "is_directory"
    assert error["message"].startswith(f"{folder} là một thư mục, không phải {what}: hãy ghi cả tên tệp, ví dụ ")


def _help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv, "--help")
    assert code == 0 and err == "", (argv, err)
    return out


def test_every_help_page_reads_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    """`exchange TỆP export --help` showed «-o OUT.khoipkg», `meetings … status` «-o OUT.xlsx», `discard`
    «(decisions FILE liệt kê)»: English placeholders among Vietnamese ones (TỆP, MÃ, NGÀY)."""
    import re

    top = _help_of(capsys)
    commands = re.findall(r"^    ([a-z-]+)", top, flags=re.MULTILINE)
    assert len(commands) > 30
    pages = {(command,): _help_of(capsys, command) for command in commands}
    for (command,), page in list(pages.items()):
        section = page.split("Tùy chọn:")[0]
        for sub in re.findall(r"^    ([a-z-]+)", section, flags=re.MULTILINE):
            pages[(command, sub)] = _help_of(capsys, command, "TỆP", sub)
    assert len(pages) > 50
    english = re.compile(r"\b(FILE|OUT|STARTER|DIR|PATH|CODE|DATE|usage|options|positional|default)\b")
    found = {" ".join(argv): english.findall(page) for argv, page in pages.items() if english.search(page)}
    assert found == {}


def test_issuing_a_grassroots_decision_says_how_to_record_it(capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path) -> None:
    """A split of a chi bộ trực thuộc is its đảng ủy's decision: `apply --issue` (and `issue` of its draft) said
    «chỉ ghi nhận khi quyết định đã được ký, với số, ngày ký và người ký», not where a command line gives them."""
    import datetime as dt

    from factories import add_members, add_org
    from khoi_desktop.core.models import OrgKind, Term
    from khoi_desktop.core.settings import OfficeSettings, save_settings

    office = tmp_path / "khoi.db"
    db = open_database(office, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        codes = [m.code for m in add_members(s, add_org(s, "CB11", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC,
                                                        parent=db01), 8)]
    db.close()
    request = tmp_path / "tach.json"
    request.write_text(json.dumps({"action": "split", "org": "CB11", "issuer": "DB01", "keep_source": False, "into": [
        {"name": "Chi bộ Một", "members": codes[:4]}, {"name": "Chi bộ Hai", "members": codes[4:]}]},
        ensure_ascii=False), encoding="utf-8")
    error = refusal(capsys, "apply", office, request, "--issue")
    assert error["code"] == "not_recorded"
    assert error["message"].endswith(
        'Trên dòng lệnh: thêm vào tệp yêu cầu "recorded": {"number": "05-QĐ/ĐU", "signed_on": "YYYY-MM-DD", '
        '"signer": "Họ tên người ký"} rồi chạy lại với --issue; không có --issue thì chỉ lập dự thảo để gửi cấp ủy '
        "đó. Chưa có gì thay đổi.")
    code, out, _ = run(capsys, "apply", office, request, "--json")
    assert code == 0
    draft = json.loads(out)["decision"]["id"]
    error = refusal(capsys, "issue", office, draft)
    assert error["code"] == "not_recorded" and error["message"].endswith(
        f"rồi hủy dự thảo này: khoi-desktop discard {office} {draft}. Chưa có gì thay đổi.")


@pytest.mark.parametrize(("argv", "said"), [
    # A file given twice said only «Tham số không hợp lệ: khoi.db».
    (["stats", "{office}", "{office}"], "«{office}» được ghi hai lần: lệnh stats chỉ nhận mỗi tệp một lần."),
    (["backup", "{office}", "--to", "{out}", "{office}"], "«{office}» được ghi hai lần: lệnh backup chỉ nhận"),
    # Python's quotes ('26') in a Vietnamese sentence.
    (["ratings", "{office}", "summary", "--year", "26"], "Tham số --year: năm «26» không đúng dạng YYYY (ví dụ 2025)."),
    (["demo", "{out}/moi.db", "--scale", "nhiều"], "Tham số --scale: «nhiều» không phải số nguyên."),
    (["meetings", "{office}", "status", "--month", "2026-13"], "Tham số --month: tháng «2026-13» không có"),
    (["stats", "{office}", "--as-of", "2026-13-01"], "ngày «2026-13-01» không hợp lệ: không có tháng 13."),
    (["export", "{office}", "member", "-o", "{out}/x.xlsx"],
     "Tham số LOẠI: không có lựa chọn «member» (chọn một trong: «members», «organizations», "),
    (["bakup", "{office}"], "Có phải «backup»? Xem các lệnh: khoi-desktop --help."),
    # `exchange --help` lists the subcommands only, not the --org that was missing.
    (["exchange", "{office}", "enroll", "-o", "{out}/goi.khoipkg", "--passphrase-file", "{out}/mk.txt"],
     "Thiếu tham số bắt buộc: --org. Xem cách dùng: khoi-desktop exchange TỆP enroll --help."),
    # A subcommand's option mistyped: the hint looked only at the command's own options.
    (["meetings", "{office}", "status", "--month", "2026-10", "--orgg", "CS01"],
     "Có phải «--org»? Xem cách dùng: khoi-desktop meetings TỆP status --help."),
])
def test_mistyped_arguments_are_said_plainly(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path,
                                             argv: list[str], said: str) -> None:
    values = {"office": office, "out": tmp_path}
    error = refusal(capsys, *[part.format(**values) for part in argv])
    assert error["code"] == "usage" and said.format(**values) in error["message"], error


def test_a_database_given_as_a_backup_says_how_to_use_it_on_the_command_line(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    """`restore khoi.db --to …` and `verify khoi.db` said «hãy mở bằng «Mở tệp dữ liệu…»», a menu of the window."""
    for argv in (["verify", office], ["restore", office, "--to", tmp_path / "moi.db"]):
        error = refusal(capsys, *argv)
        assert error["message"] == (
            "Tệp khoi.db không phải bản sao lưu của phần mềm này. Đây là một tệp cơ sở dữ liệu SQLite: không cần khôi "
            "phục, hãy dùng thẳng tệp đó (trong cửa sổ phần mềm: «Mở tệp dữ liệu…»; trên dòng lệnh: ghi khoi.db ở chỗ "
            "TỆP của lệnh, ví dụ khoi-desktop stats khoi.db)."), error
    assert not (tmp_path / "moi.db").exists()


def test_restoring_into_a_folder_that_cannot_be_written_is_refused_in_words(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only folder (a locked USB stick) for `restore --to`: «Lỗi không mong đợi: PermissionError: [Errno 13]
    Permission denied: '…khoi-phuc-….tmp'», exit 1. Now a refusal in Vietnamese, exit 2, nothing left behind."""
    import errno

    code, out, _ = run(capsys, "backup", office, "--to", tmp_path / "sao-luu", "--json")
    assert code == 0
    backup = Path(json.loads(out)["path"])
    target = tmp_path / "usb" / "khoi.db"
    target.parent.mkdir()

    def read_only(self: Path, data: bytes) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", read_only)
    error = refusal(capsys, "restore", backup, "--to", target)
    assert error == {"code": "write_failed", "message": f"Không khôi phục được vào {target.parent}: không có quyền ghi "
                     "(thư mục chỉ cho đọc, hoặc tệp đang mở trong một chương trình khác). Dữ liệu hiện tại không bị "
                     "thay đổi."}
    assert list(target.parent.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder nobody can write, even root: Linux /proc")
@pytest.mark.parametrize("command", [["demo"], ["init", "--admin", "quantri", "--password-file", "{password}",
                                                "--secretary", "Lê Văn Bí", "--unencrypted"]])
def test_a_new_office_in_a_folder_that_cannot_be_written_is_refused_in_words(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]) -> None:
    """`demo`/`init` into a folder that cannot be written said «(lỗi ổ đĩa: unable to open database file)»: SQLite's
    English, and no disk error."""
    password = tmp_path / "mk.txt"
    password.write_text("mat-khau-qt-1\n", encoding="utf-8")
    argv = [command[0], "/proc/khoi-moi.db", *(part.format(password=password) for part in command[1:])]
    error = refusal(capsys, *argv)
    assert error == {"code": "io_error", "message": "Tệp dữ liệu khoi-moi.db không mở hoặc tạo được: thư mục chứa "
                     "tệp không có, chỉ cho đọc hoặc không có quyền ghi (ổ USB bị khóa ghi, thư mục của người khác?). "
                     "Không có gì bị thay đổi; hãy chọn thư mục ghi được rồi thử lại."}
