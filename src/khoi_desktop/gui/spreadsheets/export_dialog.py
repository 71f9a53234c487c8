"""Export a list or a statistical form to an Excel file laid out for printing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.member_events.lists import BADGE_OCCASIONS, next_occasion
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.tree import OrgSnapshot
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.file_dialogs import ask_save_path, start_folder
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.ops import EndedOrg
from khoi_desktop.gui.qt_values import python_date
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.gui.worker import DbWorker
from khoi_desktop.gui.workflows.pickers import OrgPicker
from khoi_desktop.spreadsheets.exports import ExportCancelled, ExportKind, ExportOptions, ExportResult

_FILE_STEMS = {ExportKind.MEMBERS: "danh-sach-dang-vien", ExportKind.ORGANIZATIONS: "danh-sach-to-chuc",
               ExportKind.REGISTER: "so-van-ban-di", ExportKind.RECORDED: "so-ghi-nhan-quyet-dinh",
               ExportKind.BIEU1: "bieu-1", ExportKind.BIEU5: "bieu-5", ExportKind.BADGES: "huy-hieu-dang"}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(parent: QWidget, day: dt.date, name: str) -> QDateEdit:
    edit = DateEdit(_qdate(day), parent)
    edit.setObjectName(name)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult

    def __init__(self, worker: DbWorker, parent: QWidget | None = None, *, as_of: dt.date | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.setWindowTitle("Xuất Excel")
        self.resize(640, 320)
        as_of = as_of or dt.date.today()
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for kind in ExportKind:
            self.kind.addItem(kind.label, kind.value)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.as_of = _date_edit(self, as_of, "as_of")
        self.start = _date_edit(self, dt.date(as_of.year, 1, 1), "start")
        self.end = _date_edit(self, as_of, "end")
        # ≈ 425 organizations: typed and completed (no accents needed), as in the wizards.
        self.org = OrgPicker(None, list(OrgKind), top_level_label="Toàn Đảng bộ", what="tổ chức", parent=self)
        self.org.setObjectName("org")
        self.path = QLineEdit(self)
        self.path.setObjectName("path")
        browse = tag(QPushButton("Chọn…", self), Permission.READ)
        browse.clicked.connect(self._browse)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.open_button = tag(QPushButton("Mở tệp", self), Permission.READ)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_file)
        self.buttons = vietnamese_buttons(QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self))
        self.export_button = tag(self.buttons.addButton("Xuất", QDialogButtonBox.ButtonRole.ActionRole),
                                 Permission.READ)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.start_export)
        self.stop_button = tag(self.buttons.addButton("Dừng", QDialogButtonBox.ButtonRole.ActionRole), Permission.READ)
        self.stop_button.setObjectName("stop")
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self.stop_export)
        self.buttons.rejected.connect(self.reject)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setVisible(False)
        self._run: ops.ExportRun | None = None

        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.form = QFormLayout()
        self.form.addRow("Loại:", self.kind)
        self.form.addRow("Tính đến ngày:", self.as_of)
        self.form.addRow("Từ ngày:", self.start)
        self.form.addRow("Đến ngày:", self.end)
        self.form.addRow("Tổ chức:", self.org)
        self.form.addRow(row_label("Lưu vào tệp:", self.path), path_row)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(result_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self._last: ExportResult | None = None
        self._kind_changed()
        for edit in (self.as_of, self.start, self.end):  # a result for other choices no longer holds
            edit.dateChanged.connect(lambda _date: self._forget_result())
        self.org.choice_changed.connect(self._forget_result)
        worker.submit(ops.org_tree(as_of=as_of), self._show_orgs, lambda error: present_error(self, error))

    def _show_orgs(self, tree: tuple[OrgSnapshot, list[EndedOrg]]) -> None:
        snapshot, ended = tree
        self.org.set_ended(ended)
        self.org.fill(snapshot)
        self.org.select_code(None)  # the whole office, as before the list came

    def current_kind(self) -> ExportKind:
        return ExportKind(self.kind.currentData())

    def _forget_result(self) -> None:
        self.result_label.clear()
        self.open_button.setEnabled(False)

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self._forget_result()
        for widget, shown in ((self.as_of, not kind.uses_period), (self.start, kind.uses_period),
                              (self.end, kind.uses_period), (self.org, kind is ExportKind.MEMBERS)):
            self.form.setRowVisible(widget, shown)
        label = self.form.labelForField(self.as_of)
        badges = kind is ExportKind.BADGES
        if isinstance(label, QLabel):
            label.setText("Đợt xét tặng:" if badges else "Tính đến ngày:")
        if badges and (self.as_of.date().month(), self.as_of.date().day()) not in BADGE_OCCASIONS:
            self.as_of.setDate(_qdate(next_occasion(python_date(self.as_of.date()))))
        folder = Path(self.path.text()).parent if self.path.text() else start_folder()
        self.path.setText(str(folder / f"{_FILE_STEMS[kind]}.xlsx"))

    def _browse(self) -> None:
        path = ask_save_path(self, "Lưu tệp Excel", self.path.text(), "Tệp Excel (*.xlsx)", "xlsx")
        if path is not None:
            self.path.setText(str(path))

    def start_export(self) -> None:
        kind = self.current_kind()
        if kind is ExportKind.MEMBERS and (problem := self.org.problem()) is not None:
            QMessageBox.warning(self, "Xuất Excel", f"Tổ chức: {problem}")
            self.org.setFocus()
            return
        org = self.org.code() if kind is ExportKind.MEMBERS else None
        options = ExportOptions(as_of=python_date(self.as_of.date()), start=python_date(self.start.date()),
                                end=python_date(self.end.date()), org=org)
        path = Path(self.path.text().strip())
        self._run = ops.ExportRun()
        self._run.progressed.connect(self._progressed)
        self.export_button.setEnabled(False)
        self.stop_button.setVisible(True)
        self.stop_button.setEnabled(True)
        self.progress.setRange(0, 0)  # busy until the number of rows is known
        self.progress.setVisible(True)
        self.result_label.setText("Đang xuất…")
        self.worker.submit(ops.run_export(kind=kind, path=path, options=options, run=self._run), self._done,
                           self._failed)

    def stop_export(self) -> None:
        if self._run is not None:
            self._run.cancel()
            self.stop_button.setEnabled(False)
            self.result_label.setText("Đang dừng…")

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.result_label.setText(f"Đang xuất… {thousands(done)}/{thousands(total)} dòng")

    def _finished(self) -> None:
        self._run = None
        self.export_button.setEnabled(True)
        self.stop_button.setVisible(False)
        self.progress.setVisible(False)

    def _done(self, result: ExportResult) -> None:
        self._finished()
        self._last = result
        self.open_button.setEnabled(True)
        self.result_label.setText(f"Đã xuất {result.kind.label.lower()}: {result.summary}.\n{result.path}")
        self.exported.emit(result)

    def _failed(self, error: Exception) -> None:
        self._finished()
        if isinstance(error, ExportCancelled):
            self.result_label.setText(error.message)
            return
        self.result_label.setText("")
        present_error(self, error)

    def reject(self) -> None:
        """Closing the dialog while it exports stops the export (no half-written file is left)."""
        self.stop_export()
        super().reject()

    def _open_file(self) -> None:
        if self._last is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last.path)))
