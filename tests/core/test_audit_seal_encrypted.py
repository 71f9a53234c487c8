"""The audit anchor's seal on a real encrypted office (core/keyslots): the key an account unwraps at sign-in
seals the anchor, a converted plain file is sealed from its conversion, and a backup and its restore keep
the trail intact, seal included."""

from __future__ import annotations

from pathlib import Path

from backup_support import backup, seed

from khoi_desktop.core.audit import verify_trail
from khoi_desktop.core.audit_backups import EXTENDS, compare_with_backups
from khoi_desktop.core.audit_deep import deep_check
from khoi_desktop.core.auth import accounts
from khoi_desktop.core.backup.reader import inspect_backup
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.keyslots.opening import close, create_encrypted_office, open_signed_in

ADMIN, ADMIN_PW = "quantri", "mat-khau-quan-tri"


def checked(db: Database) -> tuple[bool, bool | None, bool]:
    with db.reading() as session:
        trail = verify_trail(session)
        return trail.ok, trail.sealed, deep_check(session).ok


def test_an_encrypted_office_seals_its_anchor_and_its_backups_carry_it(tmp_path: Path) -> None:
    path = tmp_path / "office.db"
    new = create_encrypted_office(path, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
    seed(new.db)
    close(new.db)
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    try:
        assert checked(db) == (True, True, True)
        made = backup(db, tmp_path / "saoluu", passphrase="mat-khau-sao-luu-dai")
        anchor = inspect_backup(made).audit_anchor
        assert anchor is not None and "seal" in anchor  # readable without the backup's passphrase
        with db.reading() as session:
            assert compare_with_backups(session, tmp_path / "saoluu", path.stem).status == EXTENDS
    finally:
        db.close()  # still unlocked in this process: the restore writes the file with the same key
    restore_backup(made, path, actor="thư ký", user=db.user, passphrase="mat-khau-sao-luu-dai")
    close(db)
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    try:
        assert checked(db) == (True, True, True)
    finally:
        close(db)


def test_a_converted_plain_file_is_sealed_from_its_conversion(tmp_path: Path) -> None:
    from khoi_desktop.core.keyslots.convert import encrypt_file

    path = tmp_path / "office.db"
    db = open_database(path, create=True)
    seed(db)
    with db.writing() as session:
        accounts.create_first_admin(session, username=ADMIN, full_name="Trần Quản Trị", password=ADMIN_PW)
    with db.reading() as session:
        assert verify_trail(session).sealed is None  # a plain file: nothing to seal with yet
    db.close()
    encrypt_file(path, ADMIN, ADMIN_PW)
    db = open_signed_in(path, ADMIN, ADMIN_PW)
    try:
        assert checked(db) == (True, True, True)
        with db.reading() as session:
            assert verify_trail(session).intact
    finally:
        close(db)
