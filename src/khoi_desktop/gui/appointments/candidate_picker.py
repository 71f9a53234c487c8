"""Pick members of one organization by typing their name, accents optional; who may not qualify is marked."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from khoi_desktop.core.appointments.committees import BodyNames, Candidate
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

SEARCH_DELAY_MS = 250
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 1
INELIGIBLE_COLOR = QColor("#9e9e9e")


def candidate_text(candidate: Candidate, names: BodyNames | None = None) -> str:
    parts = [f"{candidate.full_name} ({show_date(candidate.birth_date)})"]
    if candidate.roles:
        roles = names.roles_text(candidate.roles) if names else ", ".join(r.label for r in candidate.roles)
        parts.append("đang là " + roles.lower())
    if candidate.job:
        parts.append(candidate.job)
    if names is not None and not names.is_chi_bo and candidate.chi_bo:
        parts.append(candidate.chi_bo)
    text = " – ".join(parts)
    return text + (f"  [{candidate.problem}: không đủ điều kiện]" if candidate.problem else "")


class CandidatePicker(QWidget):
    picked = Signal(object)  # Candidate
    results_shown = Signal()

    def __init__(self, window: MainWindow, org_id: int, as_of: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self.org_id = org_id
        self.as_of = as_of
        self._generation = 0
        self._shown = 0
        self._enter_pending = False  # Enter pressed before the list showed what was typed
        self.names: BodyNames | None = None  # set once the committee is loaded: how roles are named
        self.search = QLineEdit(self)
        self.search.setObjectName("candidate_search")
        self.search.setPlaceholderText("Gõ họ tên đảng viên của tổ chức (có dấu hoặc không dấu)")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("candidate_results")
        self.pick_button = tag(QPushButton("&Chọn →", self), Permission.DRAFT_ISSUE)
        self.pick_button.setObjectName("pick_button")
        self.count = QLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Tìm đảng viên:"))
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.pick_button)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.pick_typed)
        self.results.itemDoubleClicked.connect(lambda _item: self.pick_current())
        self.results.itemActivated.connect(lambda _item: self.pick_current())  # Enter in the list
        self.pick_button.clicked.connect(self.pick_current)

    @property
    def searching(self) -> bool:
        return self._timer.isActive() or self._generation != self._shown

    def run_search(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        job = ops.find_candidates(org_id=self.org_id, text=self.search.text(), as_of=self.as_of)
        self.main_window.worker.submit(job, lambda rows: self._show(generation, rows),
                                       lambda e: present_error(self, e))

    def _show(self, generation: int, rows: list[Candidate]) -> None:
        if generation != self._generation:
            return
        self._shown = generation
        self.results.clear()
        for candidate in rows:
            item = QListWidgetItem(candidate_text(candidate, self.names))
            item.setData(CANDIDATE_ROLE, candidate)
            if candidate.problem:
                item.setForeground(INELIGIBLE_COLOR)
                item.setToolTip(f"Đồng chí {candidate.full_name}: {candidate.problem}, không thể tham gia cấp ủy.")
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)
        typed = self.search.text().strip()
        self.count.setText(f"{len(rows)} đảng viên" + (f" khớp «{typed}»" if typed else ""))
        if self._enter_pending:
            self._enter_pending = False
            self._pick_typed_now()
        self.results_shown.emit()

    def candidates(self) -> list[Candidate]:
        return [self.results.item(i).data(CANDIDATE_ROLE) for i in range(self.results.count())]

    def pick_typed(self) -> None:
        """Enter in the search box: pick the one member the typed text finds, once the list shows it (never the
        first row of the list as it was before the text was typed); several matches: the clerk chooses."""
        if self.searching:
            self._enter_pending = True
            if self._timer.isActive():
                self.run_search()
            return
        self._pick_typed_now()

    def _pick_typed_now(self) -> None:
        count = self.results.count()
        if count == 1:
            self.pick_current()
        elif count > 1:
            typed = self.search.text().strip()
            self.count.setText(f"{count} đảng viên" + (f" khớp «{typed}»" if typed else "") + ": chọn một người "
                               "trong danh sách (mũi tên lên, xuống rồi Enter).")
            self.results.setFocus()

    def pick_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self.picked.emit(item.data(CANDIDATE_ROLE))
