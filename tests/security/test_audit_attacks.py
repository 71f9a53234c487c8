"""The audit trail attacked with a database tool (issue 23, item 3): the tail deleted and the anchor rewritten in
one statement, everything wiped, a member and an issued decision edited by SQL. Each is reported by
`verify-audit`: by the anchor's seal (with the database key), by the newest backup's anchor, or by `--deep`;
a change the app made is not."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from attack_support import Cli, write_json

from khoi_desktop.core.audit import ANCHOR_KEY, record, seal_anchor, verify_trail
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.settings import read_setting

DATABASE_KEY = bytes(range(32))  # what an account's key slot unwraps (core/keyslots)
TAIL_AND_ANCHOR = (  # one statement, no hashing: the attack
    "DELETE FROM audit_entries WHERE id > 2; "
    "UPDATE settings SET value = (SELECT json_object('last_id', id, 'last_hash', hash, 'count', 2) "
    "FROM audit_entries WHERE id = 2) WHERE key = 'audit_anchor';")
FOUND = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Kiểm tra sâu", "parent": None,
         "members": ["DV003830", "DV003839", "DV003842"], "consent_reason": "Cấp trên đồng ý"}
WIPE = "DELETE FROM audit_rows; DELETE FROM audit_entries; DELETE FROM settings WHERE key = 'audit_anchor';"


def sql(path: Path, script: str) -> None:
    """A change made with a database tool (the sqlite3 shell leaves foreign keys off)."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(script)
    finally:
        conn.close()


def opened(path: Path, key: bytes | None = DATABASE_KEY) -> Database:
    db = open_database(path)
    db.key = key
    return db


@pytest.fixture
def sealed_office(office: Path) -> Path:
    """The demo office once its file has a database key: the anchor sealed, then a few entries of work."""
    db = opened(office)
    try:
        with db.writing() as session:
            seal_anchor(session)
        for i in range(3):
            with db.writing() as session:
                record(session, actor="vanthu", action="settings.office", target=f"lần {i}")
    finally:
        db.close()
    return office


def check(path: Path, key: bytes | None = DATABASE_KEY) -> Any:
    db = opened(path, key)
    try:
        with db.reading() as session:
            return verify_trail(session)
    finally:
        db.close()


def verify(cli: Cli, path: Path, *extra: object, expect: int) -> dict[str, Any]:
    code, out, err = cli("verify-audit", path, *extra, "--json")
    assert code == expect, (out, err)
    return json.loads(out)  # type: ignore[no-any-return]


def work(path: Path, times: int = 3) -> None:
    """Entries the app writes as clerks work."""
    db = opened(path, None)
    try:
        for i in range(times):
            with db.writing() as session:
                record(session, actor="vanthu", action="settings.office", target=f"lần {i}")
    finally:
        db.close()


def backup_into(path: Path, folder: Path) -> Path:
    db = opened(path, None)
    try:
        return create_backup(db, folder, actor="vanthu", kind="manual").path
    finally:
        db.close()


def test_the_sealed_trail_is_intact(sealed_office: Path) -> None:
    result = check(sealed_office)
    assert result.ok and result.intact and result.sealed is True
    assert "nguyên vẹn" in result.summary and "niêm phong" in result.summary


def test_tail_deletion_with_the_anchor_copied_is_reported_by_the_seal(sealed_office: Path) -> None:
    sql(sealed_office, TAIL_AND_ANCHOR)
    result = check(sealed_office)
    assert not result.ok and result.reason == "seal" and result.broken_id == 3
    assert "không có dấu niêm phong" in result.message
    # The app writing again does not launder it: the loss stays on record, sealed.
    db = opened(sealed_office)
    try:
        with db.writing() as session:
            record(session, actor="vanthu", action="settings.office")
    finally:
        db.close()
    assert check(sealed_office).reason == "anchor"


def test_copying_an_old_seal_into_a_rewritten_anchor_is_reported(sealed_office: Path) -> None:
    sql(sealed_office, "UPDATE settings SET value = json_set(value, '$.last_id', 2, '$.count', 2) "
                       "WHERE key = 'audit_anchor'; DELETE FROM audit_entries WHERE id > 2;")
    result = check(sealed_office)
    assert result.reason == "seal" and "không khớp dấu niêm phong" in result.message


