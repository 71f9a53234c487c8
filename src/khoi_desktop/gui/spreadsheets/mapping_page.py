"""Second page: each column of the sheet, the field it fills and the encoding of its text, with a
before/after preview; the clerk confirms or changes them before the dry run."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.encodings import Encoding
from khoi_desktop.core.encodings.detect import preview
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.gui.spreadsheets.wizard_page import WorkerPage
from khoi_desktop.spreadsheets.mapping import FIELDS, ColumnMapping

if TYPE_CHECKING:
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard

# (label, encoding, TCVN3 uppercase font)
ENCODING_CHOICES = [
    ("Unicode", Encoding.UNICODE, None),
    ("TCVN3 (.VnTime)", Encoding.TCVN3, None),
    ("TCVN3 chữ hoa (.VnTimeH)", Encoding.TCVN3, True),
    ("VNI-Windows", Encoding.VNI, None),
    ("VIQR", Encoding.VIQR, None),
]


class MappingPage(WorkerPage):
    COL_LETTER, COL_HEADER, COL_FIELD, COL_ENCODING, COL_PREVIEW = range(5)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Xác nhận các cột")
        self.setSubTitle("Kiểm tra mỗi cột được nhập vào trường nào và bảng mã chữ của cột; cột “(bỏ qua)” "
                         "không được nhập. Cột “Trước → Sau” cho thấy chữ sau khi chuyển mã.")
        self.info = QLabel(self)
        self.info.setObjectName("sheet_info")
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("mapping_table")
        self.table.setHorizontalHeaderLabels(["Cột", "Tiêu đề trong tệp", "Nhập vào", "Bảng mã", "Trước → Sau"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.COL_PREVIEW, QHeaderView.ResizeMode.Stretch)
        for column, width in ((self.COL_LETTER, 44), (self.COL_HEADER, 210), (self.COL_FIELD, 190),
                              (self.COL_ENCODING, 190)):
            self.table.setColumnWidth(column, width)
        self.problems = QLabel(self)
        self.problems.setObjectName("mapping_problems")
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.busy_label)
        self.field_combos: dict[int, QComboBox] = {}
        self.encoding_combos: dict[int, QComboBox] = {}

    def initializePage(self) -> None:
        loaded = self.state.loaded
        assert loaded is not None
        table, mapping = loaded.table, loaded.mapping
        top, bottom = table.header_rows
        rows = f"dòng {top}" if top == bottom else f"dòng {top}–{bottom}"
        titles = " / ".join(table.titles[:3])
        self.info.setText(f"Trang “{table.sheet}”{': ' + titles if titles else ''}. Tiêu đề cột ở {rows}; "
                          f"{len(table.rows)} dòng dữ liệu.")
        self.table.setRowCount(len(mapping.columns))
        self.field_combos.clear()
        self.encoding_combos.clear()
        for row, column in enumerate(mapping.columns):
            self.table.setItem(row, self.COL_LETTER, QTableWidgetItem(column.letter))
            self.table.setItem(row, self.COL_HEADER, QTableWidgetItem(column.header))
            fields = QComboBox(self.table)
            fields.addItem("(bỏ qua)", None)
            for key, (label, _synonyms) in FIELDS.items():
                fields.addItem(label, key)
            fields.setCurrentIndex(max(0, fields.findData(column.field)) if column.field else 0)
            fields.currentIndexChanged.connect(lambda _i, c=column, box=fields: self._field_changed(c, box))
            self.table.setCellWidget(row, self.COL_FIELD, fields)
            self.field_combos[column.index] = fields
            encodings = QComboBox(self.table)
            for label, _encoding, _upper in ENCODING_CHOICES:
                encodings.addItem(label)
            encodings.setCurrentIndex(self._encoding_index(column))
            encodings.currentIndexChanged.connect(lambda i, c=column: self._encoding_changed(c, i))
            self.table.setCellWidget(row, self.COL_ENCODING, encodings)
            self.encoding_combos[column.index] = encodings
            self._show_preview(row, column)
        self._show_problems()

    @staticmethod
    def _encoding_index(column: ColumnMapping) -> int:
        for i, (_label, encoding, upper) in enumerate(ENCODING_CHOICES):
            if encoding is column.encoding and (upper is True) == (column.detection.upper is True):
                return i
        return 0

    def _show_preview(self, row: int, column: ColumnMapping) -> None:
        pairs = column.preview[:3]
        text = "; ".join(f"{before} → {after}" if before != after else after for before, after in pairs)
        if any(before != after and unicodedata.normalize("NFC", before) == after for before, after in pairs):
            text = f"(dấu tổ hợp NFD → dựng sẵn NFC) {text}"
        item = QTableWidgetItem(text)
        item.setToolTip("\n".join(f"{before}  →  {after}" for before, after in column.preview))
        self.table.setItem(row, self.COL_PREVIEW, item)

    def _field_changed(self, column: ColumnMapping, box: QComboBox) -> None:
        loaded = self.state.loaded
        assert loaded is not None
        loaded.mapping.set_field(column.index, box.currentData())
        self._show_problems()

    def _encoding_changed(self, column: ColumnMapping, choice: int) -> None:
        loaded = self.state.loaded
        assert loaded is not None
        _label, encoding, upper = ENCODING_CHOICES[choice]
        loaded.mapping.set_encoding(column.index, encoding, upper=upper)
        updated = loaded.mapping.column(column.index)
        updated.preview = preview(loaded.table.texts(column.index), updated.detection)
        self._show_preview(loaded.mapping.columns.index(updated), updated)

    def _show_problems(self) -> None:
        loaded = self.state.loaded
        problems = loaded.mapping.problems() if loaded else []
        self.problems.setText("\n".join(problems))
        self.completeChanged.emit()

    def set_field(self, letter: str, key: str | None) -> None:
        """Choose the field of a column (as the clerk would with its combo box)."""
        loaded = self.state.loaded
        assert loaded is not None
        column = next(c for c in loaded.mapping.columns if c.letter == letter)
        box = self.field_combos[column.index]
        box.setCurrentIndex(box.findData(key) if key else 0)

    def isComplete(self) -> bool:
        loaded = self.state.loaded
        return super().isComplete() and loaded is not None and not loaded.mapping.problems()

    def validatePage(self) -> bool:
        if self.advancing():
            return True
        loaded = self.state.loaded
        assert loaded is not None
        loaded.mapping.confirm()
        self.run(ops.dry_run(table=loaded.table, mapping=loaded.mapping, options=self.state.options()),
                 lambda report: setattr(self.state, "report", report), "Đang kiểm tra từng dòng…", then_next=True)
        return False
