"""The probation list: probationary members due (or overdue) for recognition by a date, recognized in one
decision from here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows.request_wizard import pydate, qdate

if TYPE_CHECKING:
    from khoi_desktop.core.db import Database
    from khoi_desktop.core.member_events.lists import ListedMember
    from khoi_desktop.gui.main_window import MainWindow

COLUMNS = ["Mã", "Họ và tên", "Chi bộ", "Ngày vào Đảng", "Đủ 12 tháng"]


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def load_probation(due_by: dt.date):  # type: ignore[no-untyped-def]
    def job(db: Database) -> list[ListedMember]:
        from khoi_desktop.core.member_events.lists import probation_due

        with db.reading() as session:
            return probation_due(session, due_by, as_of=dt.date.today())

    return job


class ProbationDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Đảng viên dự bị đến hạn xét công nhận chính thức")
        self.resize(900, 560)
        self.due_by = DateEdit(qdate(_month_end(dt.date.today())), self)
        self.due_by.setObjectName("due_by")
        self.due_by.setCalendarPopup(True)
        self.due_by.setDisplayFormat("dd/MM/yyyy")
        self.summary = QLabel(self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("probation_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in (1, 2)
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.recognize = tag(QPushButton("Công nhận chính thức những người đã đủ 12 tháng…", self),
                             Permission.DRAFT_ISSUE)
        self.recognize.setObjectName("recognize")
        self.recognize.clicked.connect(self.open_recognition)
        top = QHBoxLayout()
        top.addWidget(QLabel("Đến hạn trước hoặc vào ngày:", self))
        top.addWidget(self.due_by)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(self.recognize, alignment=Qt.AlignmentFlag.AlignRight)
        self.rows: list[ListedMember] = []
        self.due_by.dateChanged.connect(lambda *_: self.reload())
        self.reload()

    def reload(self) -> None:
        self.recognize.setEnabled(False)
        self.main_window.worker.submit(load_probation(pydate(self.due_by.date())), self.show_rows)

    def show_rows(self, rows: Any) -> None:
        self.rows = list(rows)
        today = dt.date.today()
        self.table.setRowCount(len(self.rows))
        for r, m in enumerate(self.rows):
            for c, text in enumerate([m.code, m.full_name, m.org_name or "", show_date(m.admitted_on),
                                      show_date(m.due_on)]):
                item = QTableWidgetItem(text)
                if m.due_on is not None and m.due_on < today:
                    item.setForeground(Qt.GlobalColor.darkRed)  # overdue
                self.table.setItem(r, c, item)
        ready = self.ready()
        overdue = sum(1 for m in self.rows if m.due_on is not None and m.due_on < today)
        self.summary.setText(f"{len(self.rows)} đảng viên dự bị đến hạn, trong đó {overdue} đã quá hạn (tô đỏ); "
                             f"{len(ready)} người đã đủ 12 tháng tính đến hôm nay.")
        self.recognize.setEnabled(bool(ready))

    def ready(self) -> list[ListedMember]:
        today = dt.date.today()
        return [m for m in self.rows if m.due_on is not None and m.due_on <= today]

    def open_recognition(self) -> None:
        from khoi_desktop.gui.members.wizards import ConfirmFullWizard
        from khoi_desktop.gui.workflows import show

        show(ConfirmFullWizard(self.main_window, codes=[m.code for m in self.ready()]))


BADGE_COLUMNS = ["Mã", "Họ và tên", "Chi bộ", "Ngày vào Đảng", "Tuổi đảng", "Đủ tuổi đảng ngày", "Ghi chú"]


def occasions_around(day: dt.date) -> list[dt.date]:
    """The badge occasions of last year, this year and next year, for the picker."""
    from khoi_desktop.core.member_events.lists import BADGE_OCCASIONS

    return [dt.date(year, m, d) for year in (day.year - 1, day.year, day.year + 1) for m, d in BADGE_OCCASIONS]


def load_badges(occasion: dt.date):  # type: ignore[no-untyped-def]
    def job(db: Database) -> list[ListedMember]:
        from khoi_desktop.core.member_events.lists import badges

        with db.reading() as session:
            return badges(session, occasion)

    return job


class BadgeDialog(QDialog):
    """Members reaching a party-age milestone on an occasion (the same list as `badges`), exported as the
    usual proposal list through the Excel export."""

    def __init__(self, window: MainWindow) -> None:
        from PySide6.QtWidgets import QComboBox

        from khoi_desktop.core.member_events.lists import next_occasion

        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Đảng viên đề nghị tặng Huy hiệu Đảng")
        self.resize(980, 560)
        self.occasion = QComboBox(self)
        self.occasion.setObjectName("occasion")
        upcoming = next_occasion(dt.date.today())
        for day in occasions_around(dt.date.today()):
            self.occasion.addItem(show_date(day), day.isoformat())  # Qt would turn a date into a QDate
        self.occasion.setCurrentIndex(self.occasion.findData(upcoming.isoformat()))
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.table = QTableWidget(0, len(BADGE_COLUMNS), self)
        self.table.setObjectName("badge_table")
        self.table.setHorizontalHeaderLabels(BADGE_COLUMNS)
        header = self.table.horizontalHeader()
        for column in range(len(BADGE_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column in (1, 2, 6)
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.export = tag(QPushButton("Xuất danh sách đề nghị (Excel)…", self), Permission.READ)
        self.export.setObjectName("export")
        self.export.clicked.connect(self.open_export)
        top = QHBoxLayout()
        top.addWidget(QLabel("Đợt xét tặng:", self))
        top.addWidget(self.occasion)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(self.export, alignment=Qt.AlignmentFlag.AlignRight)
        self.rows: list[ListedMember] = []
        self.occasion.currentIndexChanged.connect(lambda *_: self.reload())
        self.reload()

    def chosen(self) -> dt.date:
        return dt.date.fromisoformat(self.occasion.currentData())

    def reload(self) -> None:
        self.main_window.worker.submit(load_badges(self.chosen()), self.show_rows, self.show_failure)

    def show_failure(self, error: Exception) -> None:
        """A refusal (a day that is no occasion) is said under the list; a fault gets the fault dialog."""
        from khoi_desktop.core.errors import KhoiError
        from khoi_desktop.gui.errors import present_error

        self.rows = []
        self.table.setRowCount(0)
        self.summary.setText(error.message if isinstance(error, KhoiError) else "Không đọc được danh sách.")
        if not isinstance(error, KhoiError):
            present_error(self, error)

    def show_rows(self, rows: Any) -> None:
        from khoi_desktop.spreadsheets.badge_list import badge_note

        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for r, m in enumerate(self.rows):
            for c, text in enumerate([m.code, m.full_name, m.org_name or "", show_date(m.admitted_on),
                                      f"{m.party_years} năm", show_date(m.reached_on), badge_note(m)]):
                self.table.setItem(r, c, QTableWidgetItem(text))
        counts: dict[int, int] = {}
        for m in self.rows:
            counts[m.party_years or 0] = counts.get(m.party_years or 0, 0) + 1
        detail = "; ".join(f"{years} năm: {n}" for years, n in sorted(counts.items(), reverse=True))
        self.summary.setText(f"Đợt {show_date(self.chosen())}: {len(self.rows)} đảng viên đủ tuổi đảng xét tặng "
                             f"Huy hiệu Đảng" + (f" ({detail})." if detail else "."))

    def open_export(self) -> None:
        from khoi_desktop.gui.spreadsheets.export_dialog import ExportDialog
        from khoi_desktop.spreadsheets.kinds import ExportKind

        dialog = ExportDialog(self.main_window.worker, self, as_of=self.chosen())
        dialog.kind.setCurrentIndex(dialog.kind.findData(ExportKind.BADGES.value))
        dialog.as_of.setDate(qdate(self.chosen()))
        self.export_dialog = dialog
        dialog.open()