def test_without_the_key_the_seal_is_not_claimed(sealed_office: Path, cli: Cli) -> None:
    """A plain file (no account unlocked it): nothing broken is found, and nothing is called intact."""
    result = check(sealed_office, key=None)
    assert result.ok and result.sealed is None and not result.intact
    data = verify(cli, sealed_office, expect=0)
    assert data["ok"] is True and data["intact"] is False and data["sealed"] is None
    code, out, _err = cli("verify-audit", sealed_office)
    assert code == 0 and "Chưa khẳng định được nhật ký nguyên vẹn" in out and "niêm phong" in out
    assert "Nhật ký thay đổi nguyên vẹn" not in out


def test_a_plain_file_is_said_to_be_unencrypted_not_locked(sealed_office: Path, cli: Cli) -> None:
    """A plain file is never unlocked: verify-audit says it is not encrypted, so its anchor cannot be sealed,
    and points to `encrypt` (it used to say the file was not unlocked with an account)."""
    code, out, _err = cli("verify-audit", sealed_office)
    assert code == 0 and "tệp dữ liệu không được mã hóa" in out and "khoi-desktop encrypt" in out
    assert "chưa được mở khóa" not in out
    assert check(sealed_office, key=None).unsealed == "plain"


def test_a_wipe_of_every_entry_and_the_anchor_is_reported_by_the_seal(sealed_office: Path) -> None:
    sql(sealed_office, WIPE)
    result = check(sealed_office)
    assert not result.ok and result.reason == "wiped" and result.entries == 0


def test_a_wipe_is_reported_without_a_key_by_the_data_left(office: Path, cli: Cli) -> None:
    sql(office, WIPE)
    data = verify(cli, office, expect=2)
    assert data["broken"]["reason"] == "wiped"
    assert "nguyên vẹn: 0 mục" not in json.dumps(data, ensure_ascii=False)


