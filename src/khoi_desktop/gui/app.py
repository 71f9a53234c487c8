"""Start the GUI: pick the database (first start, demo or --db), open it, show the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.paths import default_database, demo_database
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.fonts import load_fonts, load_remaining_fonts
from khoi_desktop.gui.main_window import MainWindow
from khoi_desktop.gui.translator import install_translator
from khoi_desktop.gui.worker import DbWorker
from khoi_desktop.resource_files import ICON_DIR

# Start-up shows the main window first, then opens the database on the worker (SQLAlchemy, a migration),
# then the login, then the areas and the data: what needs the ORM, the login or the first-start dialog is
# imported where used (bench/start.py: spawn → window shown, beside a bare PySide6 window).
if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QProgressDialog

    from khoi_desktop.core.auth.current import CurrentUser
    from khoi_desktop.core.backup.reader import OfficeUnlock
    from khoi_desktop.core.db import Database
    from khoi_desktop.gui.first_start_dialog import FirstStartDialog
    from khoi_desktop.gui.single_instance import SingleInstance

log = logging.getLogger(__name__)

EXIT_REFUSED = 2
APP_ICON = ICON_DIR / "khoi-desktop.png"
PROGRESS_AFTER_MS = 300  # a job that takes longer shows «Xin chờ» with its label


def make_application(*, alt_letters: bool = True) -> QApplication:
    """The application, its fonts and translations; its dialogs' Alt letters unless `alt_letters` is False
    (start-up: install_alt_letters after the window's first frame)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("khoi-desktop")
    app.setApplicationDisplayName("Quản lý tổ chức đảng")
    app.setOrganizationName("khoi-desktop")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    load_fonts(app)
    install_translator(app)
    if alt_letters:
        install_alt_letters()
    return app


def install_alt_letters() -> None:
    """Alt letters for every dialog of the program as it shows (gui/alt_letters.py). At start-up after the window's
    first frame, before any dialog: its module and event filter are ≈ 6 ms of CPU (the dialogs' and wizards'
    classes, QEvent's 179 event types) that a bare window does not spend (bench/start.py)."""
    from khoi_desktop.gui.alt_letters import AltLetters

    AltLetters.install()


def _after_first_frame_on_server() -> None:
    load_remaining_fonts()
    install_alt_letters()


def run_with_progress(worker: DbWorker, job, label: str):  # type: ignore[no-untyped-def]
    """Run a long job on the worker while a progress dialog keeps the window alive. The dialog is made only
    when the job takes longer than PROGRESS_AFTER_MS (opening a file at start-up takes less: no dialog to make,
    ≈ 6 ms of the tree's time)."""
    loop = QEventLoop()
    outcome: dict[str, object] = {}
    shown: list[QProgressDialog] = []

    def show_progress() -> None:
        from PySide6.QtCore import Qt  # after the first frame (Qt's namespace of enums: ≈ 30 ms to create)
        from PySide6.QtWidgets import QProgressDialog

        progress = QProgressDialog(label, "", 0, 0)
        progress.setWindowTitle("Xin chờ")
        progress.setCancelButton(None)  # generating or migrating cannot be stopped half-way safely
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.show()
        shown.append(progress)

    timer = QTimer(singleShot=True, interval=PROGRESS_AFTER_MS)
    timer.timeout.connect(show_progress)

    def finish(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    worker.submit(job, lambda result: finish("result", result), lambda error: finish("error", error))
    timer.start()
    loop.exec()
    timer.stop()
    for progress in shown:
        progress.close()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]


def sign_in(worker: DbWorker) -> CurrentUser | None:
    """The login (or the first administrator's account) for the worker's database; None = the clerk left."""
    from khoi_desktop.gui.auth import sign_in as ask

    return ask(worker)


def run_on_server(app: QApplication, url: str, remembered: bool = False) -> int:
    """A server office (`--db postgresql://…`, or the one this workstation last used): no claim on a file, since
    several windows and workstations share the server by design; the window, the sign-in and the work as on a
    file. The remembered server out of reach: the connection dialog, filled in, to try again or change it."""
    from khoi_desktop.gui.remembered_server import remember_server

    while True:
        try:
            window, worker = open_in_window(url, _after_first_frame_on_server)
            break
        except Exception as error:
            present_error(None, error)
            if not remembered:
                return EXIT_REFUSED
            from khoi_desktop.gui.server_dialog import ServerDialog

            dialog = ServerDialog(None, address=url)
            if dialog.exec() != ServerDialog.DialogCode.Accepted:
                return 0
            url = dialog.url()
    if sign_in(worker) is None:
        worker.close()
        return 0
    remember_server(url)
    window.start(data_first=True)
    return app.exec()


def open_demo(path: Path) -> DbWorker:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.demo import generate_demo

    if path.exists():  # opened (an older one migrated) on the worker thread, like any existing file
        worker = DbWorker(None, path=path)
        try:
            worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
        except BaseException:
            worker.close()
            raise
        return worker

    worker = DbWorker(open_database(path, create=True))
    try:
        run_with_progress(worker, lambda db: generate_demo(db), "Đang tạo dữ liệu mẫu (5.356 đảng viên)…")
    except BaseException:
        worker.close()
        path.unlink(missing_ok=True)
        raise
    return worker


def open_new_office(path: Path, dialog: FirstStartDialog) -> DbWorker:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.keyslots.opening import abandon_new_file, start_encrypted_file
    from khoi_desktop.core.office import create_office

    # Encrypted from its first byte; the first administrator's account (sign_in) gives it its first key slot.
    recovery_key = start_encrypted_file(path)
    try:
        db: Database = open_database(path, create=True)
        with db.writing() as session:
            create_office(session, dialog.settings(), term=dialog.term.text(),
                          term_starts_on=dialog.term_start_date(), actor=os_user())
    except BaseException:
        abandon_new_file(path)
        raise
    worker = DbWorker(db)
    worker.recovery_key = recovery_key  # type: ignore[attr-defined]  # shown once the administrator exists
    return worker


def choose_worker(database: Path | None, demo: bool) -> DbWorker | None:
    """The database to work on, when it is not an existing file (a demo, or the first start's choice);
    None when the clerk chose to leave."""
    from khoi_desktop.gui.first_start_dialog import FirstStartChoice, FirstStartDialog

    if demo:
        return open_demo(demo_database())
    path = database or default_database()
    dialog = FirstStartDialog(target=path)
    if dialog.exec() != FirstStartDialog.DialogCode.Accepted:
        return None
    if dialog.choice is FirstStartChoice.DEMO:
        return open_demo(demo_database())
    if dialog.choice is FirstStartChoice.SERVER and dialog.server_url:
        from khoi_desktop.core.db import open_database

        return DbWorker(open_database(dialog.server_url))
    if dialog.choice is FirstStartChoice.RESTORE and dialog.restore_choice is not None:
        return restore_on_new_machine(path, *dialog.restore_choice)
    return open_new_office(path, dialog)


def restore_on_new_machine(path: Path, backup: Path, passphrase: str | None, unlock: OfficeUnlock) -> DbWorker:
    """The first start's restore into the new file `path` (nothing replaced): a backup of an encrypted office
    comes back encrypted with its own key file. Opened signed in when an account of the backup was given
    (its password opens the restored file too); else the login follows (the restored office's accounts)."""
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.backup.restore import restore_backup
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.keyslots.opening import is_encrypted, open_signed_in

    worker = DbWorker(None, path=path)
    try:
        run_with_progress(worker, lambda _db: restore_backup(backup, path, actor=os_user(), user=None,
                                                             passphrase=passphrase, unlock=unlock),
                          "Đang khôi phục dữ liệu từ bản sao lưu…")
    finally:
        worker.close()
    if is_encrypted(path) and unlock.username and unlock.password:
        return DbWorker(open_signed_in(path, unlock.username, unlock.password))
    return DbWorker(open_database(path))


def show_loading_window(path: Path | str) -> tuple[MainWindow, DbWorker]:
    """The main window for `path`, saying it is loading, its first frame painted: before the worker's imports
    compete for the GIL, and before anything reads the file (bench/start.py: spawn → window shown)."""
    worker = DbWorker(None, path=path)
    window = MainWindow(worker, start=False)
    window.show()
    QApplication.processEvents()
    return window, worker


def open_encrypted_in_window(path: Path, after_first_frame: Callable[[], object] = lambda: None,
                             shown: tuple[MainWindow, DbWorker] | None = None,
                             ) -> tuple[MainWindow, DbWorker] | None:
    """An encrypted file: the window shows (or was `shown` already), then the login unlocks the file with the
    account's own password and opens it on the worker, signed in. None when the clerk left."""
    from khoi_desktop.gui.auth.encrypted import sign_in_encrypted

    window, worker = shown or show_loading_window(path)
    window.build()  # its widgets and menus, after the first frame
    after_first_frame()
    try:
        user = sign_in_encrypted(worker)
    except BaseException:
        window.hide()
        worker.close()
        raise
    if user is None:
        window.hide()
        worker.close()
        return None
    return window, worker


def finish_first_start(worker: DbWorker, signed_in: bool) -> None:
    """After the first administrator of a new encrypted office: its recovery key, once. A new office left
    before any account is removed (only its settings were in it, and nobody could open it)."""
    recovery_key = getattr(worker, "recovery_key", None)
    if recovery_key is None:
        return
    worker.recovery_key = None  # type: ignore[attr-defined]
    if signed_in:
        from khoi_desktop.gui.auth.encrypted import show_recovery_key

        show_recovery_key(recovery_key)
    else:
        from khoi_desktop.core.keyslots.opening import abandon_new_file

        worker.close()
        abandon_new_file(worker.path)


def open_in_window(path: Path | str, after_first_frame: Callable[[], object] = lambda: None,
                   shown: tuple[MainWindow, DbWorker] | None = None) -> tuple[MainWindow, DbWorker]:
    """The common start: an existing file. The window shows at once (or was `shown` already), saying it is
    loading; the file opens (and an older one migrates, with a progress dialog when that takes a while) on the
    worker thread."""
    window, worker = shown or show_loading_window(path)
    after_first_frame()
    # Its widgets and menus (and Qt's enums) are built by start(), while the worker reads the first overview.
    try:
        worker.db = run_with_progress(worker, worker.open_job(), "Đang mở tệp dữ liệu…")
    except BaseException:
        window.hide()
        worker.close()
        raise
    return window, worker


def clean_leftovers_and_ask_encrypted(path: Path) -> bool:
    """Remove a killed restore's full-size plaintext copy next to the data; True when `path` is an encrypted
    office (its login unlocks it)."""
    from khoi_desktop.core.backup.leftovers import clean_leftovers
    from khoi_desktop.core.keyslots.opening import is_encrypted

    clean_leftovers(path)
    return is_encrypted(path)


def requested_database(database: Path | None, demo: bool) -> Path:
    return demo_database() if demo else (database or default_database())


def claim_instance(requested: Path) -> SingleInstance | None:
    """This process's claim on the database; None when a running window of this account took over (exit
    quietly).

    Raises DatabaseInUse naming who holds it when another account (or computer) has the database open, and
    DatabaseError when a window of this account holds it but does not answer.
    """
    from khoi_desktop.core.database_lock import DatabaseInUse, DatabaseLock
    from khoi_desktop.core.paths import data_dir
    from khoi_desktop.gui.single_instance import SingleInstance, instance_key

    # A first start: the data folder now, so the file lock has a place (asked only then: platformdirs).
    if not requested.parent.exists() and requested.parent == data_dir():
        requested.parent.mkdir(parents=True, exist_ok=True)
    instance = SingleInstance(instance_key(requested))
    if instance.claim():  # no window of this account has the file: nobody to bring forward
        lock = DatabaseLock(requested)
        if lock.acquire():
            instance.database_lock = lock
            return instance  # listening (Qt Network) after the window's first frame: run_gui
        instance.unclaim()
        if lock.holder is None or not lock.holder.here():
            log.info("launch on %s refused: held by %s", requested, lock.holder)
            raise DatabaseInUse(requested, lock.holder)
    if instance.notify_running(str(requested)):
        log.info("second launch on %s: the running window was brought forward", requested)
        return None
    lock = DatabaseLock(requested)
    acquired = lock.acquire()
    if not acquired and (lock.holder is None or not lock.holder.here()):
        log.info("launch on %s refused: held by %s", requested, lock.holder)
        raise DatabaseInUse(requested, lock.holder)
    if acquired and instance.start():
        instance.database_lock = lock
        return instance
    lock.release()
    if instance.notify_or_wait(str(requested)):  # the first one was still starting
        log.info("second launch on %s: the starting window was brought forward", requested)
        return None
    raise DatabaseError(f"Cơ sở dữ liệu {requested.name} đang được mở trong một cửa sổ khác của chương trình "
                        "nhưng cửa sổ đó không phản hồi. Hãy chuyển sang cửa sổ đó (hoặc đợi một lát, hoặc khởi "
                        "động lại máy tính) rồi mở lại.", code="already_running")


def offer_encryption_once_areas_are_in(window: MainWindow) -> None:
    """An administrator on a plain file with accounts is offered encryption once (gui/auth/encrypt_file.py):
    after the tree has filled and the areas (the ORM, gui/auth) have loaded, never in front of the tree."""

    def areas_in() -> None:
        if not window.areas_installed:
            return  # the first overview: the tree alone
        window.overview_loaded.disconnect(areas_in)
        from khoi_desktop.gui.auth.encrypt_file import offer

        QTimer.singleShot(0, lambda: offer(window))

    window.overview_loaded.connect(areas_in)


def run_gui(database: Path | str | None = None, demo: bool = False) -> int:
    app = make_application(alt_letters=False)  # installed after the first frame (or before a dialog)
    if isinstance(database, str):
        return run_on_server(app, database)
    if database is None and not demo:
        from khoi_desktop.gui.remembered_server import remembered_server

        last = remembered_server()
        if last is not None:  # this workstation works on the office's server: open it again
            return run_on_server(app, last, remembered=True)
    try:
        instance = claim_instance(requested_database(database, demo))
    except DatabaseError as error:
        present_error(None, error)
        return EXIT_REFUSED
    if instance is None:
        return 0
    shown: list[MainWindow] = []

    def activate(_payload: str) -> None:
        from khoi_desktop.gui.single_instance import bring_forward, front_window

        log.info("second launch: bringing the window forward")
        bring_forward(front_window(shown[0] if shown else None))

    instance.activated.connect(activate)

    def after_first_frame() -> None:  # what the first frame (the window or the first start dialog) can wait for
        instance.listen()
        load_remaining_fonts()
        install_alt_letters()

    try:
        try:
            path = requested_database(database, demo)
            signed_in = False
            if path.exists():
                # The window's first frame, then the file: a killed restore's leftovers, plain or encrypted
                # (the window is the same either way; the lock beside the file is already ours).
                first_frame = show_loading_window(path)
                try:
                    encrypted = clean_leftovers_and_ask_encrypted(path)
                except BaseException:
                    first_frame[0].hide()
                    first_frame[1].close()
                    raise
                if encrypted:
                    opened = open_encrypted_in_window(path, after_first_frame, first_frame)
                    if opened is None:
                        return 0
                    (window, worker), signed_in = opened, True
                else:
                    window, worker = open_in_window(path, after_first_frame, first_frame)
            else:
                from khoi_desktop.core.backup.leftovers import clean_leftovers

                clean_leftovers(path)  # a killed restore's full-size plaintext copy next to the data
                after_first_frame()
                chosen = choose_worker(database, demo)
                if chosen is None:
                    return 0
                worker, window = chosen, None
                signed_in = chosen.db is not None and chosen.db.user is not None  # restored with an account
        except Exception as error:
            present_error(None, error)
            return EXIT_REFUSED
        if not signed_in and sign_in(worker) is None:  # the login, or the first administrator's account
            finish_first_start(worker, signed_in=False)
            worker.close()
            return 0
        finish_first_start(worker, signed_in=True)
        if worker.db.is_server:  # the first start chose the office's server: the next start opens it again
            from khoi_desktop.gui.remembered_server import remember_server

            remember_server(worker.db.location)
        if window is None:
            window = MainWindow(worker, start=False)
            window.show()
        window.database_lock = instance.database_lock  # a file opened from the menu takes its own
        shown.append(window)
        offer_encryption_once_areas_are_in(window)
        window.start(data_first=True)  # the tree and counts from the worker, then the areas' menus
        return app.exec()
    finally:
        instance.stop()
