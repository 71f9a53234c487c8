"""verify-audit (exit 2 naming the first broken entry), audit listing and Excel export, and account
administration on the command line, signed in as the file's administrator (the operating-system user is
recorded next to the account)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, Type
from openpyxl import load_workbook
from sqlalchemy import select

from factories import add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core.audit import os_user, record
from khoi_desktop.core.auth import accounts, passwords
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import AuditEntry, OrgKind
from signin_support import signed_in


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                              type=Type.ID))


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """`argv` is COMMAND FILE …: run signed in as the office's administrator."""
    code = main([*signed_in(Path(argv[1]), "admin", "mat-khau-1"), *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str | Path, expect: int = 0) -> dict[str, Any]:
    code, out, err = run(capsys, *argv, "--json")
    assert code == expect, (out, err)
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        cb = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cb, 3)
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
        record(s, actor="vanthu", action="decision.issue", target="01-QĐ/ĐUK", after={"subject": "Chi bộ Văn phòng"})
        record(s, actor="vanthu", action="backup", target="D:/SaoLuu/a.khoibak")
    db.close()
    return path


def raw(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement)
    conn.close()


def test_verify_audit_finds_nothing_broken(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    """A plain file (no database key): nothing broken, and no seal to check: the file is said to be unencrypted."""
    data = run_json(capsys, "verify-audit", office)
    assert {k: data[k] for k in ("ok", "intact", "entries", "sealed")} == {
        "ok": True, "intact": False, "entries": 3, "sealed": None}
    assert data["backup"]["status"] == "none" and "deep" not in data
    assert run_json(capsys, "verify-audit", office, "--deep")["deep"]["problems"] == []
    code, out, _ = run(capsys, "verify-audit", office)
    assert code == 0 and "3 mục, chuỗi mã băm và mốc kiểm tra khớp" in out
    assert "tệp dữ liệu không được mã hóa" in out and "không có dấu niêm phong" in out


@pytest.mark.parametrize(("statement", "broken", "reason"), [
    ("UPDATE audit_entries SET actor = 'ai_do' WHERE id = 2", 2, "edited"),
    ("DELETE FROM audit_entries WHERE id = 2", 3, "deleted"),
    ("DELETE FROM audit_entries WHERE id = 3", 3, "deleted_last"),
    ("INSERT INTO audit_entries (id, at, actor, action, prev_hash, hash) "
     "VALUES (4, '2026-01-01 00:00:00', 'x', 'y', 'a', 'b')", 4, "edited"),
])
def test_verify_audit_names_the_first_broken_entry(capsys: pytest.CaptureFixture[str], office: Path,
                                                   statement: str, broken: int, reason: str) -> None:
    raw(office, statement)
    data = run_json(capsys, "verify-audit", office, expect=2)
    assert data["ok"] is False and data["broken"] == {"id": broken, "reason": reason}
    assert data["errors"][0]["code"] == "audit_broken" and f"#{broken}" in data["errors"][0]["message"]
    code, out, err = run(capsys, "verify-audit", office)
    assert code == 2 and out == "" and err.startswith("Nhật ký thay đổi không còn nguyên vẹn.")
    assert f"#{broken}" in err


def test_audit_filters_and_exports(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    rows = run_json(capsys, "audit", office)["entries"]
    assert [r["action"] for r in rows] == ["backup", "decision.issue", "user.create"]
    assert [r["action"] for r in run_json(capsys, "audit", office, "--user", "vanthu")["entries"]] == [
        "backup", "decision.issue"]
    assert [r["target"] for r in run_json(capsys, "audit", office, "--org", "CB01")["entries"]] == ["01-QĐ/ĐUK"]
    assert run_json(capsys, "audit", office, "--from", "2000-01-01", "--to", "2000-12-31")["entries"] == []
    out = tmp_path / "nhat-ky.xlsx"
    data = run_json(capsys, "audit", office, "--action", "backup", "-o", out)
    assert data["xlsx"] == str(out)
    sheet = load_workbook(out).active
    assert sheet is not None
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "NHẬT KÝ THAY ĐỔI DỮ LIỆU" in values and "Sao lưu" in values and "D:/SaoLuu/a.khoibak" in values
    assert "Ban hành quyết định" not in values


def test_users_administration_runs_as_the_signed_in_administrator(capsys: pytest.CaptureFixture[str], office: Path,
                                                  tmp_path: Path) -> None:
    secret = tmp_path / "mk.txt"
    secret.write_text("mat-khau-moi\n", encoding="utf-8")
    created = run_json(capsys, "users", office, "add", "vanthu", "--name", "Lê Thị Văn Thư", "--role", "chuyen_vien",
                       "--password-file", secret)
    assert created["user"]["role"] == "chuyen_vien"
    assert [u["username"] for u in run_json(capsys, "users", office, "list")["users"]] == ["admin", "vanthu"]
    assert run_json(capsys, "users", office, "role", "vanthu", "chi_xem")["user"]["role"] == "chi_xem"
    # A role typed as its label reads («Chuyên viên», as `users list` shows it) was refused in English.
    assert run_json(capsys, "users", office, "role", "vanthu", "Chuyên viên")["user"]["role"] == "chuyen_vien"
    code = main(["users", str(office), "role", "vanthu", "giám đốc"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("Tham số VAI_TRÒ: không có lựa chọn «giám đốc» (chọn một trong:"), err
    assert run_json(capsys, "users", office, "role", "vanthu", "chi xem")["user"]["role"] == "chi_xem"
    assert run_json(capsys, "users", office, "disable", "vanthu")["user"]["active"] is False
    assert run_json(capsys, "users", office, "enable", "vanthu")["user"]["active"] is True
    run_json(capsys, "users", office, "reset", "admin", "--password-file", secret)
    db = open_database(office)
    try:
        assert accounts.authenticate(db, "admin", "mat-khau-moi").username == "admin"
        with db.reading() as s:
            entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action.like("user.%"),
                                                              AuditEntry.id > 3)))
    finally:
        db.close()
    assert {(e.actor, e.os_user) for e in entries} == {("admin", os_user())} and len(entries) == 7


def test_users_refusals_exit_2(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    errors = run_json(capsys, "users", office, "role", "admin", "chi_xem", expect=2)["errors"]
    assert errors[0]["code"] == "last_admin"
    errors = run_json(capsys, "users", office, "disable", "khong-co", expect=2)["errors"]
    assert errors[0]["code"] == "user_not_found"


def test_verify_audit_on_an_encrypted_file_checks_the_seal(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    """Signed in, the file's key is at hand: the anchor's seal is checked and the trail is said intact."""
    from khoi_desktop.core.keyslots.convert import encrypt_file
    from khoi_desktop.core.keyslots.registry import forget_key
    from signin_support import signed_in

    encrypt_file(office, "admin", "mat-khau-1")
    forget_key(office)
    data = run_json(capsys, *signed_in(office, "admin", "mat-khau-1"), "verify-audit", office, "--deep")
    assert (data["ok"], data["intact"], data["sealed"]) == (True, True, True)
    assert data["deep"]["problems"] == []
    code, out, _ = run(capsys, *signed_in(office, "admin", "mat-khau-1"), "verify-audit", office)
    assert code == 0 and "Nhật ký thay đổi nguyên vẹn" in out and "niêm phong" in out


def test_verify_audit_finds_the_backups_where_backup_put_them(capsys: pytest.CaptureFixture[str], office: Path,
                                                              tmp_path: Path) -> None:
    """The scheduled task's `backup FILE --to D:\\SaoLuu` sets no backup folder: verify-audit looked only in the
    data folder's backups, found none and passed a trail rewritten since. It now also looks where the backups the
    trail records went (a trail cut back past those entries has lost them: the configured folder or --backups
    covers that); an explicit --backups folder that is not there is refused (it compared with nothing, exit 0)."""
    folder = tmp_path / "usb" / "SaoLuu"
    (tmp_path / "usb").mkdir()
    assert run_json(capsys, "backup", office, "--to", folder)["ok"]
    data = run_json(capsys, "verify-audit", office)
    assert data["backup"]["status"] == "extends" and data["backup"]["path"].startswith(str(folder))
    last = data["backup"]["last_id"]  # the backup's own entry comes after it and is kept
    raw(office, f"UPDATE audit_entries SET hash = 'viet-lai' WHERE id = {last}")
    data = run_json(capsys, "verify-audit", office, expect=2)
    assert data["backup"]["status"] == "diverged" and data["backup"]["path"].startswith(str(folder))
    assert any(e["code"] == "backup_diverged" for e in data["errors"])
    missing = tmp_path / "usb-chua-cam"
    data = run_json(capsys, "verify-audit", office, "--backups", missing, expect=2)
    assert data["errors"][0]["code"] == "no_directory"
    assert f"Không có thư mục sao lưu {missing}: ổ USB chưa cắm" in data["errors"][0]["message"]


def test_verify_audit_without_a_backup_says_how_to_name_their_folder(capsys: pytest.CaptureFixture[str],
                                                                     office: Path) -> None:
    code, out, _ = run(capsys, "verify-audit", office)
    assert code == 0 and "Không có bản sao lưu nào" in out
    assert f"chỉ thư mục ấy bằng khoi-desktop verify-audit {office} --backups THƯ_MỤC" in out