def test_tail_deletion_is_reported_against_the_newest_backup(office: Path, tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "sao-luu"
    work(office)
    backup = backup_into(office, folder)
    sql(office, TAIL_AND_ANCHOR)
    data = verify(cli, office, "--backups", folder, expect=2)
    assert data["backup"]["status"] == "truncated" and data["backup"]["path"] == str(backup)
    assert data["errors"][0]["code"] == "backup_truncated"
    assert "ngắn hơn bản sao lưu mới nhất" in data["errors"][0]["message"]


def test_a_wipe_is_reported_against_the_newest_backup(office: Path, tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "sao-luu"
    backup_into(office, folder)
    sql(office, WIPE)
    data = verify(cli, office, "--backups", folder, expect=2)
    assert data["backup"]["status"] == "wiped"
    assert any(e["code"] == "backup_wiped" for e in data["errors"])


def test_the_configured_backup_folder_is_the_one_compared(office: Path, tmp_path: Path, cli: Cli) -> None:
    from khoi_desktop.core.backup.settings import BackupSettings, save_backup_settings

    folder = tmp_path / "thu-muc-cai-dat"
    db = opened(office, None)
    try:
        with db.writing() as session:
            save_backup_settings(session, BackupSettings(folder=str(folder)))
    finally:
        db.close()
    work(office)
    backup_into(office, folder)
    sql(office, TAIL_AND_ANCHOR)
    assert verify(cli, office, expect=2)["backup"]["status"] == "truncated"


def test_an_encrypted_backup_carries_the_sealed_anchor_readable_without_its_passphrase(sealed_office: Path,
                                                                                     tmp_path: Path) -> None:
    from khoi_desktop.core.backup.reader import inspect_backup, verify_backup

    db = opened(sealed_office)
    try:
        with db.reading() as session:
            live = read_setting(session, ANCHOR_KEY)
        path = create_backup(db, tmp_path / "bk", actor="vanthu", kind="manual", passphrase="mật khẩu đủ dài",
                             kdf_n=2**10).path
    finally:
        db.close()
    info = inspect_backup(path)
    assert info.encrypted and info.manifest is None and info.audit_anchor == live and "seal" in live
    assert verify_backup(path, "mật khẩu đủ dài").manifest.audit_anchor == live


def test_a_backup_with_a_forged_anchor_is_reported(sealed_office: Path, tmp_path: Path) -> None:
    from khoi_desktop.core.audit_backups import FORGED, compare_with_backups

    folder = tmp_path / "bk"
    db = opened(sealed_office)
    try:
        create_backup(db, folder, actor="vanthu", kind="manual")
    finally:
        db.close()
    db = opened(sealed_office, key=bytes(32))  # another file's key: the backup's seal does not hold
    try:
        with db.reading() as session:
            assert compare_with_backups(session, folder, sealed_office.stem).status == FORGED
    finally:
        db.close()


def test_sql_edit_of_a_member_is_reported_by_deep(office: Path, cli: Cli) -> None:
    sql(office, "UPDATE members SET birth_date = '1990-01-01', family_name = 'Lê' WHERE code = 'DV003830'")
    assert verify(cli, office, expect=0)["ok"] is True  # the trail itself is untouched
    data = verify(cli, office, "--deep", expect=2)
    problems = data["deep"]["problems"]
    assert [(p["kind"], p["table"]) for p in problems] == [("changed", "members")]
    assert problems[0]["name"].startswith("đảng viên Lê ") and "(mã DV003830)" in problems[0]["name"]
    assert data["errors"][-1]["code"] == "rows_changed"
    code, _out, err = cli("verify-audit", office, "--deep")
    assert code == 2 and "Đảng viên Lê" in err and "đã bị sửa ngoài ứng dụng" in err


def test_sql_edit_of_an_issued_decisions_text_is_reported_by_deep(office: Path, tmp_path: Path, cli: Cli) -> None:
    code, out, err = cli("apply", office, write_json(tmp_path / "r.json", FOUND), "--issue", "--json")
    assert code == 0, out + err
    number = json.loads(out)["decision"]["code"]
    sql(office, "UPDATE decisions SET content = replace(content, 'Kiểm tra sâu', 'Kiểm tra khác'), "
                f"subject = replace(subject, 'Kiểm tra sâu', 'Kiểm tra khác') WHERE code = '{number}'")
    problems = verify(cli, office, "--deep", expect=2)["deep"]["problems"]
    assert [(p["kind"], p["table"]) for p in problems] == [("changed", "decisions")]
    assert problems[0]["name"].startswith(f"quyết định số {number} (") and "Kiểm tra khác" in problems[0]["name"]


def test_rows_added_or_deleted_outside_the_app_are_named(office: Path, cli: Cli) -> None:
    sql(office, "INSERT INTO memberships (member_id, org_id, valid_from) SELECT member_id, org_id, '2026-05-01' "
                "FROM memberships WHERE valid_to IS NULL LIMIT 1; "
                "DELETE FROM committee_seats WHERE id = (SELECT max(id) FROM committee_seats);")
    kinds = {(p["kind"], p["table"]) for p in verify(cli, office, "--deep", expect=2)["deep"]["problems"]}
    assert kinds == {("added", "memberships"), ("deleted", "committee_seats")}


def test_changes_made_by_the_app_are_not_reported(office: Path, tmp_path: Path, cli: Cli) -> None:
    code, out, err = cli("apply", office, write_json(tmp_path / "r.json", FOUND), "--issue", "--json")
    assert code == 0, out + err  # an organization founded, three members moved, a decision issued
    folder = tmp_path / "sao-luu"
    backup_into(office, folder)
    work(office, 1)
    data = verify(cli, office, "--deep", "--backups", folder, expect=0)
    assert data["ok"] is True and data["deep"]["problems"] == [] and data["deep"]["rows"] > 5000
    assert data["backup"]["status"] == "extends"


def test_a_restore_of_an_older_backup_is_not_taken_for_truncation(office: Path, tmp_path: Path, cli: Cli) -> None:
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.backup.restore import restore_backup

    folder = tmp_path / "sao-luu"
    older = backup_into(office, folder)
    work(office)
    backup_into(office, folder)
    restore_backup(older, office, actor="vanthu", user=CurrentUser("admin", "Quản trị", Role.QUAN_TRI))
    data = verify(cli, office, "--deep", "--backups", folder, expect=0)
    assert data["backup"]["status"] == "replaced" and data["deep"]["problems"] == []


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Any:
    import time

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
@pytest.mark.skipif(os.name == "nt", reason="time.tzset")
def test_new_entries_are_stored_in_utc_with_the_offset_shown(db: Database, zone: Any, cli: Cli) -> None:
    import datetime as dt

    zone("Etc/GMT-12")  # UTC+12
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with db.writing() as session:
        record(session, actor="vanthu", action="settings.office")
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    conn = sqlite3.connect(db.path)
    at, offset = conn.execute("SELECT at, at_offset FROM audit_entries").fetchone()
    conn.close()
    assert before <= dt.datetime.fromisoformat(at) <= after and offset == 720
    zone("UTC")
    entry = verify_json_entries(cli, db.path)[0]
    assert entry["at"].endswith("+12:00")
    assert check(db.path, key=None).ok


def verify_json_entries(cli: Cli, path: Path) -> list[dict[str, Any]]:
    code, out, err = cli("audit", path, "--json")
    assert code == 0, out + err
    return json.loads(out)["entries"]  # type: ignore[no-any-return]
