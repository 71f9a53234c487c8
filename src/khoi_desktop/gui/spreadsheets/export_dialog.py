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
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.auth.gating import tag
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.gui.worker import DbWorker
from khoi_desktop.spreadsheets.exports import ExportKind, ExportOptions, ExportResult

_FILE_STEMS = {ExportKind.MEMBERS: "danh-sach-dang-vien", ExportKind.ORGANIZATIONS: "danh-sach-to-chuc",
               ExportKind.REGISTER: "so-van-ban-di", ExportKind.BIEU1: "bieu-1", ExportKind.BIEU5: "bieu-5"}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(parent: QWidget, day: dt.date, name: str) -> QDateEdit:
    edit = QDateEdit(_qdate(day), parent)
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
        self.org = QComboBox(self)
        self.org.setObjectName("org")
        self.org.addItem("Toàn Đảng bộ", None)
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
        self.buttons.rejected.connect(self.reject)

        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        self.form = QFormLayout()
        self.form.addRow("Loại:", self.kind)
        self.form.addRow("Tính đến ngày:", self.as_of)
        self.form.addRow("Từ ngày:", self.start)
        self.form.addRow("Đến ngày:", self.end)
        self.form.addRow("Tổ chức:", self.org)
        self.form.addRow("Lưu vào tệp:", path_row)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(result_row)
        layout.addWidget(self.buttons)
        self._last: ExportResult | None = None
        self._kind_changed()
        worker.submit(ops.list_orgs(as_of=as_of), self._show_orgs, lambda error: present_error(self, error))

    def _show_orgs(self, choices: list[ops.OrgChoice]) -> None:
        for choice in choices:
            self.org.addItem(choice.text, choice.code)

    def current_kind(self) -> ExportKind:
        return ExportKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        for widget, shown in ((self.as_of, not kind.uses_period), (self.start, kind.uses_period),
                              (self.end, kind.uses_period), (self.org, kind is ExportKind.MEMBERS)):
            self.form.setRowVisible(widget, shown)
        folder = Path(self.path.text()).parent if self.path.text() else Path.home()
        self.path.setText(str(folder / f"{_FILE_STEMS[kind]}.xlsx"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp Excel", self.path.text(), "Tệp Excel (*.xlsx)")
        if path:
            self.path.setText(path if path.lower().endswith(".xlsx") else f"{path}.xlsx")

    def start_export(self) -> None:
        kind = self.current_kind()
        options = ExportOptions(as_of=self.as_of.date().toPython(), start=self.start.date().toPython(),
                                end=self.end.date().toPython(), org=self.org.currentData())
        path = Path(self.path.text().strip())
        self.export_button.setEnabled(False)
        self.result_label.setText("Đang xuất…")
        self.worker.submit(ops.run_export(kind=kind, path=path, options=options), self._done, self._failed)

    def _done(self, result: ExportResult) -> None:
        self._last = result
        self.export_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self.result_label.setText(f"Đã xuất {result.kind.label.lower()}: {result.summary}.\n{result.path}")
        self.exported.emit(result)

    def _failed(self, error: Exception) -> None:
        self.export_button.setEnabled(True)
        self.result_label.setText("")
        present_error(self, error)

    def _open_file(self) -> None:
        if self._last is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last.path)))
