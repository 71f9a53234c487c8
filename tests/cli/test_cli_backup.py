"""backup / verify / restore on the command line: exit codes 0 and 2, JSON, nothing changed on refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from factories import add_member, add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core.audit import os_user
from khoi_desktop.core.backup.rotation import backup_name
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import AuditEntry, Member, OrgKind


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str | Path, expect: int = 0) -> dict[str, Any]:
    code, out, err = run(capsys, *argv, "--json")
    assert code == expect, (out, err)
    return json.loads(out)


def members(path: Path) -> list[str]:
    db = open_database(path)
    try:
        with db.reading() as s:
            return sorted(m.full_name for m in s.scalars(select(Member)))
    finally:
        db.close()


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        cb = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cb, 3)
        add_member(s, "Nguyễn Thị Ánh", cb, code="DV-ANH")
    db.close()
    return path


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "mat-khau.txt"
    path.write_text("\ufeffMật khẩu sao lưu 2025  \ndòng thứ hai bị bỏ qua\n", encoding="utf-8")
    return path


def test_backup_prints_the_path_and_verify_accepts_it(capsys: pytest.CaptureFixture[str], office: Path,
                                                      tmp_path: Path) -> None:
    code, out, err = run(capsys, "backup", office, "--to", tmp_path / "bk")
    assert code == 0 and err.startswith("Đã tạo thư mục mới")  # bk was new
    path = Path(out.strip())
    assert path.parent == tmp_path / "bk" and path.name.startswith("van-phong-") and path.exists()
    code, out, err = run(capsys, "verify", path)
    assert code == 0 and "hợp lệ" in out and "1 tổ chức, 4 đảng viên, 0 quyết định" in out
    db = open_database(office)
    with db.reading() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "backup")).one()
    db.close()
    assert entry.actor == os_user() and entry.target == str(path)


def test_backup_makes_a_new_folder_only_inside_one_that_exists_and_says_so(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    before = sha256(office)
    for typo in (tmp_path / "SaoLu" / "2026", tmp_path / "khong-co" / "a" / "b"):  # a typo, or the USB stick out
        code, out, err = run(capsys, "backup", office, "--to", typo)
        assert (code, out) == (2, "") and f"Không có thư mục {typo.parent} để tạo thư mục sao lưu" in err, err
        assert "Chưa sao lưu gì" in err and not typo.parent.exists()
        data = run_json(capsys, "backup", office, "--to", typo, expect=2)
        assert data["errors"][0]["code"] == "no_directory" and not typo.parent.exists()
    assert sha256(office) == before  # no audit entry either
    code, out, err = run(capsys, "backup", office, "--to", tmp_path / "Thang12")
    assert code == 0 and Path(out.strip()).parent == tmp_path / "Thang12"
    assert err == f"Đã tạo thư mục mới {tmp_path / 'Thang12'} (trước đó chưa có) để chứa bản sao lưu.\n"
    code, out, err = run(capsys, "backup", office, "--to", tmp_path / "Thang12")
    assert code == 0 and err == ""
    assert run_json(capsys, "backup", office, "--to", tmp_path / "Thang12")["created_folder"] is None
    assert run_json(capsys, "backup", office, "--to", tmp_path / "Moi")["created_folder"] == str(tmp_path / "Moi")


def test_backup_json(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    data = run_json(capsys, "backup", office, "--to", tmp_path / "bk")
    assert data["ok"] is True and Path(data["path"]).is_file() and data["encrypted"] is False
    assert data["manifest"]["counts"] == {"organizations": 1, "members": 4, "decisions": 0, "issued": 0, "drafts": 0,
                                              "recorded": 0}
    verified = run_json(capsys, "verify", data["path"])
    assert verified["ok"] is True and verified["manifest"] == data["manifest"]


def test_an_ansi_or_folder_passphrase_file_is_refused_in_vietnamese(capsys: pytest.CaptureFixture[str],
                                                                     office: Path, tmp_path: Path) -> None:
    ansi = tmp_path / "mk-ansi.txt"
    ansi.write_bytes("Phòng Tài chính\n".encode("cp1252"))  # Notepad's "ANSI"
    for path, words in ((ansi, "không phải văn bản UTF-8"), (tmp_path, "là thư mục")):
        code, out, err = run(capsys, "backup", office, "--to", tmp_path / "bk", "--passphrase-file", path)
        assert code == 2 and words in err and "codec" not in err and "Errno" not in err, err


def test_a_passphrase_file_saved_by_notepad_as_unicode_is_read(capsys: pytest.CaptureFixture[str], office: Path,
                                                               tmp_path: Path) -> None:
    utf16 = tmp_path / "mk-unicode.txt"
    utf16.write_text("Mật khẩu sao lưu 2025\r\n", encoding="utf-16")  # Notepad's "Unicode", CRLF
    utf8 = tmp_path / "mk-utf8.txt"
    utf8.write_text("Mật khẩu sao lưu 2025\n", encoding="utf-8")
    data = run_json(capsys, "backup", office, "--to", tmp_path / "bk", "--passphrase-file", utf16)
    assert data["encrypted"] is True
    assert run_json(capsys, "verify", data["path"], "--passphrase-file", utf8)["ok"] is True


def test_encrypted_backup_with_a_passphrase_file(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path,
                                                 passphrase_file: Path) -> None:
    data = run_json(capsys, "backup", office, "--to", tmp_path / "bk", "--passphrase-file", passphrase_file)
    assert data["encrypted"] is True
    assert run_json(capsys, "verify", data["path"], "--passphrase-file", passphrase_file)["ok"] is True
    wrong = tmp_path / "sai.txt"
    wrong.write_text("mật khẩu khác\n", encoding="utf-8")
    refused = run_json(capsys, "verify", data["path"], "--passphrase-file", wrong, expect=2)
    assert refused["ok"] is False and refused["errors"][0]["code"] == "wrong_passphrase"
    code, out, err = run(capsys, "verify", data["path"])
    assert code == 2 and out == "" and "mã hóa" in err
    code, _out, err = run(capsys, "verify", data["path"], "--passphrase-file", tmp_path / "khong-co.txt")
    assert code == 2 and "Không tìm thấy tệp mật khẩu" in err


def test_verify_refuses_damaged_and_foreign_files(capsys: pytest.CaptureFixture[str], office: Path,
                                                  tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = Path(run_json(capsys, "backup", office, "--to", tmp_path / "bk")["path"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))
    code, out, err = run(capsys, "verify", path)
    assert code == 2 and out == "" and "bị hỏng" in err
    assert "verify refused" in caplog.text and "bị hỏng" in caplog.text  # scheduled tasks have no console
    assert run_json(capsys, "verify", path, expect=2)["errors"][0]["code"] == "backup_damaged"
    code, _out, err = run(capsys, "verify", office)
    assert code == 2 and "không phải bản sao lưu" in err
    code, _out, err = run(capsys, "verify", tmp_path / "khong-co.khoibak")
    assert code == 2 and "Không tìm thấy" in err


def test_restore_keeps_the_existing_file_as_a_safety_copy(capsys: pytest.CaptureFixture[str], office: Path,
                                                          tmp_path: Path) -> None:
    path = run_json(capsys, "backup", office, "--to", tmp_path / "bk")["path"]
    original = members(office)
    db = open_database(office)
    with db.writing() as s:
        add_member(s, "Trần Văn Sau", None, code="DV-SAU")
    db.close()
    data = run_json(capsys, "restore", path, "--to", office)
    assert data["ok"] is True and data["path"] == str(office.resolve())
    safety = Path(data["safety_copy"])
    assert safety.parent == office.parent and safety.name.startswith("van-phong.truoc-khoi-phuc-")
    assert members(office) == original and "Nguyễn Thị Ánh" in original
    assert "Trần Văn Sau" in members(safety)
    code, out, err = run(capsys, "restore", path, "--to", tmp_path / "moi.db")
    assert code == 0 and err == "" and "Đã khôi phục" in out and "bản an toàn" not in out


def test_restore_refusals_change_nothing(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path,
                                         passphrase_file: Path) -> None:
    path = Path(run_json(capsys, "backup", office, "--to", tmp_path / "bk", "--passphrase-file",
                         passphrase_file)["path"])
    wrong = tmp_path / "sai.txt"
    wrong.write_text("không đúng", encoding="utf-8")
    before, listing = sha256(office), sorted(p.name for p in office.parent.iterdir())
    assert run_json(capsys, "restore", path, "--to", office, "--passphrase-file", wrong,
                    expect=2)["errors"][0]["code"] == "wrong_passphrase"
    path.write_bytes(path.read_bytes()[:-50])
    code, out, err = run(capsys, "restore", path, "--to", office, "--passphrase-file", passphrase_file)
    assert code == 2 and out == "" and "bị hỏng" in err
    assert sha256(office) == before and sorted(p.name for p in office.parent.iterdir()) == listing


def test_a_folder_or_a_document_name_in_place_of_a_file_is_refused(capsys: pytest.CaptureFixture[str], office: Path,
                                                                    tmp_path: Path) -> None:
    backup = Path(run_json(capsys, "backup", office, "--to", tmp_path / "bk")["path"])
    before = sorted(p.name for p in tmp_path.iterdir())
    for target in ("ds.xlsx", "qd.pdf", "bk.khoibak"):  # arguments swapped, or a workbook's name
        data = run_json(capsys, "restore", backup, "--to", tmp_path / target, expect=2)
        assert data["errors"][0]["code"] == "bad_file_name", data
        assert f"Tên tệp {target} là của một loại tài liệu khác" in data["errors"][0]["message"]
    for argv in (["verify", tmp_path / "bk"], ["restore", tmp_path / "bk", "--to", tmp_path / "moi.db"]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and f"{tmp_path / 'bk'} là một thư mục: hãy chỉ tệp sao lưu" in err, err
        assert "Is a directory" not in err and "Errno" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    code, out, err = run(capsys, "demo", tmp_path / "mau.xlsx")
    assert code == 2 and "Tên tệp mau.xlsx là của một loại tài liệu khác" in err and "ví dụ mau.db" in err
    assert not (tmp_path / "mau.xlsx").exists()


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    code, _out, err = run(capsys, "backup", office)
    assert code == 2 and "--to" in err
    code, _out, err = run(capsys, "backup", tmp_path / "khong-co.db", "--to", tmp_path)
    assert code == 2 and "Không tìm thấy" in err
    code, _out, err = run(capsys, "restore", tmp_path / "x.khoibak")
    assert code == 2 and "--to" in err


def test_backup_rotate_keeps_the_policy(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    old = [dt.datetime(2020, 1, 1, 9) + dt.timedelta(days=i) for i in range(40)]
    for when in old:
        (folder / backup_name("van-phong", when)).write_bytes(b"")
    data = run_json(capsys, "backup", office, "--to", folder, "--rotate")
    remaining = {p.name for p in folder.iterdir()}
    assert Path(data["path"]).name in remaining and len(data["rotated"]) == 40 + 1 - len(remaining)
    # the new backup + the newest of the old days up to 12 days, 10 weeks and 9 months in all
    assert 12 <= len(remaining) <= 12 + 10 + 9
    assert not any(name.startswith("van-phong-20200101") for name in remaining)


def test_restore_makes_a_new_folder_only_inside_one_that_exists_and_says_so(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    """As `backup --to`: «restore … --to E:\\DuLieu\\khoi.db» with the USB stick out made E:\\DuLieu silently
    (any depth) and restored there; a typo'd path made a whole tree."""
    path = run_json(capsys, "backup", office, "--to", tmp_path / "bk")["path"]
    for typo in (tmp_path / "DuLieuu" / "2026" / "khoi.db", tmp_path / "khong-co" / "a" / "b" / "khoi.db"):
        code, out, err = run(capsys, "restore", path, "--to", typo)
        assert (code, out) == (2, "") and f"Không có thư mục {typo.parent.parent} để tạo thư mục" in err, err
        assert "Chưa ghi gì" in err and not typo.parent.parent.exists()
        data = run_json(capsys, "restore", path, "--to", typo, expect=2)
        assert data["errors"][0]["code"] == "no_directory" and not typo.parent.parent.exists()
    code, out, err = run(capsys, "restore", path, "--to", tmp_path / "Moi" / "khoi.db")
    assert code == 0 and (tmp_path / "Moi" / "khoi.db").is_file() and "Đã khôi phục" in out
    assert err == f"Đã tạo thư mục mới {tmp_path / 'Moi'} (trước đó chưa có) để chứa tệp dữ liệu khôi phục.\n"
    data = run_json(capsys, "restore", path, "--to", tmp_path / "Moi2" / "khoi.db")
    assert data["created_folder"] == str(tmp_path / "Moi2")
    assert run_json(capsys, "restore", path, "--to", tmp_path / "Moi2" / "khac.db")["created_folder"] is None


