"""One window per database file, whoever opens it: an operating-system lock on a small file next to it.

The per-user single-instance lock (gui/single_instance.py) lives in the user's own temporary folder and its
socket answers only that user, so a second Windows user on the same machine (or a second machine on a shared
folder) saw no lock and opened the same file in a second window. This lock lives beside the database, where
every account that can open the database can open it too. The operating system holds it (fcntl.flock, or
msvcrt.locking on one byte far past the text) and drops it when the process ends, however it ends: a crash
leaves nothing to clean. The file says who holds it (account, computer, since when) so a refusal can name
them; it is emptied on release and never deleted (deleting a lock file races with the next one to open it).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import NamedTuple

from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.os_account import os_user

log = logging.getLogger(__name__)

SUFFIX = ".dang-mo"  # "van-phong.db.dang-mo": the database is open
LOCKED_BYTE = 1 << 20  # Windows locks are mandatory: lock past the holder's text, which stays readable
HOLDER_MAX = 4096
READ_WAIT_S = 1.0  # a holder that has just taken the lock writes its name a moment later


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def computer_name() -> str:
    """This computer's name, as socket.gethostname() gives it (on Unix the kernel's node name, without loading
    the socket module before the window's first frame: bench/start.py)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class Holder(NamedTuple):
    user: str
    computer: str
    pid: int
    since: dt.datetime | None  # aware UTC

    def to_json(self) -> str:
        return json.dumps({"user": self.user, "computer": self.computer, "pid": self.pid,
                           "since": self.since.isoformat() if self.since else None}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Holder | None:
        try:
            data = json.loads(text)
            since = dt.datetime.fromisoformat(data["since"]) if data.get("since") else None
            return cls(str(data["user"]), str(data["computer"]), int(data["pid"]), since)
        except (ValueError, KeyError, TypeError):
            return None

    def here(self) -> bool:
        """Held by this account on this computer (another window of ours, maybe still starting)."""
        return self.user == os_user() and self.computer == computer_name()

    def describe(self) -> str:
        since = ""
        if self.since is not None:
            local = self.since.astimezone()
            since = f" từ {local:%H:%M} ngày {local:%d/%m/%Y}"
        return f"người dùng «{self.user}» trên máy «{self.computer}»{since}"


class DatabaseInUse(DatabaseError):
    code = "database_in_use"

    def __init__(self, database: Path, holder: Holder | None) -> None:
        who = holder.describe() if holder is not None else "một người dùng khác (không đọc được tên)"
        super().__init__(f"Tệp dữ liệu {database.name} đang được mở bởi {who}. Mỗi lúc chỉ một cửa sổ chương trình "
                         "được mở một tệp dữ liệu, để hai người không ghi chồng lên nhau (ví dụ hai quyết định "
                         "cùng một số). Hãy nhờ người đó đóng chương trình (hoặc đăng xuất khỏi Windows) rồi mở "
                         "lại.")
        self.holder = holder


class DatabaseLock:
    """`acquire()` → True when this process may open the database (it holds the lock), False when another
    process holds it (`holder` then says who, if it could be read); `release()`."""

    def __init__(self, database: Path, *, user: str | None = None) -> None:
        self.database = database
        self.path = lock_path(database)
        self.holder: Holder | None = None
        self._user = user  # tests name another account; the app asks the operating system
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock without waiting. A folder where the lock file cannot be made (read-only, not there
        yet) leaves only the per-user lock: a database there cannot be written either."""
        if self._fd is not None:
            return True
        try:
            fd, writable = _open(self.path)
        except OSError as error:
            log.warning("database lock: cannot open %s: %s", self.path, error)
            return True
        if not _try_lock(fd):
            os.close(fd)
            self.holder = self._read_holder()
            return False
        self._fd, self.holder = fd, None
        if writable:
            me = Holder(self._user or os_user(), computer_name(), os.getpid(),
                        dt.datetime.now(dt.UTC).replace(microsecond=0))
            _write(fd, me.to_json())
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _write(fd, "")
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)

    def _read_holder(self) -> Holder | None:
        deadline = time.monotonic() + READ_WAIT_S
        while True:
            try:
                with open(self.path, encoding="utf-8", errors="replace") as file:
                    holder = Holder.from_json(file.read(HOLDER_MAX))
            except OSError:
                holder = None
            if holder is not None or time.monotonic() >= deadline:
                return holder
            time.sleep(0.05)


def try_lock_file(path: Path) -> int | None:
    """The descriptor of `path` (made if missing, never deleted) holding the operating-system lock of this
    module, or None when another process (or another descriptor in this one) holds it; OSError when the file
    cannot be opened. Nothing is written or synced: unlock_file, or the process's end, frees it."""
    fd, _writable = _open(path)
    if _try_lock(fd):
        return fd
    os.close(fd)
    return None


def unlock_file(fd: int) -> None:
    _unlock(fd)
    os.close(fd)


def _open(path: Path) -> tuple[int, bool]:
    flags = getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o666)  # every account that opens the data may lock
    except PermissionError:
        return os.open(path, os.O_RDONLY | flags), False  # made by another account: lockable, not writable
    try:
        os.chmod(path, 0o666)  # umask took some bits away: the next account must be able to write its name
    except OSError:
        pass
    return fd, True


def _write(fd: int, text: str) -> None:
    data = text.encode("utf-8")[:HOLDER_MAX]
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)
    os.ftruncate(fd, len(data))


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, LOCKED_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
