"""Phiếu chấm điểm (administrator): the criteria and rating bands of each kind of meeting. Saving stores a new
version; meetings already rated keep the version they were scored by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.meetings.criteria import Band, CriteriaSheet, Criterion
from khoi_desktop.core.meetings.models import MeetingKind, Rating
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.meetings import ops

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class CriteriaDialog(QDialog):
    loaded = Signal()
    saved = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("criteria_dialog")
        self.setWindowTitle("Phiếu chấm điểm sinh hoạt chi bộ")
        self.window_ = window
        self.sheets: dict[MeetingKind, CriteriaSheet] = {}
        self.resize(860, 560)
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for kind in MeetingKind:
            self.kind.addItem(f"Sinh hoạt {kind.label.lower()}", kind.value)
        self.version = QLabel(self)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("criteria")
        self.table.setHorizontalHeaderLabels(["Mã", "Tiêu chí", "Điểm tối đa"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add = tag(QPushButton("Thêm tiêu chí", self), Permission.SETTINGS)
        remove = tag(QPushButton("Bỏ tiêu chí đang chọn", self), Permission.SETTINGS)
        add.setObjectName("add_criterion")
        remove.setObjectName("remove_criterion")
        add.clicked.connect(lambda: self._add_row("", "", 10))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        self.bands: dict[Rating, QSpinBox] = {}
        bands = QFormLayout()
        for rating in Rating:
            edit = QSpinBox(self)
            edit.setObjectName(f"band_{rating.value}")
            edit.setRange(0, 1000)
            bands.addRow(f"{rating.label} từ (điểm):", edit)
            self.bands[rating] = edit
        self.save_button = tag(QPushButton("Lưu phiếu", self), Permission.SETTINGS)
        self.save_button.setObjectName("save_criteria")
        self.save_button.setProperty("permission", Permission.SETTINGS.value)
        self.save_button.clicked.connect(self.save)
        close = tag(QPushButton("Đóng", self), Permission.READ)
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.version, 1)
        rows = QHBoxLayout()
        rows.addWidget(add)
        rows.addWidget(remove)
        rows.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(rows)
        layout.addLayout(bands)
        layout.addWidget(QLabel("Sửa phiếu không xếp loại lại các cuộc họp đã chấm: mỗi cuộc giữ phiếu đã dùng.", self))
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        window.worker.submit(ops.load_criteria(), self._loaded, lambda e: present_error(self, e))

    @property
    def current_kind(self) -> MeetingKind:
        return MeetingKind(self.kind.currentData())

    def _loaded(self, sheets: dict[MeetingKind, CriteriaSheet]) -> None:
        self.sheets = sheets
        self._show()
        self.loaded.emit()

    def _add_row(self, code: str, name: str, points: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(code))
        self.table.setItem(row, 1, QTableWidgetItem(name))
        spin = QSpinBox(self.table)
        spin.setRange(1, 1000)
        spin.setValue(points)
        self.table.setCellWidget(row, 2, spin)

    def _show(self) -> None:
        sheet = self.sheets.get(self.current_kind)
        if sheet is None:
            return
        self.version.setText(f"  Phiên bản {sheet.version}, tổng {sheet.total} điểm")
        self.table.setRowCount(0)
        for criterion in sheet.criteria:
            self._add_row(criterion.code, criterion.name, criterion.max_points)
        for band in sheet.bands:
            self.bands[band.rating].setValue(band.min_points)

    def sheet(self) -> CriteriaSheet:
        criteria = []
        for row in range(self.table.rowCount()):
            code = ((cell := self.table.item(row, 0)) and cell.text() or "").strip()
            name = ((cell := self.table.item(row, 1)) and cell.text() or "").strip()
            spin = self.table.cellWidget(row, 2)
            if not code or not name:
                raise ValidationError(f"Dòng {row + 1}: cần mã và nội dung tiêu chí.", code="invalid_sheet")
            criteria.append(Criterion(code, name, spin.value() if isinstance(spin, QSpinBox) else 0))
        bands = tuple(Band(rating, edit.value()) for rating, edit in self.bands.items())
        return CriteriaSheet(self.current_kind, "", tuple(criteria), bands)

    def save(self) -> None:
        try:
            sheet = self.sheet()
        except ValidationError as error:
            present_error(self, error)
            return

        def done(saved: CriteriaSheet) -> None:
            self.sheets[saved.kind] = saved
            self._show()
            self.saved.emit(saved.version)
            QMessageBox.information(self, "Đã lưu", f"Đã lưu phiếu chấm điểm, phiên bản {saved.version}.")

        self.window_.worker.submit(ops.save_criteria(sheet=sheet), done, lambda e: present_error(self, e))
