"""Restore: rows come back, the current data is kept as a safety copy, bad backups change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from backup_support import backup, craft, seed
from sqlalchemy import func, select

from factories import add_member
from khoi_desktop.core.audit import first_broken_entry
from khoi_desktop.core.backup import errors, storage
from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.storage import StorageKind
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.models import AuditEntry, Decision, Member, Organization

LATER = dt.datetime(2025, 3, 6, 8, 0, 0)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(path: Path) -> tuple[int, int, int]:
    db = open_database(path)
    try:
        with db.reading() as s:
            return (s.scalar(select(func.count()).select_from(Organization)) or 0,
                    s.scalar(select(func.count()).select_from(Member)) or 0,
                    s.scalar(select(func.count()).select_from(Decision)) or 0)
    finally:
        db.close()


def folder_listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


@pytest.fixture
def live(db: Database, tmp_path: Path) -> tuple[Path, Path]:
    """(live file, closed, with one member more than its backup; the backup)."""
    seed(db)
    made = backup(db, tmp_path / "bk")
    with db.writing() as s:
        add_member(s, "Lê Văn Mới", None, code="DV-MOI")
    db.close()
    return db.path, made


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_round_trip_restores_rows_and_keeps_a_safety_copy(live: tuple[Path, Path]) -> None:
    path, made = live
    assert counts(path) == (2, 6, 1)
    result = restore_backup(made, path, actor="thư ký", now=LATER)
    assert result.target == path and result.migrated_from is None
    assert result.safety_copy == path.with_name("t.truoc-khoi-phuc-20250306-080000.db")
    assert counts(path) == (2, 5, 1)
    assert counts(result.safety_copy) == (2, 6, 1)  # the data before the restore, intact
    db = open_database(path)
    try:
        with db.reading() as s:
            huong = s.scalars(select(Member).where(Member.code == "DV-HUONG")).one()
            assert huong.full_name == "Nguyễn Thị Hương"
            assert s.scalar(select(func.count()).where(Member.code == "DV-MOI")) == 0
            last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
            assert last is not None and (last.action, last.actor, last.target) == ("restore", "thư ký", str(made))
            assert str(result.safety_copy) in (last.after or "")
            assert first_broken_entry(s) is None
    finally:
        db.close()
    assert not path.with_name("t.db-wal").exists()
    assert not [n for n in folder_listing(path.parent) if ".tmp" in n or "khoi-phuc-" in n and "truoc" not in n]


def test_restore_into_a_new_file_needs_no_safety_copy(live: tuple[Path, Path], tmp_path: Path) -> None:
    _path, made = live
    target = tmp_path / "moi" / "khoi.db"
    result = restore_backup(made, target, actor="x")
    assert result.safety_copy is None and counts(target) == (2, 5, 1)


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_stale_wal_of_the_current_file_is_folded_in_first(live: tuple[Path, Path]) -> None:
    path, made = live
    db = open_database(path)
    with db.writing() as s:
        add_member(s, "Phạm Thị Cuối", None, code="DV-CUOI")
    # Leave a -wal behind as a crash would (copy the files before the last connection checkpoints).
    wal = path.with_name("t.db-wal")
    assert wal.exists() and wal.stat().st_size > 0
    saved = {p: p.read_bytes() for p in (path, wal)}
    db.close()
    for p, data in saved.items():
        p.write_bytes(data)
    result = restore_backup(made, path, actor="x", now=LATER)
    assert result.safety_copy is not None and counts(result.safety_copy) == (2, 7, 1)  # nothing lost
    assert not wal.exists() and counts(path) == (2, 5, 1)


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_restore_refuses_while_the_file_is_open_elsewhere(live: tuple[Path, Path]) -> None:
    path, made = live
    before = sha256(path)
    other = open_database(path)
    with other.reading() as s:
        s.scalar(select(func.count()).select_from(Member))  # a pooled connection stays open
    try:
        with pytest.raises(BackupError) as caught:
            restore_backup(made, path, actor="x", now=LATER)
        assert caught.value.code == errors.IN_USE and "đang được mở" in caught.value.message
    finally:
        other.close()
    assert sha256(path) == before and counts(path) == (2, 6, 1)


def _corrupt(made: Path) -> None:
    data = bytearray(made.read_bytes())
    data[len(data) // 2] ^= 0xFF
    made.write_bytes(bytes(data))


def _truncate(made: Path) -> None:
    made.write_bytes(made.read_bytes()[:-300])


def _png(made: Path) -> None:
    made.write_bytes(bytes.fromhex("89504e470d0a1a0a") + b"\x00" * 200)


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
@pytest.mark.parametrize(("spoil", "code"), [(_corrupt, errors.DAMAGED), (_truncate, errors.DAMAGED),
                                             (_png, errors.FOREIGN)], ids=["flipped", "truncated", "png"])
def test_bad_backups_leave_the_current_file_untouched(live: tuple[Path, Path], spoil, code: str) -> None:  # type: ignore[no-untyped-def]
    path, made = live
    spoil(made)
    before, listing = sha256(path), folder_listing(path.parent)
    with pytest.raises(BackupError) as caught:
        restore_backup(made, path, actor="x", now=LATER)
    assert caught.value.code == code
    assert sha256(path) == before and folder_listing(path.parent) == listing


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_wrong_passphrase_leaves_the_current_file_untouched(db: Database, tmp_path: Path) -> None:
    seed(db)
    made = backup(db, tmp_path / "bk", passphrase="đúng mật khẩu")
    db.close()
    before = sha256(db.path)
    with pytest.raises(BackupError) as caught:
        restore_backup(made, db.path, actor="x", passphrase="sai mật khẩu")
    assert caught.value.code == errors.WRONG_PASSPHRASE
    assert sha256(db.path) == before
    assert restore_backup(made, db.path, actor="x", passphrase="đúng mật khẩu").safety_copy is not None


def _newer(content_path: Path) -> bytes:
    conn = sqlite3.connect(content_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_tuong_lai'")
    conn.commit()
    conn.close()
    return content_path.read_bytes()


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
@pytest.mark.parametrize("content_too", [False, True], ids=["manifest-claims", "manifest-and-content"])
def test_newer_schema_is_refused_and_the_live_bytes_stay(live: tuple[Path, Path], tmp_path: Path,
                                                         content_too: bool) -> None:
    path, made = live
    from khoi_desktop.core.backup.reader import open_backup

    snap = tmp_path / "snap.db"
    snap.write_bytes(open_backup(made).content)
    content = _newer(snap) if content_too else snap.read_bytes()
    crafted = craft(tmp_path, content, schema_revision="9999_tuong_lai")
    before, listing = sha256(path), folder_listing(path.parent)
    with pytest.raises(BackupError) as caught:
        restore_backup(crafted, path, actor="x", now=LATER)
    assert caught.value.code == errors.NEWER and "phiên bản mới hơn" in caught.value.message
    assert sha256(path) == before and folder_listing(path.parent) == listing


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_live_database_is_refused_on_removable_or_network_storage(monkeypatch: pytest.MonkeyPatch,
                                                                  live: tuple[Path, Path]) -> None:
    path, made = live
    for kind, words in ((StorageKind.REMOVABLE, "ổ di động"), (StorageKind.NETWORK, "ổ mạng")):
        monkeypatch.setattr(storage, "probe", lambda _p, kind=kind: kind)
        with pytest.raises(DatabaseError) as opened:
            open_database(path)
        assert words in opened.value.message and opened.value.code == "unsafe_location"
        with pytest.raises(DatabaseError):
            restore_backup(made, path, actor="x")
    monkeypatch.setattr(storage, "probe", lambda _p: StorageKind.LOCAL)
    open_database(path).close()


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_older_backup_is_migrated_in_the_temporary_file(live: tuple[Path, Path], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup from the current version restored by a newer app (one more migration)."""
    import shutil
    import textwrap

    from khoi_desktop.core import db as db_module
    from khoi_desktop.core.db import schema_head

    path, made = live
    old_head = schema_head()
    newer = tmp_path / "migrations"
    shutil.copytree(db_module.MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_test_extra.py").write_text(textwrap.dedent(f"""\
        import sqlalchemy as sa
        from alembic import op

        revision = "9999test"
        down_revision = {old_head!r}
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            with op.batch_alter_table("members") as batch_op:
                batch_op.add_column(sa.Column("test_note", sa.String(20), nullable=True))


        def downgrade() -> None:
            pass
        """), encoding="utf-8")
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", newer)
    open_database(path).close()  # the live file is migrated by the newer app first
    listing = folder_listing(path.parent)
    result = restore_backup(made, path, actor="x", now=LATER)
    assert result.migrated_from == old_head
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999test",)
        assert conn.execute("SELECT count(*), count(test_note) FROM members").fetchone() == (5, 0)
    finally:
        conn.close()
    assert folder_listing(path.parent) == listing | {result.safety_copy.name}  # type: ignore[union-attr]
