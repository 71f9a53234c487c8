"""Attendance marking at the speed of the keyboard: C có mặt, L vắng có lý do (then type the reason),
K vắng không lý do, Space cycles; after a mark the next member is selected. Exempt members stay as they are."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from khoi_desktop.core.meetings.models import AttendanceStatus
from khoi_desktop.core.meetings.recording import AttendanceInput
from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.models import MemberStatus
from khoi_desktop.gui.qt_values import item_at

PRESENT, WITH_REASON, WITHOUT_REASON, EXEMPT = "Có mặt", "Vắng có lý do", "Vắng không lý do", "Miễn sinh hoạt"
CYCLE = (PRESENT, WITH_REASON, WITHOUT_REASON)
KEYS = {Qt.Key.Key_C: PRESENT, Qt.Key.Key_L: WITH_REASON, Qt.Key.Key_K: WITHOUT_REASON}
COLOURS = {PRESENT: "#e3f4e3", WITH_REASON: "#fff4d6", WITHOUT_REASON: "#fbdcdc", EXEMPT: "#eeeeee"}
COL_CODE, COL_NAME, COL_STATUS, COL_MARK, COL_REASON = range(5)


class AttendanceTable(QTableWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("attendance")
        self.setHorizontalHeaderLabels(["Mã", "Họ và tên", "Tình trạng", "Dự họp (C / L / K)", "Lý do vắng"])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(26)  # Qt's 30 px rows showed 11 of 12 members at 1366×768
        header = self.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_CODE, 90), (COL_STATUS, 110), (COL_MARK, 140), (COL_REASON, 220)):
            self.setColumnWidth(column, width)
        self.setToolTip("Phím C: có mặt; L: vắng có lý do (gõ lý do); K: vắng không lý do; Cách: đổi lần lượt")
        self.itemChanged.connect(lambda _item: self.changed.emit())
        self.cellDoubleClicked.connect(self._double_clicked)

    def set_members(self, members: list[MemberRow], marks: dict[str, tuple[str, str | None]]) -> None:
        """Lists the members; `marks` keeps what was already marked (by member code)."""
        self.blockSignals(True)
        self.setRowCount(0)
        for row, member in enumerate(members):
            self.insertRow(row)
            exempt = member.status is MemberStatus.MIEN_SINH_HOAT
            mark, reason = (EXEMPT, None) if exempt else marks.get(member.code, (PRESENT, None))
            for column, text in ((COL_CODE, member.code), (COL_NAME, member.full_name),
                                 (COL_STATUS, member.status.label)):
                self.setItem(row, column, QTableWidgetItem(text))
            self.setItem(row, COL_MARK, QTableWidgetItem(mark))
            reason_item = QTableWidgetItem(reason or "")
            if exempt:
                reason_item.setFlags(reason_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(row, COL_REASON, reason_item)
            self._paint(row)
        self.blockSignals(False)
        if members:
            self.setCurrentCell(0, COL_MARK)
        self.changed.emit()

    def mark(self, row: int, value: str) -> None:
        item = self.item(row, COL_MARK)
        if item is None or item.text() == EXEMPT:
            return
        item.setText(value)
        if value != WITH_REASON:
            reason = self.item(row, COL_REASON)
            if reason is not None:
                reason.setText("")
        self._paint(row)

    def _paint(self, row: int) -> None:
        mark = self.item(row, COL_MARK)
        colour = QBrush(QColor(COLOURS.get(mark.text() if mark else PRESENT, "#ffffff")))
        for column in range(self.columnCount()):
            item = self.item(row, column)
            if item is not None:
                item.setBackground(colour)

    def _double_clicked(self, row: int, column: int) -> None:
        if column == COL_REASON:
            self.editItem(item_at(self, row, column))
        else:
            self._cycle(row)

    def _cycle(self, row: int) -> None:
        item = self.item(row, COL_MARK)
        if item is not None and item.text() in CYCLE:
            self.mark(row, CYCLE[(CYCLE.index(item.text()) + 1) % len(CYCLE)])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        key = Qt.Key(event.key())
        if row >= 0 and key in KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.mark(row, KEYS[key])
            if KEYS[key] == WITH_REASON:
                self.setCurrentCell(row, COL_REASON)
                self.editItem(item_at(self, row, COL_REASON))
            elif row + 1 < self.rowCount():
                self.setCurrentCell(row + 1, COL_MARK)
            return
        if row >= 0 and key == Qt.Key.Key_Space:
            self._cycle(row)
            return
        super().keyPressEvent(event)

    def all_present(self) -> None:
        for row in range(self.rowCount()):
            self.mark(row, PRESENT)

    def attendance(self) -> list[AttendanceInput]:
        words = {PRESENT: AttendanceStatus.PRESENT, WITH_REASON: AttendanceStatus.ABSENT,
                 WITHOUT_REASON: AttendanceStatus.ABSENT, EXEMPT: AttendanceStatus.EXCUSED}
        result = []
        for row in range(self.rowCount()):
            code, mark, reason = (self.item(row, c).text() for c in (COL_CODE, COL_MARK, COL_REASON))  # type: ignore[union-attr]
            text = " ".join(reason.split()) or None
            result.append(AttendanceInput(code, words[mark], text if mark == WITH_REASON else None))
        return result

    def marks(self) -> dict[str, tuple[str, str | None]]:
        return {a.member: (self.item(r, COL_MARK).text(), a.reason)  # type: ignore[union-attr]
                for r, a in enumerate(self.attendance())}

    def counts(self) -> dict[str, int]:
        totals = dict.fromkeys((PRESENT, WITH_REASON, WITHOUT_REASON, EXEMPT), 0)
        for row in range(self.rowCount()):
            totals[self.item(row, COL_MARK).text()] += 1  # type: ignore[union-attr]
        return totals
