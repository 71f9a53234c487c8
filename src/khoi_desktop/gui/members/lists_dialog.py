"""The probation list: probationary members due (or overdue) for recognition by a date, recognized in one
decision from here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDateEdit,
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
        self.due_by = QDateEdit(qdate(_month_end(dt.date.today())), self)
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
