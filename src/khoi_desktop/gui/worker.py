"""All database work runs on one worker thread: writes are serialized and the window never freezes.

A screen submits a function of the Database; its result (plain data) or error comes back on the
GUI thread through a signal, and only then are widgets touched. An answer for a window closed meanwhile (a
dialog deleted on close while its load ran) is dropped: its widgets are gone, and touching them raised
«Internal C++ object … already deleted» in the event loop.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from shiboken6 import isValid

# The window shows before the database module (SQLite drivers, keys) loads: the worker opens the file.
if TYPE_CHECKING:
    from khoi_desktop.core.db import Database

log = logging.getLogger(__name__)

Job = Callable[["Database"], Any]


def _deleted_owner(callback: Callable[..., object]) -> QObject | None:
    """The Qt object a callback works on, if it has been deleted since the job was asked for: a bound method's
    object, or one its closure holds (``lambda e: present_error(self, e)``, a nested function using ``self``)."""
    owners = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            owners.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet
            continue
    return next((o for o in owners if isinstance(o, QObject) and not isValid(o)), None)


class _Runner(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    @Slot(int, object)
    def execute(self, job_id: int, job: Job) -> None:
        try:
            result = job(self.db)
        except Exception as exc:  # handed to the GUI thread's presenter
            log.info("job %s failed: %r", job_id, exc)
            self.failed.emit(job_id, exc)
        else:
            self.done.emit(job_id, result)


class DbWorker(QObject):
    _submit = Signal(int, object)
    busy_changed = Signal(bool)

    def __init__(self, db: Database | None, parent: QObject | None = None, *,
                 path: Path | str | None = None) -> None:
        super().__init__(parent)
        self.db: Database = db  # type: ignore[assignment]  # None only until opening() has opened it
        # What open_job opens and the window watches: a file, or a server office (its address, or the open one's
        # ServerAddress, which keeps a password typed for this session only); `path` is then its database's name.
        self.location: Any = (db.server or db.path) if db is not None else path
        if isinstance(path, str):
            from urllib.parse import urlsplit

            path = Path(urlsplit(path).path.lstrip("/"))
        self.path: Path = db.path if db is not None else path  # type: ignore[assignment]
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callable[[Any], object], Callable[[Exception], None] | None]] = {}
        self._held: list[tuple[int, Job]] | None = None  # jobs asked while held (hold): started by release()
        self._thread = QThread()
        self._thread.setObjectName("db-worker")
        self._runner = _Runner(db)  # type: ignore[arg-type]  # None only until open_job() has run
        self._runner.moveToThread(self._thread)
        self._submit.connect(self._runner.execute)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._thread.start()

    def open_job(self) -> Job:
        """The job that opens this worker's file (migrating an older one) on the worker thread, for a worker
        made without a database: submit it first, then set `db` from its answer (gui/app.py). Jobs submitted
        meanwhile queue behind it and find the database open."""
        path = self.location

        def job(_none: object) -> Database:
            from khoi_desktop.core.db import open_database, require_server_account

            db = open_database(path)  # type: ignore[arg-type]
            try:
                require_server_account(db)  # a server office without accounts: refused, not a first-admin form
            except BaseException:
                db.close()
                raise
            self._runner.db = db
            return db

        return job

    def attach(self, db: Database) -> None:
        """The database opened by a job of its own (an encrypted file's login: gui/auth/encrypted.py), on the
        worker thread: later jobs get it."""
        self._runner.db = db
        self.db = db

    def submit(self, job: Job, on_done: Callable[[Any], object],
               on_error: Callable[[Exception], None] | None = None) -> int:
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busy_changed.emit(True)
        if self._held is not None:
            self._held.append((job_id, job))
        else:
            self._submit.emit(job_id, job)
        return job_id

    def hold(self) -> None:
        """Jobs submitted from now on wait, in their order, until release(): the window fills the tree (a few
        thousand calls into Python from Qt) without sharing Python with the worker's next jobs, which import the
        ORM (the first tree at provincial scale came ≈ 30 % later)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held, None
        for job_id, job in held or ():
            self._submit.emit(job_id, job)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def _pop(self, job_id: int) -> tuple[Callable[[Any], object], Callable[[Exception], None] | None]:
        callbacks = self._callbacks.pop(job_id)
        if not self._callbacks:
            self.busy_changed.emit(False)
        return callbacks

    @Slot(int, object)
    def _on_done(self, job_id: int, result: Any) -> None:
        on_done, _ = self._pop(job_id)
        if (gone := _deleted_owner(on_done)) is not None:
            log.info("job %s answered after its %s was closed: answer dropped", job_id, type(gone).__name__)
            return
        on_done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, error: Exception) -> None:
        _, on_error = self._pop(job_id)
        if on_error is not None and _deleted_owner(on_error) is not None:
            on_error = None  # its window was closed: the error is still shown (a write that failed is told)
        if on_error is not None:
            on_error(error)
        else:
            from khoi_desktop.gui.errors import present_error

            present_error(None, error)

    def close(self) -> None:
        if not self._thread.isRunning():
            return
        self._thread.quit()
        self._thread.wait()
        if self.db is not None:
            self.db.close()
