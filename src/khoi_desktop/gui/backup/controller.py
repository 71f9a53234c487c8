"""Backups in the main window: menu actions, the status-bar note, periodic and on-close backups, restore.

All database work goes to the window's worker; a restore runs on its own thread while the worker is
closed, then the window reopens the restored file.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from khoi_desktop.core.audit import os_user
from khoi_desktop.core.backup.describe import contents_text, show_time
from khoi_desktop.core.backup.reader import OfficeUnlock
from khoi_desktop.core.backup.restore import RestoreResult, restore_backup
from khoi_desktop.core.backup.settings import BackupSettings
from khoi_desktop.core.backup.storage import StorageKind, storage_kind
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.paths import backups_dir
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.backup import ops
from khoi_desktop.gui.backup.progress import BackgroundTask, ProgressRelay, WorkProgressDialog, progress_dialog
from khoi_desktop.gui.backup.status_note import WARNING_STYLE, backup_note
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.fitting_label import FittingLabel

log = logging.getLogger(__name__)
NOTE_REFRESH_MS = 60 * 60 * 1000


def _dismiss(dialog: QWidget) -> None:
    if isinstance(dialog, WorkProgressDialog):
        dialog.finish()
    dialog.close()
    dialog.deleteLater()


class BackupController(QObject):
    backup_finished = Signal(object)  # ops.BackupDone
    restored = Signal(object)  # RestoreResult
    status_loaded = Signal()

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.main_window = window
        self.clock: Callable[[], dt.datetime] = dt.datetime.now  # tests inject a fixed time
        self.settings = BackupSettings()
        self.last_backup_at: dt.datetime | None = None
        self.last_message = ""
        self.last_path: Path | None = None
        self.warn: Callable[[str, str], None] = self._warn_box
        self.confirm: Callable[[str, str], bool] = self._confirm_box
        self._baseline: int | None = None  # change token at the last backup (or when the file was opened)
        self._worker: Any = None
        self._closing = self._restoring = self._auto_running = False
        self.note = FittingLabel(window)  # cut with «…» on a narrow screen; the tooltip and Sao lưu say it all
        self.note.setObjectName("backup_note")
        window.statusBar().addPermanentWidget(self.note)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.run_auto_backup)
        self.note_timer = QTimer(self, interval=NOTE_REFRESH_MS)
        self.note_timer.timeout.connect(self.refresh_note)
        self.note_timer.start()
        window.installEventFilter(self)
        window.overview_loaded.connect(self._on_overview)
        self._attach(window.worker)

    @property
    def folder(self) -> Path:
        return Path(self.settings.folder) if self.settings.folder else backups_dir()

    # --- state ---------------------------------------------------------------------------
    def _attach(self, worker: Any) -> None:
        self._worker, self._baseline = worker, None
        worker.submit(ops.load_status(), self._on_status, self._on_status_error)

    def _on_overview(self) -> None:
        if self.main_window.worker is not self._worker and not self._restoring:
            self._attach(self.main_window.worker)  # another file was opened

    def _on_status(self, status: ops.BackupStatus) -> None:
        first = self._baseline is None
        self._baseline, self.last_backup_at = status.token, status.last_backup_at
        self.apply_settings(status.settings)
        self.status_loaded.emit()
        if first:
            self._worker.submit(ops.check_health(), self._on_health,
                                lambda error: log.warning("health check failed: %r", error))

    def _on_health(self, problems: list[str]) -> None:
        if problems:
            self.warn("Cơ sở dữ liệu có lỗi",
                      "Kiểm tra khi mở tệp phát hiện lỗi trong tệp dữ liệu:\n" + "\n".join(problems[:5])
                      + "\n\nChương trình sẽ không tạo bản sao lưu từ tệp này, để các bản sao lưu tốt không bị "
                        "thay thế. Hãy báo bộ phận kỹ thuật, hoặc khôi phục từ bản sao lưu gần nhất "
                        "(Sao lưu › Khôi phục…).")

    def _on_status_error(self, error: Exception) -> None:
        log.warning("backup status not loaded: %r", error)
        self._set_note("⚠ Không đọc được thông tin sao lưu", True)

    def apply_settings(self, settings: BackupSettings) -> None:
        self.settings = settings
        self.timer.stop()
        if settings.interval_minutes > 0 and not self._closing:
            self.timer.start(settings.interval_minutes * 60_000)
        self.refresh_note()

    def refresh_note(self) -> None:
        self._set_note(*backup_note(self.last_backup_at, self.clock()))

    def _set_note(self, text: str, warning: bool) -> None:
        # A warning's short form is its first part («⚠ Chưa có bản sao lưu nào»): at 1366 px beside a wrong
        # «Xem tại ngày» the whole sentence was cut to «…hãy chọ…»; the tooltip says it all.
        head = text.split(": ", 1)[0].split(" (", 1)[0]
        if warning and head != text:
            self.note.set_texts(text, head)
        else:
            self.note.setText(text)
        self.note.setStyleSheet(WARNING_STYLE if warning else "")
        self.note.setToolTip(f"{text}\nThư mục sao lưu tự động: {self.folder}")

    def _record(self, done: ops.BackupDone) -> None:
        self._baseline = done.token
        self.last_backup_at = done.result.manifest.created_at
        self.refresh_note()
        self.last_path = done.result.path
        self.note.setToolTip(f"Bản sao lưu mới nhất: {done.result.path}\nThư mục sao lưu tự động: {self.folder}")
        self.backup_finished.emit(done)

    # --- backups -------------------------------------------------------------------------
    def _submit_with_progress(self, job_for: Callable[[Callable[[float, str], None]], Any], title: str,
                              on_done: Callable[[Any], None]) -> None:
        dialog = progress_dialog(self.main_window, title, "Đang sao lưu…")
        relay = ProgressRelay(dialog)

        def done(result: Any) -> None:
            _dismiss(dialog)
            on_done(result)

        def failed(error: Exception) -> None:
            _dismiss(dialog)
            present_error(self.main_window, error)

        self.main_window.worker.submit(job_for(relay.report), done, failed)

    def backup_now(self) -> None:
        self._submit_with_progress(
            lambda report: ops.back_up(folder=self.folder, kind="manual", policy=self.settings.policy,
                                       now=self.clock(), progress=report),
            "Sao lưu", self._record)

    def back_up_to(self, folder: Path, passphrase: str | None) -> None:
        def finished(done: ops.BackupDone) -> None:
            self._record(done)
            text = (f"Đã ghi và đọc lại kiểm tra bản sao lưu {done.result.path.name}"
                    f"{' (có mã hóa)' if done.result.encrypted else ''} vào {folder}.\n\n"
                    f"Bản sao lưu có {contents_text(done.result.manifest)}.")
            if storage_kind(folder) is StorageKind.REMOVABLE:
                text += "\n\nCó thể rút USB ra an toàn."
            self.notify("Đã sao lưu", text)

        self._submit_with_progress(
            lambda report: ops.back_up(folder=folder, kind="usb", passphrase=passphrase, now=self.clock(),
                                       progress=report),
            "Sao lưu ra USB", finished)

    def run_auto_backup(self) -> None:
        """Periodic backup into the backups folder, only when the data changed since the last one."""
        self.refresh_note()
        if (self._auto_running or self._restoring or self._closing or self._baseline is None
                or self.main_window.worker is not self._worker):
            return
        self._auto_running = True
        self.main_window.worker.submit(
            ops.back_up_if_changed(baseline=self._baseline, folder=self.folder, policy=self.settings.policy,
                                   now=self.clock()),
            self._auto_done, self._auto_failed)

    def _auto_done(self, done: ops.BackupDone | None) -> None:
        self._auto_running = False
        if done is not None:
            self._record(done)

    def _auto_failed(self, error: Exception) -> None:
        self._auto_running = False
        log.warning("automatic backup failed: %r", error)
        message = error.message if isinstance(error, KhoiError) else f"{type(error).__name__}: {error}"
        self._set_note(f"⚠ Sao lưu tự động không thành công: {message}", True)

    # --- closing -------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.main_window and event.type() == QEvent.Type.Close and not self._closing:
            window: Any = watched
            if isinstance(event, QCloseEvent) and not window.may_close(event):
                event.ignore()  # a dialog still holds typed text and the clerk went back to it
                return True
            self._closing = True
            self.timer.stop()
            self.note_timer.stop()
            if not self._restoring:
                self._back_up_before_close()
        return False

    def _back_up_before_close(self) -> None:
        job = ops.check_and_back_up(baseline=self._baseline, folder=self.folder, policy=self.settings.policy,
                                    now=self.clock())
        dialog = progress_dialog(self.main_window, "Đang đóng", "Đang kiểm tra và sao lưu dữ liệu trước khi đóng…")
        dialog.setRange(0, 0)
        loop = QEventLoop()
        outcome: dict[str, Any] = {}

        def finish(key: str, value: Any) -> None:
            outcome[key] = value
            loop.quit()

        self.main_window.worker.submit(job, lambda r: finish("done", r), lambda e: finish("error", e))
        loop.exec()
        _dismiss(dialog)
        if "error" in outcome:
            error = outcome["error"]
            log.warning("backup on close failed: %r", error)
            detail = error.message if isinstance(error, KhoiError) else f"{type(error).__name__}: {error}"
            self.warn("Sao lưu khi đóng không thành công", detail)
            return
        result: ops.CloseOutcome = outcome["done"]
        if result.problems:
            self.warn("Cơ sở dữ liệu có lỗi",
                      "Kiểm tra nhanh (quick_check) phát hiện lỗi trong tệp dữ liệu:\n"
                      + "\n".join(result.problems[:5])
                      + "\n\nKhông tạo bản sao lưu khi đóng, để các bản sao lưu tốt không bị thay thế. Hãy báo "
                        "bộ phận kỹ thuật, hoặc khôi phục từ bản sao lưu gần nhất (Sao lưu › Khôi phục…).")
        elif result.done is not None:
            self._record(result.done)

    # --- restore -------------------------------------------------------------------------
    def restore(self, backup: Path, passphrase: str | None, unlock: OfficeUnlock | None = None) -> None:
        """Close the worker, restore over the open file on a thread, reopen it (restored or not)."""
        if self.main_window.worker.db.is_server:  # an office on a server is never replaced from a window
            self.warn("Không khôi phục được từ cửa sổ",
                      "Dữ liệu đang mở nằm trên máy chủ, nơi các máy trạm khác đang làm việc: phần mềm không ghi "
                      "đè văn phòng trên máy chủ. Kỹ thuật viên khôi phục bản sao lưu vào một cơ sở dữ liệu trống "
                      "(lệnh restore … --to postgresql://…) rồi đổi địa chỉ ở các máy trạm.")
            return
        target = self.main_window.worker.db.path
        self._restoring = True
        self.timer.stop()
        self.main_window.worker.close()
        dialog = progress_dialog(self.main_window, "Khôi phục", "Đang khôi phục…")
        relay = ProgressRelay(dialog)

        def done(result: RestoreResult) -> None:
            _dismiss(dialog)
            self._restoring = False
            self.main_window.open_file(result.target)
            text = f"Đã khôi phục dữ liệu từ bản sao lưu lúc {show_time(result.manifest.created_at)}."
            if result.counts is not None:  # as the status bar counts it, as the command line's restore says
                text += (f"\n\nTính đến ngày {show_date(result.counts.as_of)} (cách đếm của thanh trạng thái): "
                         f"{result.counts.summary()}.")
            text += f"\n\nBản sao lưu có {contents_text(result.manifest)}."
            if result.safety_copy:
                text += f"\n\nDữ liệu trước khi khôi phục được giữ ở:\n{result.safety_copy}"
            self.notify("Đã khôi phục", text)
            self.restored.emit(result)

        def failed(error: Exception) -> None:
            _dismiss(dialog)
            self._restoring = False
            self.main_window.open_file(target)  # untouched: reopen what was there
            present_error(self.main_window, error)

        self._task = BackgroundTask(
            lambda report: restore_backup(backup, target, actor=os_user(), user=self.main_window.user,
                                          passphrase=passphrase, progress=report, unlock=unlock),
            on_done=done, on_error=failed, relay=relay, parent=self).start()

    # --- messages and dialogs ------------------------------------------------------------
    def notify(self, title: str, text: str) -> None:
        self.last_message = text
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, self.main_window)
        box.button(QMessageBox.StandardButton.Close).setText("Đóng")
        box.setObjectName("backup_message")
        box.open()

    def _warn_box(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Close, self.main_window)
        box.button(QMessageBox.StandardButton.Close).setText("Đóng")
        box.exec()

    def _confirm_box(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.main_window)
        box.button(QMessageBox.StandardButton.Yes).setText("Khôi phục")
        box.button(QMessageBox.StandardButton.No).setText("Không")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_usb_dialog(self) -> QWidget:
        from khoi_desktop.gui.backup.usb_dialog import UsbBackupDialog

        return self._open(UsbBackupDialog(self, self.main_window))

    def open_list_dialog(self) -> QWidget:
        from khoi_desktop.gui.backup.list_dialog import BackupListDialog

        return self._open(BackupListDialog(self, self.main_window))

    def open_restore_dialog(self, path: Path | None = None) -> QWidget:
        from khoi_desktop.gui.backup.restore_dialog import RestoreDialog

        return self._open(RestoreDialog(self, self.main_window, path))

    def open_settings_dialog(self) -> QWidget:
        from khoi_desktop.gui.backup.settings_dialog import BackupSettingsDialog

        return self._open(BackupSettingsDialog(self, self.main_window))

    @staticmethod
    def _open(dialog: QWidget) -> QWidget:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
