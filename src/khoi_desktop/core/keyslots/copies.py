"""Copies of the key file, so that losing `office.db.keys` does not lose the office.

The key file holds only wrapped keys (each needs an account's password or the recovery key): copying it is
safe. Every time its slots change a copy goes to the office's data folder on this computer
(`<data folder>/khoa-du-phong/<file>-<path digest>/office.db.keys.<date>`, the newest KEEP kept), so a file on a
USB stick still has its key copied to the computer's own disk; every backup carries the slots as well
(core/backup/office_key.py). When the key file is missing, signing in looks through those copies for one that
opens with the password typed (or the recovery key) and opens this very file, and puts it back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from khoi_desktop.core.keyslots import keyfile as keyfiles
from khoi_desktop.core.keyslots.keyfile import KeyFile, Slot

log = logging.getLogger(__name__)

FOLDER = "khoa-du-phong"
KEEP = 10


def copy_folder(database: Path) -> Path:
    """This file's copies: named after the file and a digest of its full path (two offices both called
    khoi.db in different folders never share copies)."""
    from khoi_desktop.core.paths import data_dir

    full = os.path.normcase(os.path.abspath(database))
    digest = hashlib.sha256(full.encode("utf-8")).hexdigest()[:10]
    return data_dir() / FOLDER / f"{Path(full).stem}-{digest}"


def wrapped_keys(keyfile: KeyFile) -> dict[str, Any]:
    """What a copy (and a backup) keeps: the slots and the recovery slot, no counters, no pending refusals."""
    return {"slots": {name: asdict(slot) for name, slot in sorted(keyfile.slots.items())},
            "recovery": asdict(keyfile.recovery) if keyfile.recovery else None}


def copies(database: Path) -> list[Path]:
    """The copies of `database`'s key file kept on this computer, newest first."""
    folder = copy_folder(database)
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(database.name + keyfiles.SUFFIX + ".")
             and not p.name.endswith(".tmp")]
    return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)


def _read_copy(path: Path) -> KeyFile | None:
    try:
        return KeyFile.from_json(path.read_text(encoding="utf-8"), path.name)
    except (OSError, UnicodeDecodeError):
        return None
    except Exception as exc:  # a damaged copy is skipped, never an error of the live file
        log.warning("key file copy %s unreadable: %s", path, exc)
        return None


