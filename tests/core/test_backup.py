"""Backup files: manifest, verification, and every kind of bad file told apart clearly."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from backup_support import NOW, backup, craft, seed
from sqlalchemy import select

from khoi_desktop import __version__
from khoi_desktop.core.backup import container, errors
from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.backup.reader import inspect_backup, open_backup, verify_backup
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database, schema_head
from khoi_desktop.core.models import AuditEntry, Member


@pytest.fixture
def seeded(db: Database) -> Database:
    seed(db)
    return db


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_manifest_contents_and_audit_entry(seeded: Database, tmp_path: Path) -> None:
    result = create_backup(seeded, tmp_path / "bk", actor="thư ký", kind="manual", now=NOW)
    assert result.path == tmp_path / "bk" / "t-20250305-143015.khoibak"
    m = result.manifest
    assert (m.app_version, m.schema_revision, m.created_at) == (__version__, schema_head(), NOW)
    assert (m.organizations, m.members, m.decisions) == (2, 5, 1)
    assert m.source_name == "t.db"
    content = open_backup(result.path).content
    assert m.content_sha256 == hashlib.sha256(content).hexdigest() and m.content_size == len(content)
    assert content.startswith(b"SQLite format 3\x00")
    data = m.to_json()
    assert data["counts"] == {"organizations": 2, "members": 5, "decisions": 1, "issued": 1, "drafts": 0, "recorded": 0}
    assert data["created_at"] == "2025-03-05T14:30:15"
    assert inspect_backup(result.path).manifest == m  # readable without decompressing, for the list
    with seeded.reading() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry is not None and (entry.action, entry.actor, entry.target) == ("backup", "thư ký", str(result.path))
    assert '"kind": "manual"' in (entry.after or "")


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_second_backup_in_the_same_second_gets_its_own_name(seeded: Database, tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    first, second = backup(seeded, folder), backup(seeded, folder)
    assert first != second and second.name == "t-20250305-143015-2.khoibak"
    assert {p.name for p in folder.iterdir()} == {first.name, second.name}  # no temporary left


def test_verify_reads_back_the_rows(seeded: Database, tmp_path: Path) -> None:
    opened = verify_backup(backup(seeded, tmp_path))
    snap = tmp_path / "snap.db"
    snap.write_bytes(opened.content)
    conn = sqlite3.connect(snap)
    assert conn.execute("SELECT count(*) FROM members").fetchone() == (5,)
    assert conn.execute("SELECT given_name FROM members WHERE code='DV-HUONG'").fetchone() == ("Hương",)
    conn.close()


def test_encrypted_round_trip_and_passphrase_errors(seeded: Database, tmp_path: Path) -> None:
    path = backup(seeded, tmp_path, passphrase="Mật khẩu dài")
    info = inspect_backup(path)
    assert info.encrypted and info.manifest is None  # the manifest is sealed too
    assert b"DV-HUONG" not in path.read_bytes() and b"t.db" not in path.read_bytes()
    import unicodedata
    assert verify_backup(path, unicodedata.normalize("NFD", "Mật khẩu dài")).manifest.members == 5
    with pytest.raises(BackupError) as wrong:
        verify_backup(path, "mật khẩu dài")
    assert wrong.value.code == errors.WRONG_PASSPHRASE and "Sai mật khẩu" in wrong.value.message
    with pytest.raises(BackupError) as missing:
        verify_backup(path)
    assert missing.value.code == errors.PASSPHRASE_REQUIRED


def test_content_sha256_mismatch_is_damage(tmp_path: Path, seeded: Database) -> None:
    content = open_backup(backup(seeded, tmp_path)).content
    path = craft(tmp_path, content, content_sha256="0" * 64)
    with pytest.raises(BackupError) as caught:
        open_backup(path)
    assert caught.value.code == errors.DAMAGED and "SHA-256" in caught.value.message


@pytest.mark.parametrize("passphrase", [None, "mật khẩu 123"])
@pytest.mark.parametrize("cut", [1, 100, 0.5, 40])
def test_truncated_file_is_damage(seeded: Database, tmp_path: Path, passphrase: str | None, cut: float) -> None:
    path = backup(seeded, tmp_path, passphrase)
    data = path.read_bytes()
    keep = int(len(data) * cut) if isinstance(cut, float) else (len(data) - cut if cut < 40 else cut)
    path.write_bytes(data[:keep])
    with pytest.raises(BackupError) as caught:
        verify_backup(path, passphrase)
    assert caught.value.code == errors.DAMAGED and "bị hỏng" in caught.value.message


@pytest.mark.parametrize("passphrase", [None, "mật khẩu 123"])
@pytest.mark.parametrize("where", [13, 0.3, 0.7, -1])
def test_flipped_byte_is_damage(seeded: Database, tmp_path: Path, passphrase: str | None, where: float) -> None:
    path = backup(seeded, tmp_path, passphrase)
    data = bytearray(path.read_bytes())
    index = int(len(data) * where) if isinstance(where, float) else where
    data[index] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError) as caught:
        verify_backup(path, passphrase)
    assert caught.value.code == errors.DAMAGED  # never mistaken for a wrong passphrase


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


@pytest.mark.parametrize("content", [PNG, b"", b"hello world\n" * 50, b"KHOIBAK"], ids=["png", "empty", "text",
                                                                                        "magic-only"])
def test_foreign_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "anh.khoibak"
    path.write_bytes(content)
    with pytest.raises(BackupError) as caught:
        verify_backup(path)
    expected = errors.DAMAGED if content == b"KHOIBAK" else errors.FOREIGN
    assert caught.value.code == expected


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_plain_sqlite_file_is_foreign_with_a_hint(db: Database) -> None:
    with pytest.raises(BackupError) as caught:
        verify_backup(db.path)
    assert caught.value.code == errors.FOREIGN and "Mở tệp dữ liệu" in caught.value.message


def test_a_container_around_a_foreign_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError) as caught:
        verify_backup(craft(tmp_path, other.read_bytes()))
    assert caught.value.code == errors.FOREIGN


def test_newer_container_format_is_told_apart(seeded: Database, tmp_path: Path) -> None:
    path = backup(seeded, tmp_path)
    data = bytearray(path.read_bytes())
    data[8] = container.FORMAT_VERSION + 1  # format version, written by a newer app: its header digest matches
    end = 12 + int.from_bytes(data[10:12], "big")
    data[end:end + 32] = hashlib.sha256(bytes(data[:end])).digest()
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError) as caught:
        verify_backup(path)
    assert caught.value.code == errors.UNSUPPORTED and "mới hơn" in caught.value.message


def test_a_flipped_version_byte_is_damage_not_a_newer_version(seeded: Database, tmp_path: Path) -> None:
    path = backup(seeded, tmp_path)
    data = bytearray(path.read_bytes())
    data[8] = 2
    path.write_bytes(bytes(data))
    with pytest.raises(BackupError) as caught:
        verify_backup(path)
    assert caught.value.code == errors.DAMAGED and "mới hơn" not in caught.value.message


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_backup_completes_while_another_connection_holds_a_write_transaction(seeded: Database,
                                                                             tmp_path: Path) -> None:
    other = sqlite3.connect(seeded.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE members SET given_name = 'Chưa lưu' WHERE code = 'DV-HUONG'")
    folder = tmp_path / "bk"
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = create_backup(seeded, folder, actor="x", kind="test", now=NOW)
        except Exception as exc:  # pragma: no cover - reported below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    target = folder / "t-20250305-143015.khoibak"
    for _ in range(500):  # the snapshot and the file are done while the write lock is still held
        if target.exists() or not worker.is_alive():
            break
        threading.Event().wait(0.01)
    assert target.exists(), outcome
    other.execute("COMMIT")  # the audit entry then gets its turn
    other.close()
    worker.join(timeout=15)
    assert not worker.is_alive() and "error" not in outcome
    snap = tmp_path / "snap.db"
    snap.write_bytes(verify_backup(target).content)
    conn = sqlite3.connect(snap)
    assert conn.execute("SELECT given_name FROM members WHERE code='DV-HUONG'").fetchone() == ("Hương",)
    conn.close()
    with seeded.reading() as s:
        assert s.scalar(select(Member.given_name).where(Member.code == "DV-HUONG")) == "Chưa lưu"


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_corrupt_database_is_not_backed_up(seeded: Database, tmp_path: Path) -> None:
    seeded.close()
    data = bytearray(seeded.path.read_bytes())
    page = 4096
    for i in range(page * 2, page * 3):
        data[i] = 0x5A
    seeded.path.write_bytes(bytes(data))
    from khoi_desktop.core.backup.writer import build_backup

    with pytest.raises(BackupError) as caught:
        build_backup(seeded.path)
    assert caught.value.code == errors.UNHEALTHY


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_the_checks_read_the_state_the_image_was_copied_from(seeded: Database, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain file is copied and checked in three read transactions: a commit landing while they begin is
    seen by all of them or by none (they are begun again), and the backup holds that one state."""
    from khoi_desktop.core.backup import snapshot

    opened = []
    real = snapshot.connect_file

    def committing(*args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(1)
        if len(opened) == 3:  # the watcher, the first reader, then this commit before the second
            other = sqlite3.connect(seeded.path)
            other.execute("UPDATE members SET given_name = 'Đã đổi' WHERE code = 'DV-HUONG'")
            other.commit()
            other.close()
        return real(*args, **kwargs)

    monkeypatch.setattr(snapshot, "connect_file", committing)
    readers = snapshot.same_snapshot(seeded.path, 3)
    assert readers is not None and len(opened) == 7  # begun twice: the first three saw two states
    sql = "SELECT given_name FROM members WHERE code = 'DV-HUONG'"
    assert [r.execute(sql).fetchone() for r in readers] == [("Đã đổi",)] * 3
    for reader in readers:
        reader.close()
    monkeypatch.setattr(snapshot, "connect_file", real)
    path = create_backup(seeded, tmp_path / "bk", actor="x", kind="test", now=NOW).path
    image = tmp_path / "image.db"
    image.write_bytes(verify_backup(path).content)
    conn = sqlite3.connect(image)
    assert conn.execute(sql).fetchone() == ("Đã đổi",)
    conn.close()
