"""Single instance: a second launch on the same database brings the running window forward and exits."""

from __future__ import annotations

import datetime as dt
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer

from khoi_desktop.core.db import open_database
from khoi_desktop.core.office import create_office
from khoi_desktop.core.paths import HOME_ENV
from khoi_desktop.core.settings import OfficeSettings
from khoi_desktop.gui.single_instance import SingleInstance, instance_key

# The first instance, in its own process: a minimized window that reports what an activation did.
FIRST = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from khoi_desktop.gui.single_instance import SingleInstance, bring_forward, front_window

app = QApplication(sys.argv[:1])
instance = SingleInstance(sys.argv[1])
if not instance.start():
    print("refused", flush=True)
    sys.exit(3)
window = QWidget()
window.setWindowTitle("first")
window.showMinimized()

def activated(payload):
    bring_forward(front_window(window))
    print(f"activated|{payload}|minimized={window.isMinimized()}|visible={window.isVisible()}", flush=True)
    QTimer.singleShot(100, app.quit)

instance.activated.connect(activated)
print("listening" if instance.listening else "not listening", flush=True)
code = app.exec()
instance.stop()
sys.exit(code)
"""


class Child:
    """A Python process whose stdout lines are read as they come."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        encoding="utf-8", env=env)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, prefix: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line.startswith(prefix):
                return line
            seen.append(line)
        raise AssertionError(f"no line starting with {prefix!r} in {timeout} s; got {seen}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}


@pytest.fixture
def key(tmp_path: Path) -> Iterator[str]:
    name = instance_key(tmp_path / "khoi.db")
    yield name
    QLocalServer.removeServer(name)
    (Path(QDir.tempPath()) / f"{name}.lock").unlink(missing_ok=True)


def test_key_is_per_database_whatever_the_spelling(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "Nguyễn Thị Hà" / "khoi.db"
    same = tmp_path / "sub" / ".." / "Nguyễn Thị Hà" / "khoi.db"
    assert instance_key(path) == instance_key(same)
    assert instance_key(path) != instance_key(tmp_path / "demo.db")
    assert len(instance_key(path)) < 50  # Unix socket paths are limited to about 100 bytes


def test_key_is_the_file_not_its_name(tmp_path: Path) -> None:
    """Hard links: one GUI on each name numbered two decisions 23 and broke integrity_check."""
    first = tmp_path / "a.db"
    first.write_bytes(b"x")
    os.link(first, tmp_path / "b.db")
    (tmp_path / "c.db").symlink_to(first)
    assert instance_key(tmp_path / "b.db") == instance_key(first) == instance_key(tmp_path / "c.db")
    (tmp_path / "copy.db").write_bytes(b"x")
    assert instance_key(tmp_path / "copy.db") != instance_key(first)


def test_second_launch_brings_the_first_window_forward(qapp, tmp_path: Path, key: str) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "first.py"
    script.write_text(FIRST, encoding="utf-8")
    first = Child([sys.executable, str(script), key], env=child_env())
    try:
        assert first.expect("listening") == "listening"
        second = SingleInstance(key)
        assert not second.start(), "the lock is held by the first process"
        assert second.notify_running("C:/Dữ liệu/khoi.db")
        line = first.expect("activated")
        assert line == "activated|C:/Dữ liệu/khoi.db|minimized=False|visible=True"
        assert first.process.wait(timeout=10) == 0
    finally:
        first.stop()


def test_nobody_answers_when_no_instance_runs(qapp, key: str) -> None:  # type: ignore[no-untyped-def]
    assert not SingleInstance(key).notify_running(timeout_ms=300)
    started = time.monotonic()
    assert not SingleInstance(key).notify_or_wait(wait_s=0.5)
    assert time.monotonic() - started < 5


def test_two_instances_in_one_process_one_lock(qapp, key: str) -> None:  # type: ignore[no-untyped-def]
    first, second = SingleInstance(key), SingleInstance(key)
    assert first.start() and first.listening
    assert not second.start()
    first.stop()
    assert second.start(), "released on stop"
    second.stop()
    third = SingleInstance(key)
    assert third.claim(), "released on stop"
    third.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and socket files are Unix")
def test_a_crashed_instance_leaves_nothing_in_the_way(qapp, tmp_path: Path, key: str) -> None:  # type: ignore[no-untyped-def]
    script = tmp_path / "first.py"
    script.write_text(FIRST, encoding="utf-8")
    crashed = Child([sys.executable, str(script), key], env=child_env())
    try:
        assert crashed.expect("listening") == "listening"
        os.kill(crashed.process.pid, signal.SIGKILL)
        crashed.process.wait(timeout=10)
    finally:
        crashed.stop()
    socket_file = Path(QDir.tempPath()) / key
    assert socket_file.exists() and (Path(QDir.tempPath()) / f"{key}.lock").exists(), "left behind by the crash"
    assert not SingleInstance(key).notify_running(timeout_ms=500)
    successor = SingleInstance(key)
    assert successor.start() and successor.listening
    successor.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="socket files are Unix")
def test_a_stale_socket_file_is_replaced(qapp, key: str) -> None:  # type: ignore[no-untyped-def]
    path = Path(QDir.tempPath()) / key
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays, nobody listens: what a crash leaves
    instance = SingleInstance(key)
    assert instance.start() and instance.listening
    instance.stop()


def test_launching_the_app_twice_focuses_the_first(tmp_path: Path) -> None:
    home = tmp_path / "home"
    database = tmp_path / "Nguyễn Thị Hà" / "khoi.db"
    db = open_database(database, create=True)
    with db.writing() as session:
        create_office(session, OfficeSettings(), term="2025-2030", term_starts_on=dt.date(2025, 10, 1), actor="test")
    db.close()
    env = child_env(**{HOME_ENV: str(home)})
    key = instance_key(database)
    lock = Path(QDir.tempPath()) / f"{key}.lock"
    command = [sys.executable, "-m", "khoi_desktop", "--db", str(database)]
    first = Child(command, env=env)
    try:
        deadline = time.monotonic() + 30
        while not lock.exists() and first.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lock.exists(), f"the first launch did not claim the database (exit {first.process.poll()})"
        second = subprocess.run(command, env=env, capture_output=True, timeout=60)
        assert second.returncode == 0, second.stderr
        log = home / "logs" / "khoi-desktop.log"
        deadline = time.monotonic() + 30
        while "bringing the window forward" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.1)
        text = log.read_text(encoding="utf-8")
        assert "second launch: bringing the window forward" in text
        assert "the running window was brought forward" in text or "the starting window was brought forward" in text
        assert first.process.poll() is None, "the first window is still open"
    finally:
        first.stop()
        QLocalServer.removeServer(key)
        lock.unlink(missing_ok=True)