def keep_copy(database: Path, keyfile: KeyFile, now: dt.datetime | None = None) -> Path | None:
    """Copy the key file's slots when they differ from the newest copy; never fails the caller (a full or
    read-only data folder is logged). Returns the new copy."""
    wrapped = wrapped_keys(keyfile)
    if not wrapped["slots"] and wrapped["recovery"] is None:
        return None
    try:
        existing = copies(database)
        newest = _read_copy(existing[0]) if existing else None
        if newest is not None and wrapped_keys(newest) == wrapped:
            return None
        folder = copy_folder(database)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        target = folder / f"{database.name}{keyfiles.SUFFIX}.{stamp}"
        counter = 2
        while target.exists():
            target = folder / f"{database.name}{keyfiles.SUFFIX}.{stamp}-{counter}"
            counter += 1
        data = json.loads(KeyFile(slots=dict(keyfile.slots), recovery=keyfile.recovery).to_json())
        data["database"] = os.path.abspath(database)  # for a person reading the folder
        keyfiles.write_atomically(target, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
        for old in copies(database)[KEEP:]:
            old.unlink(missing_ok=True)
        return target
    except OSError as exc:
        log.warning("could not keep a copy of the key file of %s: %s", database, exc)
        return None


def _backups_of(database: Path, folders: Iterable[Path]) -> Iterator[tuple[Path, KeyFile]]:
    """The key slots carried by the backups of `database` in `folders` (header only), newest first."""
    from khoi_desktop.core.backup.rotation import SUFFIX, parse_backup_name

    found: list[tuple[dt.datetime, Path]] = []
    for folder in folders:
        if folder.is_dir():
            for path in folder.glob(f"*{SUFFIX}"):
                parsed = parse_backup_name(path.name)
                if parsed is not None and parsed[0] == database.stem:
                    found.append((parsed[1], path))
    for _when, path in sorted(found, reverse=True):
        carried = carried_in_backup(path)
        if carried is not None:
            yield path, carried


def carried_in_backup(path: Path) -> KeyFile | None:
    """The key slots a backup of an encrypted office carries in its header; None for any other file."""
    from khoi_desktop.core.backup import container
    from khoi_desktop.core.backup.reader import PEEK_BYTES

    try:
        with open(path, "rb") as handle:
            header = container.read_header(handle.read(PEEK_BYTES), path.name)
        carried: Any = header.fields.get("keyslots")
        return KeyFile(slots={k: Slot(**v) for k, v in carried["slots"].items()},
                       recovery=Slot(**carried["recovery"]) if carried.get("recovery") else None)
    except Exception:  # not a backup of an encrypted office, damaged, unreadable: not a candidate
        return None


def candidates(database: Path, extra: Iterable[Path] = ()) -> Iterator[tuple[Path, KeyFile]]:
    """Where a lost key file may be found: the given files (a key file copy or a backup), this computer's
    copies, then the backups in the default backup folder."""
    from khoi_desktop.core.paths import backups_dir

    for path in extra:
        keyfile = carried_in_backup(path) if path.name.endswith(".khoibak") else _read_copy(path)
        if keyfile is not None:
            yield path, keyfile
    for path in copies(database):
        keyfile = _read_copy(path)
        if keyfile is not None:
            yield path, keyfile
    yield from _backups_of(database, [backups_dir()])


def key_opens(database: Path, key: bytes) -> bool:
    """Whether `key` decrypts `database` (a copy of another office's key file does not)."""
    from khoi_desktop.core.engines.sqlite import DATABASE_ERRORS, connect_file

    try:
        conn = connect_file(database, read_only=True, key=key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except DATABASE_ERRORS:
        return False
    return True


def missing_message(database: Path, *, tried: bool = False) -> str:
    """The Vietnamese explanation of a missing key file: where its copies are and how to use them."""
    from khoi_desktop.core.paths import backups_dir

    keys = keyfiles.keyfile_path(database).name
    kept = copies(database)
    where = (f"Trên máy này có {len(kept)} bản sao tệp khóa, trong thư mục {copy_folder(database)}" if kept else
             f"Trên máy này chưa có bản sao tệp khóa nào (thư mục {copy_folder(database)})")
    first = ("Không bản sao nào của tệp khóa mở được bằng tên đăng nhập và mật khẩu (hoặc mã khôi phục) vừa nhập. "
             if tried else "")
    return (f"{first}Tệp dữ liệu {database.name} được mã hóa nhưng thiếu tệp khóa {keys} bên cạnh nên chưa mở được. "
            f"{where}; mỗi bản sao lưu (.khoibak) của tệp dữ liệu đã mã hóa cũng mang theo tệp khóa (thư mục sao "
            f"lưu mặc định: {backups_dir()}).\n"
            "Cách lấy lại: đăng nhập như thường lệ — phần mềm tự tìm bản sao mở được bằng mật khẩu của đồng chí "
            "và đặt tệp khóa trở lại. Nếu mọi mật khẩu đều đã quên, quản trị dùng mã khôi phục (in khi mã hóa tệp): "
            f"«khoi-desktop recover {database} TÊN_QUẢN_TRỊ» — mã khôi phục cũng mở được các bản sao này. Bản sao "
            f"lưu ở nơi khác (USB): «khoi-desktop restore BẢN.khoibak {database}» đặt lại cả tệp khóa. Cũng có thể "
            f"chép tay bản sao mới nhất về cạnh tệp dữ liệu và đổi tên thành {keys}.")


def put_back(database: Path, *, username: str | None = None, password: str | None = None,
             recovery_key: str | None = None, extra: Iterable[Path] = ()) -> Path:
    """Find a copy of the missing key file of `database` that opens with this account's password (or the
    recovery key) and whose key opens `database`, and write it back beside the file. Returns where it came
    from; raises DatabaseError (keyfile_missing, missing_message) when none does. The next sign-in records it
    in the audit trail."""
    from khoi_desktop.core.auth.accounts import normalize_username
    from khoi_desktop.core.errors import DatabaseError
    from khoi_desktop.core.keyslots import slots
    from khoi_desktop.core.text import nfc

    name = normalize_username(username)[:60] if username else None
    tried: dict[tuple[str, str], bytes | None] = {}  # the same slot in several copies: one Argon2id run
    for source, keyfile in candidates(database, extra):
        key: bytes | None = None
        if recovery_key:
            key = slots.open_recovery_slot(keyfile, recovery_key)
        elif name and password is not None and name in keyfile.slots:
            slot = keyfile.slots[name]
            if (slot.salt, slot.wrapped) not in tried:
                tried[(slot.salt, slot.wrapped)] = slots.open_password_slot(slot, name, nfc(password))
            key = tried[(slot.salt, slot.wrapped)]
        if key is None or not key_opens(database, key):
            continue
        keyfile.pending_audit.append({"at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                                      "actor": name or "#recovery", "reason": "keyfile_restored",
                                      "source": str(source)})
        keyfiles.save(database, keyfile)
        return source
    raise DatabaseError(missing_message(database, tried=True), code="keyfile_missing")
