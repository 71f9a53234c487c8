"""Admissions against the target (Đảng viên menu): a term's admissions each year, for the office and per tổ
chức cơ sở đảng, with the term's figure in one sentence (core/member_events/target.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.stats import thousands

if TYPE_CHECKING:
    from khoi_desktop.core.db import Database
    from khoi_desktop.core.member_events.target import AdmissionTarget
    from khoi_desktop.gui.main_window import MainWindow


def load_terms(db: Database) -> list[str]:
    from khoi_desktop.core.member_events.target import term_names

    with db.reading() as session:
        return term_names(session)


def load_target(term: str | None):  # type: ignore[no-untyped-def]
    def job(db: Database) -> AdmissionTarget:
        from khoi_desktop.core.member_events.target import admission_target

        with db.reading() as session:
            return admission_target(session, term)

    return job


class AdmissionTargetDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main_window = window
        self.setWindowTitle("Kết nạp đảng viên so với chỉ tiêu")
        self.resize(1000, 600)
        self.term = QComboBox(self)
        self.term.setObjectName("term")
        self.term.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sentence = QLabel(self)
        self.sentence.setObjectName("sentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("target_table")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Nhiệm kỳ:", self))
        top.addWidget(self.term)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sentence)
        layout.addWidget(self.table)
        self.found: AdmissionTarget | None = None
        window.worker.submit(load_terms, self.show_terms, self.show_failure)

    def show_terms(self, names: Any) -> None:
        for name in names:
            self.term.addItem(name, name)
        self.term.addItem("Nhiệm kỳ hiện tại", None)
        self.term.setCurrentIndex(self.term.count() - 1)
        self.term.currentIndexChanged.connect(lambda *_: self.reload())
        self.reload()

    def reload(self) -> None:
        self.main_window.worker.submit(load_target(self.term.currentData()), self.show_target, self.show_failure)

    def show_failure(self, error: Exception) -> None:
        from khoi_desktop.core.errors import KhoiError
        from khoi_desktop.gui.errors import present_error

        self.table.setRowCount(0)
        self.sentence.setText(error.message if isinstance(error, KhoiError) else "Không tính được.")
        if not isinstance(error, KhoiError):
            present_error(self, error)

    def show_target(self, found: Any) -> None:
        from khoi_desktop.core.member_events.target import target_of  # the ORM loads after the window shows

        self.found = found
        self.sentence.setText(found.sentence())
        years = [y.year for y in found.years]
        headers = ["Tổ chức cơ sở đảng", "Đầu nhiệm kỳ", "Chỉ tiêu mỗi năm",
                   *(f"Năm {y}\nkết nạp/chỉ tiêu" for y in years), "Cộng"]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = [["Toàn Đảng bộ", thousands(found.opening), thousands(target_of(found.opening, found.percent)),
                 *(f"{y.admitted}/{y.target}" for y in found.years), thousands(found.total)]]
        rows += [[b.name, thousands(b.opening), str(b.target), *(f"{b.admitted[y]}/{b.targets[y]}" for y in years),
                  str(b.total)] for b in found.bodies]
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if r == 0:
                    item.setFont(bold)
                if 3 <= c < 3 + len(years):
                    done, asked = (int(part) for part in text.split("/"))
                    if done < asked:
                        item.setForeground(Qt.GlobalColor.darkRed)  # under the target that year
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
