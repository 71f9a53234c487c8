"""Backups attacked: a broken foreign key, plaintext left in the temporary folder, a decompression bomb, a
forged manifest, a busy audit trail, a killed restore's leftovers, a folder as restore target."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import tracemalloc
import zlib
from pathlib import Path

import pytest
from attack_support import Cli

from khoi_desktop.core.backup import container, errors
from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.backup.reader import verify_backup
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import open_database

PASSPHRASE_FILE_TEXT = "mật khẩu đủ dài"


def _backup(office: Path, folder: Path, passphrase: str | None = None) -> Path:
    db = open_database(office)
    try:
        return create_backup(db, folder, actor="x", kind="manual", passphrase=passphrase).path
    finally:
        db.close()


def test_a_broken_foreign_key_gives_no_backup(office: Path, tmp_path: Path, cli: Cli) -> None:
    conn = sqlite3.connect(office)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE memberships SET org_id = 99999 WHERE id = (SELECT min(id) FROM memberships)")
    conn.commit()
    conn.close()
    code, out, err = cli("backup", office, "--to", tmp_path / "bk", "--json")
    assert code == 2, out + err
    assert json.loads(out)["errors"][0]["code"] == errors.UNHEALTHY
    assert not list((tmp_path / "bk").glob("*.khoibak"))


def test_no_plaintext_copy_is_written_to_the_temporary_folder(office: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill or a power cut leaves a temporary folder as it is: here none is ever removed."""
    system_temp = tmp_path / "TEMP"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))

    class Kept:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.name = tempfile.mkdtemp(*args, **kwargs)  # type: ignore[arg-type]

        def __enter__(self) -> str:
            return self.name

        def __exit__(self, *exc: object) -> None:
            pass  # killed: nothing cleans up

        def cleanup(self) -> None:
            pass

    monkeypatch.setattr(tempfile, "TemporaryDirectory", Kept)
    path = _backup(office, tmp_path / "bk", PASSPHRASE_FILE_TEXT)
    verify_backup(path, PASSPHRASE_FILE_TEXT)
    leaked = [p for p in system_temp.rglob("*") if p.is_file() and p.read_bytes()[:16] == b"SQLite format 3\x00"]
    assert leaked == []


def _craft(path: Path, manifest: dict[str, object], compressed: bytes) -> Path:
    payload = container.join_payload(json.dumps(manifest).encode("utf-8"), compressed)
    path.write_bytes(container.pack(payload))
    return path


def _manifest_of(path: Path) -> tuple[dict[str, object], bytes]:
    _header, payload = container.unpack(path.read_bytes(), path.name, None)
    manifest, compressed = container.split_payload(payload, path.name)
    return json.loads(manifest), compressed


def test_a_decompression_bomb_is_refused_without_inflating_it(office: Path, tmp_path: Path) -> None:
    manifest, _compressed = _manifest_of(_backup(office, tmp_path / "bk"))
    size = 512 * 1024**2
    packer = zlib.compressobj(9)
    zeros = bytes(16 * 1024**2)
    compressed = b"".join(packer.compress(zeros) for _ in range(size // len(zeros))) + packer.flush()
    manifest.update(content_size=size, compression="zlib", content_sha256="0" * 64)
    bomb = _craft(tmp_path / "bomb.khoibak", manifest, compressed)
    del compressed
    tracemalloc.start()
    try:
        with pytest.raises(BackupError) as caught:
            verify_backup(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == errors.DAMAGED
    assert peak < 64 * 1024**2, f"{peak / 1024**2:.0f} MB"


def test_manifest_counts_are_checked_against_the_content(office: Path, tmp_path: Path) -> None:
    manifest, compressed = _manifest_of(_backup(office, tmp_path / "bk"))
    manifest["counts"] = {"organizations": 425, "members": 999_999, "decisions": -5}
    forged = _craft(tmp_path / "forged.khoibak", manifest, compressed)
    with pytest.raises(BackupError) as caught:
        verify_backup(forged)
    assert caught.value.code == errors.DAMAGED and "bảng kê" in caught.value.message
    with pytest.raises(BackupError):
        restore_backup(forged, tmp_path / "restored.db", actor="x")
    assert not (tmp_path / "restored.db").exists()


def test_a_backup_taken_while_another_writer_holds_the_lock_is_reported_done(office: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import khoi_desktop.core.engines.sqlite as sqlite_engine

    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_MS", 300)
    db = open_database(office)
    other = sqlite3.connect(office, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE members SET job_title = 'Đang sửa' WHERE id = 1")
        result = create_backup(db, tmp_path / "bk", actor="x", kind="manual")
        other.execute("ROLLBACK")
    finally:
        other.close()
        db.close()
    assert result.path.exists()
    assert verify_backup(result.path).manifest.members == result.manifest.members


def test_a_killed_restore_leaves_nothing_at_the_next_start(office: Path, tmp_path: Path) -> None:
    backup = _backup(office, tmp_path / "bk")
    target = tmp_path / "data" / "khoi.db"
    target.parent.mkdir()
    leftover = target.with_name(f"{target.name}.khoi-phuc-20260101-101010.tmp")
    leftover.write_bytes(office.read_bytes())  # a full plaintext copy, as a kill leaves it
    target.with_name(leftover.name + "-wal").write_bytes(b"x")
    restore_backup(backup, target, actor="x")
    assert not leftover.exists() and not target.with_name(leftover.name + "-wal").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == ["khoi.db"]


def test_restore_into_a_folder_is_refused_clearly(office: Path, tmp_path: Path, cli: Cli) -> None:
    backup = _backup(office, tmp_path / "bk")
    folder = tmp_path / "folder"
    folder.mkdir()
    code, out, err = cli("restore", backup, "--to", folder)
    assert code == 2, out + err
    assert "thư mục" in err
    assert list(folder.iterdir()) == []


def test_a_short_passphrase_is_refused_on_the_command_line(office: Path, tmp_path: Path, cli: Cli) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text("a\n", encoding="utf-8")
    code, out, err = cli("backup", office, "--to", tmp_path / "bk", "--passphrase-file", secret)
    assert code == 2 and "8 ký tự" in err, out + err
    assert not (tmp_path / "bk").exists() or not list((tmp_path / "bk").iterdir())
