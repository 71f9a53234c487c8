"""One window per database file whoever opens it: the lock beside the database (core/database_lock.py) keeps a
second account's window out, names who holds the file, and is gone when its process ends, however it ends."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from khoi_desktop.core.database_lock import DatabaseInUse, DatabaseLock, Holder, lock_path
from khoi_desktop.core.os_account import os_user

SRC = Path(__file__).resolve().parents[2] / "src"

# A process of another account: takes the lock, says so, then waits for a line (or a kill).
HOLDER = textwrap.dedent("""
    import os, pwd, sys
    from pathlib import Path
    from khoi_desktop.core.database_lock import DatabaseLock
    if len(sys.argv) > 3:  # become that operating-system account (the test runs as root)
        os.setgid(int(sys.argv[3])); os.setuid(int(sys.argv[3]))
    lock = DatabaseLock(Path(sys.argv[1]), user=sys.argv[2] or None)
    print("held" if lock.acquire() else f"refused|{lock.holder.user if lock.holder else ''}", flush=True)
    sys.stdin.readline()
    lock.release()
""")


def _holder(database: Path, user: str = "", uid: int | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", HOLDER, str(database), user] + ([str(uid)] if uid is not None else [])
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
                               env={**os.environ, "PYTHONPATH": str(SRC)})
    return process


def _said(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def test_a_second_account_is_refused_with_the_holders_name(tmp_path: Path) -> None:
    database = tmp_path / "van-phong.db"
    first, second = DatabaseLock(database, user="nguyen.thi.ha"), DatabaseLock(database)
    assert first.acquire() and first.held
    assert not second.acquire() and not second.held
    holder = second.holder
    assert holder is not None and holder.user == "nguyen.thi.ha" and holder.computer == socket.gethostname()
    assert holder.pid == os.getpid() and holder.since is not None and holder.since.tzinfo is not None
    message = DatabaseInUse(database, holder).message
    assert message.startswith(f"Tệp dữ liệu van-phong.db đang được mở bởi người dùng «nguyen.thi.ha» trên máy "
                              f"«{socket.gethostname()}» từ ")
    assert "Hãy nhờ người đó đóng chương trình" in message
    assert not holder.here()  # another account: the window of this one is not asked to come forward
    first.release()
    assert lock_path(database).read_text(encoding="utf-8") == ""  # released: it names nobody
    assert second.acquire() and second.holder is None
    assert Holder.from_json(lock_path(database).read_text(encoding="utf-8")).user == os_user()  # type: ignore[union-attr]
    second.release()


def test_the_lock_ends_with_its_process_however_it_ends(tmp_path: Path) -> None:
    database = tmp_path / "van-phong.db"
    other = _holder(database, "tran.van.b")
    try:
        assert _said(other) == "held"
        mine = DatabaseLock(database)
        assert not mine.acquire() and mine.holder is not None and mine.holder.user == "tran.van.b"
        other.send_signal(signal.SIGKILL if sys.platform != "win32" else signal.SIGTERM)
        other.wait(timeout=10)
        assert mine.acquire(), "a killed holder leaves nothing in the way"
        mine.release()
    finally:
        if other.poll() is None:
            other.kill()
        other.wait(timeout=10)


def test_a_folder_without_a_lock_file_does_not_stop_the_app(tmp_path: Path) -> None:
    lock = DatabaseLock(tmp_path / "not-there-yet" / "van-phong.db")  # first start: the folder comes later
    assert lock.acquire() and not lock.held
    lock.release()


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() != 0, reason="needs root to act as a second account")
def test_two_real_operating_system_accounts_share_the_lock(tmp_path: Path) -> None:
    """Root and `nobody`, as two Windows users on one machine: each is refused while the other holds the file."""
    import pwd

    nobody = pwd.getpwnam("nobody").pw_uid
    shared = tmp_path / "chung"
    shared.mkdir()
    shared.chmod(0o777)  # a data folder both accounts may write in
    for parent in (tmp_path, *tmp_path.parents):
        if parent == Path(parent.anchor):
            break
        parent.chmod(parent.stat().st_mode | 0o011)  # let `nobody` reach it
    database = shared / "van-phong.db"
    mine = DatabaseLock(database)
    assert mine.acquire()
    other = _holder(database, uid=nobody)
    try:
        assert _said(other) == f"refused|{os_user()}"
        other.communicate("\n", timeout=10)
    finally:
        if other.poll() is None:
            other.kill()
    mine.release()
    other = _holder(database, uid=nobody)
    try:
        assert _said(other) == "held"
        assert not mine.acquire() and mine.holder is not None and mine.holder.user == "nobody"
        other.communicate("\n", timeout=10)
    finally:
        if other.poll() is None:
            other.kill()
    assert mine.acquire()
    mine.release()