def test_another_account_holding_the_database_is_refused_by_name(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two Windows users on one machine: the per-user lock and socket do not see each other, the lock beside
    the database does. The second account's window does not open; the first account's opens once it is gone."""
    from khoi_desktop.core.database_lock import DatabaseInUse, DatabaseLock
    from khoi_desktop.gui.app import claim_instance

    database = tmp_path / "van-phong.db"
    other_account = DatabaseLock(database, user="le.thi.c")
    assert other_account.acquire()
    key = instance_key(database)
    try:
        with pytest.raises(DatabaseInUse) as refused:
            claim_instance(database)
        assert "đang được mở bởi người dùng «le.thi.c» trên máy" in refused.value.message
        assert refused.value.code == "database_in_use"
        probe = SingleInstance(key)
        assert probe.start(), "the refused launch kept no lock of its own"
        probe.stop()
        other_account.release()
        instance = claim_instance(database)
        assert instance is not None and instance.database_lock is not None and instance.database_lock.held
        later = DatabaseLock(database, user="le.thi.c")
        assert not later.acquire() and later.holder is not None and later.holder.here()
        instance.stop()
        assert later.acquire(), "released when the window closes"
        later.release()
    finally:
        other_account.release()
        QLocalServer.removeServer(key)
        (Path(QDir.tempPath()) / f"{key}.lock").unlink(missing_ok=True)


def test_a_file_opened_from_the_menu_takes_its_lock_and_frees_the_old_one(qtbot, main_window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Tệp → Mở: a file another account has open is refused by name (the window keeps its own file); a free
    one is locked while it is shown, and the file left behind is free for others again."""
    import khoi_desktop.gui.main_window as window_module
    from khoi_desktop.core.database_lock import DatabaseInUse, DatabaseLock

    shown: list[Exception] = []
    monkeypatch.setattr(window_module, "present_error", lambda _parent, error: shown.append(error))
    monkeypatch.setattr(main_window, "sign_in", lambda _db: True)
    first = main_window.worker.db.path
    main_window.database_lock = DatabaseLock(first)
    assert main_window.database_lock.acquire()
    other = tmp_path / "khac" / "van-phong.db"
    other.parent.mkdir()
    db = open_database(other, create=True)
    with db.writing() as session:
        create_office(session, OfficeSettings(), term="2025-2030", term_starts_on=dt.date(2025, 10, 1), actor="test")
    db.close()
    someone = DatabaseLock(other, user="pham.van.d")
    assert someone.acquire()
    main_window.open_file(other)
    assert [type(e) for e in shown] == [DatabaseInUse] and "«pham.van.d»" in str(shown[0])
    assert main_window.worker.db.path == first
    someone.release()
    main_window.open_file(other)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
    assert main_window.worker.db.path == other and len(shown) == 1
    assert not DatabaseLock(other, user="pham.van.d").acquire(), "the file shown is locked"
    freed = DatabaseLock(first, user="pham.van.d")
    assert freed.acquire(), "the file left behind is free"
    freed.release()
    main_window.database_lock.release()


def test_the_first_start_locks_the_file_in_a_data_folder_not_there_yet(qapp, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A new machine: the data folder does not exist yet; another account starting at the same moment must
    still find the lock beside the database, not only this account's own."""
    from khoi_desktop.core.database_lock import DatabaseLock
    from khoi_desktop.gui.app import claim_instance, requested_database

    monkeypatch.setenv(HOME_ENV, str(tmp_path / "chua-co"))
    database = requested_database(None, False)
    key = instance_key(database)
    try:
        instance = claim_instance(database)
        assert instance is not None and instance.database_lock is not None and instance.database_lock.held
        other_account = DatabaseLock(database, user="le.thi.c")
        assert not other_account.acquire() and other_account.holder is not None
        instance.stop()
    finally:
        QLocalServer.removeServer(key)
        (Path(QDir.tempPath()) / f"{key}.lock").unlink(missing_ok=True)