def test_restore_counts_the_restored_office_as_stats_does(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """README step 7 compares the restore's numbers with `stats`: an ended organization and a departed member are
    rows of the backup, not counted by stats. The restore said «2 tổ chức, 5 đảng viên» beside stats' 1 and 3."""
    from factories import end_org

    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        cb = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cb, 3, probationary=1)
        gone = add_org(s, "CB02", "Chi bộ Đã giải thể", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Lê Văn Cũ", gone, code="DV-CU")
        end_org(s, gone, dt.date(2024, 1, 1))
        departed = add_member(s, "Trần Văn Đi", cb, code="DV-DI")
        for membership in departed.memberships:
            membership.valid_to = dt.date(2024, 6, 1)
    db.close()
    stats = run_json(capsys, "stats", path)
    assert (stats["tccsd"], stats["members"], stats["probationary"]) == (1, 3, 1)
    made = run_json(capsys, "backup", path, "--to", tmp_path / "bk")["path"]
    code, out, err = run(capsys, "restore", made, "--to", tmp_path / "lai.db")
    assert code == 0, err
    counted = run(capsys, "stats", tmp_path / "lai.db")[1].strip()  # «Tính đến ngày …: 1 TCCSĐ (…), … đảng viên …»
    assert counted.split(": ", 1)[1] in out, (out, counted)
    assert "(cách đếm của lệnh stats)" in out and "1 TCCSĐ" in out and "3 đảng viên (1 dự bị)" in out
    assert "Bản sao lưu có 2 tổ chức và 5 đảng viên trong hồ sơ, kể cả tổ chức đã giải thể" in out
    assert "2 tổ chức, 5 đảng viên" not in out  # the rows no longer stand as the office's numbers
    data = run_json(capsys, "restore", made, "--to", tmp_path / "lai2.db")
    assert data["stats"] == {key: value for key, value in stats.items()}
    assert data["manifest"]["counts"]["organizations"] == 2 and data["manifest"]["counts"]["members"] == 5
