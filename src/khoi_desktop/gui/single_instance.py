"""One running window per database file: a second launch brings the first forward, then exits.

The first process holds a lock file and listens on a local socket (a named pipe on Windows) whose name
comes from the database file's identity (device and inode, or volume and file ID), not its path. A second
launch on the same database connects, sends "activate", waits for "ok" and leaves, so the database is
never opened twice. The lock is the operating system's (core/database_lock.try_lock_file): a crash frees it,
leaving the empty lock file and, on Unix, a socket file (removed before listening). Both are the user's own:
another account on the machine is kept out by the lock beside the database (core/database_lock.py), held here
until stop().

Start-up (issue 15): the lock file alone tells a first launch that no window of this account has the file
(`claim`, Qt Core only); its window then shows, and only then does it load Qt Network and listen (`listen`).
A second launch in that moment finds the lock held and waits for the listener (notify_or_wait).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from khoi_desktop.core.database_lock import try_lock_file, unlock_file

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

    from khoi_desktop.core.database_lock import DatabaseLock

log = logging.getLogger(__name__)

ACTIVATE = "activate"
REPLY = b"ok\n"
TIMEOUT_MS = 1500
# A first process still starting (lock taken, not yet listening) gets this long to answer.
STARTUP_WAIT_S = 8.0
ASFW_ANY = -1


def file_identity(database: Path) -> str:
    """What names the file itself: device and inode (on Windows the volume serial number and file ID,
    which os.stat fills in). Two hard links, a subst drive or a symbolic link give the same identity;
    a file not created yet is named by its resolved path."""
    try:
        info = os.stat(database)
        if info.st_ino:
            return f"file:{info.st_dev}:{info.st_ino}"
    except OSError:
        pass
    try:
        return "path:" + os.path.normcase(str(Path(database).resolve()))
    except OSError:
        return "path:" + os.path.normcase(os.path.abspath(database))


def instance_key(database: Path) -> str:
    """Server and lock name for this database file, whatever name or user opens it: `ln a.db b.db` and one
    window on each name let two windows number decisions side by side."""
    digest = _sha256(file_identity(database).encode()).hexdigest()[:24]
    return f"khoi-desktop-{digest}"


def _sha256(data: bytes):  # type: ignore[no-untyped-def]
    """hashlib.sha256, the same digest, from CPython's own module where it has one: hashlib loads OpenSSL
    (≈ 3 ms), and this runs before the window's first frame (bench/start.py)."""
    for name in ("_sha2", "_sha256"):  # Python 3.12+, 3.11
        try:
            return importlib.import_module(name).sha256(data)
        except ImportError:
            continue
    import hashlib

    return hashlib.sha256(data)


class SingleInstance(QObject):
    """`notify_running()` from a second launch; `start()` in the first, which then emits `activated`."""

    activated = Signal(str)  # the database path the second launch asked for ("" if none)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.lock_path = Path(QDir.tempPath()) / f"{key}.lock"
        # Not QLockFile: it fdatasyncs its file (twice over a crashed process's), 10-20 ms of a loaded disk
        # before the window's first frame (bench/start.py).
        self._lock: int | None = None  # the locked file's descriptor
        self._server: QLocalServer | None = None
        self._clients: list[QLocalSocket] = []
        self.database_lock: DatabaseLock | None = None  # the lock beside the database, for every account

    # Second launch ---------------------------------------------------------------------------------
    def notify_running(self, payload: str = "", timeout_ms: int = TIMEOUT_MS) -> bool:
        """True when a running instance took the request (this process should then exit)."""
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self.key)
        if not socket.waitForConnected(timeout_ms):
            return False
        if sys.platform == "win32":  # the launched process may hand the foreground to the running one
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(ASFW_ANY)  # type: ignore[attr-defined]
        message = f"{ACTIVATE}\t{payload}".replace("\n", " ") + "\n"
        socket.write(message.encode("utf-8"))
        socket.flush()
        reply = b""
        deadline = time.monotonic() + timeout_ms / 1000
        while not reply.endswith(b"\n") and time.monotonic() < deadline:
            if not socket.waitForReadyRead(max(1, int((deadline - time.monotonic()) * 1000))):
                break
            reply += bytes(socket.readAll().data())
        socket.abort()
        return reply == REPLY

    def notify_or_wait(self, payload: str = "", wait_s: float = STARTUP_WAIT_S) -> bool:
        """Like notify_running, retrying while another process holds the lock but does not listen yet."""
        deadline = time.monotonic() + wait_s
        while True:
            if self.notify_running(payload):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)

    # First launch ----------------------------------------------------------------------------------
    def start(self) -> bool:
        """Take the lock and listen; False when another live process holds it."""
        if not self.claim():
            return False
        self.listen()
        return True

    def claim(self) -> bool:
        """Take the lock only (Qt Core): False when another live process of this account holds it."""
        if self._lock is None:
            try:
                self._lock = try_lock_file(self.lock_path)
            except OSError as error:  # the lock beside the database (claim_instance) still keeps others out
                log.warning("single instance: cannot open %s: %s", self.lock_path, error)
                return True
        return self._lock is not None

    def unclaim(self) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            unlock_file(lock)

    def listen(self) -> None:
        """Answer second launches, once the lock is ours (after the window's first frame, at start-up)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return
        QLocalServer.removeServer(self.key)  # a socket file left by a crashed instance
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            # The lock still keeps a second launch from opening the database; it just cannot raise us.
            log.warning("single instance: cannot listen on %s: %s", self.key, server.errorString())
            return
        server.newConnection.connect(self._accept)
        self._server = server

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for client in self._clients:
            client.abort()
        self._clients.clear()
        self.unclaim()
        if self.database_lock is not None:
            self.database_lock.release()
            self.database_lock = None

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            client = self._server.nextPendingConnection()
            self._clients.append(client)
            buffer = bytearray()

            def read(client: QLocalSocket = client, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(client.readAll().data()))
                if b"\n" not in buffer:
                    return
                line = bytes(buffer).split(b"\n", 1)[0].decode("utf-8", "replace")
                command, _, payload = line.partition("\t")
                if command == ACTIVATE:
                    client.write(REPLY)
                    client.flush()
                    self.activated.emit(payload)
                client.disconnectFromServer()

            def forget(client: QLocalSocket = client) -> None:
                if client in self._clients:
                    self._clients.remove(client)
                client.deleteLater()

            client.readyRead.connect(read)
            client.disconnected.connect(forget)
            if client.bytesAvailable():
                read()


def front_window(preferred: QWidget | None = None) -> QWidget | None:
    """The window a clerk expects to see: an open modal dialog first, then the main window."""
    modal = QApplication.activeModalWidget()
    if modal is not None:
        return modal
    if preferred is not None:
        return preferred
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible() or w.isMinimized()]
    return visible[0] if visible else None


def bring_forward(window: QWidget | None) -> None:
    if window is None:
        return
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
