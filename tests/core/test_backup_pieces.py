"""The cheaper ways a backup is made hold the same bytes as the plain ones: the file read as it is when its -wal
is empty, the container written in pieces, the payload sealed in pieces."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from backup_support import NOW, seed

from khoi_desktop.core.backup import container, crypto
from khoi_desktop.core.backup.reader import verify_backup
from khoi_desktop.core.backup.snapshot import fold_wal, image_of, same_snapshot
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database

SQL = "SELECT given_name FROM members WHERE code = 'DV-HUONG'"


@pytest.fixture
def seeded(db: Database) -> Database:
    seed(db)
    return db


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


@pytest.mark.sqlite_only  # the file's -wal and pages: nothing of the kind on a server
def test_an_empty_wal_gives_the_file_as_it_is(seeded: Database) -> None:
    with seeded.writing() as session:  # something in the -wal
        from sqlalchemy import text

        session.execute(text("UPDATE members SET given_name = 'Mới' WHERE code = 'DV-HUONG'"))
    assert _wal(seeded.path).stat().st_size > 0
    fold_wal(seeded.path)
    assert _wal(seeded.path).stat().st_size == 0
    readers = same_snapshot(seeded.path, 1)
    assert readers is not None
    try:
        content = image_of(readers[0], seeded.path)
        assert content == readers[0].serialize() == seeded.path.read_bytes()
    finally:
        readers[0].close()


@pytest.mark.sqlite_only  # the file's -wal and pages: nothing of the kind on a server
def test_a_commit_after_the_read_began_is_not_in_the_image(seeded: Database, tmp_path: Path) -> None:
    fold_wal(seeded.path)
    readers = same_snapshot(seeded.path, 1)
    assert readers is not None
    other = sqlite3.connect(seeded.path)
    other.execute("UPDATE members SET given_name = 'Sau' WHERE code = 'DV-HUONG'")
    other.commit()
    other.close()
    try:
        content = image_of(readers[0], seeded.path)  # the -wal holds the commit: copied through the pager
    finally:
        readers[0].close()
    image = tmp_path / "image.db"
    image.write_bytes(content)
    conn = sqlite3.connect(image)
    assert conn.execute(SQL).fetchone() == ("Hương",)
    conn.close()


def test_pieces_are_the_container_bytes() -> None:
    payload = [b"manifest", os.urandom(5000), b"", b"tail"]
    keys = crypto.Keys(os.urandom(32), os.urandom(16))
    nonce = os.urandom(crypto.NONCE_BYTES)
    assert b"".join(crypto.seal_parts(keys, nonce, payload, b"aad")) == crypto.seal(keys, nonce, b"".join(payload),
                                                                                     b"aad")
    plain = b"".join(container.pack_parts(payload))
    assert container.unpack(plain, "x", None)[1] == b"".join(payload)
    sealed = b"".join(container.pack_parts(payload, "mat-khau-du-dai", kdf_n=2**4))
    assert container.unpack(sealed, "x", "mat-khau-du-dai")[1] == b"".join(payload)


def test_a_backup_with_an_empty_wal_restores_the_same_rows(seeded: Database, tmp_path: Path) -> None:
    result = create_backup(seeded, tmp_path / "bk", actor="x", kind="manual", now=NOW)
    assert result.size == result.path.stat().st_size
    image = tmp_path / "image.db"
    image.write_bytes(verify_backup(result.path).content)
    conn = sqlite3.connect(image)
    assert conn.execute(SQL).fetchone() == ("Hương",)
    assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    conn.close()


def _page_by_page(data: bytes, key: bytes, page_size: int) -> bytes:
    """SQLCipher 4's decryption as written out in its documentation: each page on its own, AES-256-CBC with
    the IV in its reserve; page 1's salt becomes SQLite's header; reserves zeroed."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    pages = []
    end = page_size - 80
    for start in range(0, len(data), page_size):
        page = data[start:start + page_size]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(page[end:end + 16])).decryptor()
        plain = decryptor.update(page[16 if start == 0 else 0:end]) + decryptor.finalize()
        pages.append((b"SQLite format 3\x00" if start == 0 else b"") + plain + bytes(80))
    image = bytearray(b"".join(pages))
    image[18:20] = b"\x01\x01"
    return bytes(image)


@pytest.mark.parametrize("pieces_of", [1024, 3, 1])
def test_an_encrypted_file_decrypted_in_one_pass_is_decrypted_page_by_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pieces_of: int) -> None:
    """Read and decrypted CHUNK_PAGES pages at a time (the next piece read while one is decrypted): whatever the
    piece, the same bytes as page by page."""
    from khoi_desktop.core.engines import sqlite as engine
    from khoi_desktop.core.engines.sqlite import decrypted_image
    from khoi_desktop.core.keyslots.opening import close, create_encrypted_office
    from khoi_desktop.core.keyslots.registry import key_for

    monkeypatch.setattr(engine, "CHUNK_PAGES", pieces_of)
    path = tmp_path / "office.db"
    new = create_encrypted_office(path, username="quantri", full_name="Trần Quản Trị", password="mat-khau-quan-tri")
    try:
        seed(new.db)
        key = key_for(path)
        assert key is not None
        image = decrypted_image(path, key)
        assert len(image) > 4096 * 3 * 2  # several pieces of 3 pages
        assert bytes(image) == _page_by_page(path.read_bytes(), key, 4096)  # the -wal folded in by the copy
        conn = sqlite3.connect(":memory:")
        conn.deserialize(bytes(image))
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute(SQL).fetchone() == ("Hương",)
        conn.close()
    finally:
        close(new.db)


def test_a_read_failing_halfway_through_an_encrypted_file_fails_its_image(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reading thread's error reaches the caller (it is not left waiting for pieces that never come), and a
    file cut short is refused."""
    from khoi_desktop.core.engines import held_files
    from khoi_desktop.core.engines import sqlite as engine
    from khoi_desktop.core.engines.sqlite import decrypted_image
    from khoi_desktop.core.errors import DatabaseError
    from khoi_desktop.core.keyslots.opening import close, create_encrypted_office
    from khoi_desktop.core.keyslots.registry import key_for

    monkeypatch.setattr(engine, "CHUNK_PAGES", 2)
    path = tmp_path / "office.db"
    new = create_encrypted_office(path, username="quantri", full_name="Trần Quản Trị", password="mat-khau-quan-tri")
    try:
        seed(new.db)
        key = key_for(path)
        assert key is not None
        real_read = held_files.read_at
        calls: list[int] = []

        def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append(1)
            if len(calls) == 3:
                raise OSError(5, "Input/output error")
            return real_read(*args, **kwargs)

        monkeypatch.setattr(held_files, "read_at", failing)
        with pytest.raises(OSError):
            decrypted_image(path, key)

        def short(*args, **kwargs):  # type: ignore[no-untyped-def]
            done = real_read(*args, **kwargs)
            return done - 1 if len(calls) == 5 else done

        calls.clear()
        monkeypatch.setattr(held_files, "read_at", lambda *a, **k: (calls.append(1), short(*a, **k))[1])
        with pytest.raises(DatabaseError) as caught:
            decrypted_image(path, key)
        assert caught.value.code == "snapshot_failed"
        monkeypatch.setattr(held_files, "read_at", real_read)
        assert decrypted_image(path, key)[:16] == b"SQLite format 3\x00"
    finally:
        close(new.db)


def test_an_encrypted_office_whose_rows_point_nowhere_or_whose_pages_are_damaged_is_not_backed_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its decrypted image is checked on one copy in memory (quick_check, then foreign_key_check): each check
    refuses the backup. One copy, not two side by side: a second ~250 MB at scale 20 (peak ≈ 750 MB) for no
    gain on two cores; the image itself is the other copy."""
    from khoi_desktop.core.backup import writer
    from khoi_desktop.core.backup.errors import UNHEALTHY, BackupError
    from khoi_desktop.core.backup.writer import build_backup
    from khoi_desktop.core.engines.sqlite import connect_file
    from khoi_desktop.core.keyslots.opening import close, create_encrypted_office

    path = tmp_path / "office.db"
    new = create_encrypted_office(path, username="quantri", full_name="Trần Quản Trị", password="mat-khau-quan-tri")
    try:
        seed(new.db)
        raw = connect_file(path)  # this process holds the key: a SQLCipher connection
        raw.execute("PRAGMA foreign_keys = OFF")
        first = "WHERE id = (SELECT min(id) FROM memberships)"
        org = raw.execute(f"SELECT org_id FROM memberships {first}").fetchone()[0]
        raw.execute(f"UPDATE memberships SET org_id = 999999 {first}")
        raw.commit()
        loaded: list[int] = []
        real_load = writer.open_in_memory

        def counted(content, **kwargs):  # type: ignore[no-untyped-def]
            loaded.append(len(content))
            return real_load(content, **kwargs)

        monkeypatch.setattr(writer, "open_in_memory", counted)
        with pytest.raises(BackupError) as caught:
            build_backup(path)
        assert caught.value.code == UNHEALTHY and "memberships" in str(caught.value.findings)
        assert len(loaded) == 1  # one copy of the office in memory beside its image
        raw.execute(f"UPDATE memberships SET org_id = ? {first}", (org,))
        raw.commit()
        raw.close()
        build_backup(path)  # sound again
        size = 4096
        data = bytearray(path.read_bytes())  # build_backup folded the -wal into the file
        for i in range(size, size * 2 - 80):  # page 2's encrypted content (not its IV and HMAC): its plain garbled
            data[i] ^= 0x5A
        path.write_bytes(bytes(data))
        with pytest.raises(BackupError) as caught:
            build_backup(path)
        assert caught.value.code == UNHEALTHY and "memberships" not in str(caught.value.findings)
    finally:
        close(new.db)
