"""Chỉ định / chuẩn y (bổ sung) and chuẩn y kết quả bầu cử for one organization: pick members, tick roles."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.appointments.committees import Candidate, show_term
from khoi_desktop.core.appointments.requests import Appoint, AppointMode, ApproveElection, Seat
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import SeatRole
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.appointments.candidate_picker import CandidatePicker
from khoi_desktop.gui.appointments.committee_panel import header_html, notes_html
from khoi_desktop.gui.appointments.request_dialog import RequestDialog, pydate
from khoi_desktop.gui.date_edits import OptionalDateEdit
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.qt_values import item_at

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

ROLE_COLUMNS = (SeatRole.CAP_UY_VIEN, SeatRole.UY_VIEN_BTV, SeatRole.BI_THU, SeatRole.PHO_BI_THU)
MODES = (("chuan_y", "Chuẩn y (bổ sung)"), ("chi_dinh", "Chỉ định (bổ sung)"),
         ("election", "Chuẩn y kết quả bầu cử Đại hội"))
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
NO_CONGRESS_DAY = dt.date(1930, 1, 1)  # the congress box at its minimum: no day typed («Chưa nhập»)


class AppointDialog(RequestDialog):
    def __init__(self, window: MainWindow, org_id: int, *, election: bool = False,
                 submission: str | None = None) -> None:
        super().__init__(window, "Chỉ định, chuẩn y cấp ủy")
        self.setObjectName("appoint_dialog")
        self.org_id = org_id
        self._wanted_submission = submission
        self.state: ops.CommitteeState | None = None
        self._held: dict[str, set[SeatRole]] = {}
        fit_to_screen(self, 1120, 680)  # smaller on an office laptop (1366×768)

        self.info = QLabel("Đang tải cấp ủy…", self)
        self.info.setObjectName("appoint_info")
        self.info.setWordWrap(True)
        self.mode = QComboBox(self)
        self.mode.setObjectName("mode")
        for value, label in MODES:
            self.mode.addItem(label, value)
        # Nothing chosen until the clerk chooses (or the election button, or a new organization, decides it): it
        # opened on «Chuẩn y (bổ sung)», so a chỉ định left as it was went out as a chuẩn y.
        self.mode.setPlaceholderText("Chọn hình thức")
        self.mode.setCurrentIndex(-1)
        self.term = QLineEdit(self)
        self.term.setObjectName("term")
        self.term.setPlaceholderText("2025-2030")
        self.committee_size = QSpinBox(self)
        self.committee_size.setObjectName("committee_size")
        self.committee_size.setRange(0, 99)
        self.size_label = QLabel("Số lượng do Đại hội quyết định:", self)
        # The congress's day, printed «tại Đại hội … (ngày …)»; optional (without it the effective date stands).
        self.congress_on = OptionalDateEdit(NO_CONGRESS_DAY, "Chưa nhập", dt.date.today, self)
        self.congress_on.setObjectName("congress_on")
        self.congress_on.setToolTip("Ngày Đại hội bầu cấp ủy (dd/mm/yyyy), in trong quyết định «tại Đại hội … "
                                    "(ngày …)»; để trống thì lấy ngày hiệu lực.")
        self.congress_label = QLabel("Ngày Đại &hội:", self)
        self.congress_label.setBuddy(self.congress_on)
        self.submission = QComboBox(self)
        self.submission.setObjectName("submission")
        self.submission.addItem("(không có tờ trình)", None)
        self.override = QLineEdit(self)
        self.override.setObjectName("override_reason")
        self.override.setPlaceholderText("Chỉ khi vượt số lượng Đại hội quyết định và thật cần thiết")
        form = self.form = QFormLayout()
        # Two fields a row: at 1366×768 the candidate list below showed about four members of a chi bộ with one
        # field a row (and the recorded-decision box of a lower issuer under the text).
        form.addRow(row_label("Hình thức:", self.mode), self._pair(self.mode, "Nhiệm kỳ của tổ chức:", self.term))
        congress_row = QHBoxLayout()  # one row with the size: the dialog must fit a laptop's 768 px
        congress_row.addWidget(self.committee_size, 1)
        congress_row.addSpacing(12)
        congress_row.addWidget(self.congress_label)
        congress_row.addWidget(self.congress_on, 1)
        form.addRow(self.size_label, congress_row)
        form.addRow(row_label("Tờ trình:", self.submission),
                    self._pair(self.submission, "Lý do vượt số lượng:", self.override))
        form.addRow(row_label("Ngày hiệu lực:", self.effective), self._pair(self.effective, "Người ký:", self.signer))

        self.picker = CandidatePicker(window, org_id, dt.date.today(), self)
        self.picker.picked.connect(self.add_candidate)
        self.picker.picked.connect(self.escape_guard.touch)
        self.chosen = QTableWidget(0, 1 + len(ROLE_COLUMNS), self)
        self.chosen.setObjectName("chosen_seats")
        self.chosen.setHorizontalHeaderLabels(["Họ và tên", "Cấp ủy viên", "Ủy viên BTV", "Bí thư", "Phó Bí thư"])
        self.chosen.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.chosen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.chosen.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chosen.itemChanged.connect(lambda _item: self.schedule_check())
        remove = tag(QPushButton("← Bỏ chọn", self), Permission.DRAFT_ISSUE)
        remove.clicked.connect(self.remove_selected)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Đồng chí được đề nghị và chức danh:"))
        right_layout.addWidget(self.chosen, 1)
        remove_row = QHBoxLayout()
        remove_row.addWidget(remove)
        remove_row.addStretch(1)
        right_layout.addLayout(remove_row)
        picking = QSplitter(Qt.Orientation.Horizontal, self)
        picking.addWidget(self.picker)
        picking.addWidget(right)
        picking.setSizes([520, 600])
        lower = QSplitter(Qt.Orientation.Vertical, self)
        lower.addWidget(picking)
        text_box = QWidget(self)
        text_layout = QVBoxLayout(text_box)
        text_layout.setContentsMargins(0, 0, 0, 0)
        text_layout.addWidget(self.status)
        text_layout.addWidget(self.preview, 1)
        lower.addWidget(text_box)
        self._lower = lower
        self._split_done = False
        self.checked.connect(lambda _ok: self._room_for_status())
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(form)
        layout.addWidget(lower, 1)
        layout.addLayout(self.button_row)
        self.order_tabs(self.mode, self.term, self.committee_size, self.congress_on, self.submission, self.override,
                        self.effective, self.signer, self.picker.search, self.picker.results, self.picker.pick_button,
                        self.chosen, remove)

        if election:
            self.mode.setCurrentIndex(2)
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        for edit in (self.term, self.override):
            edit.textChanged.connect(lambda _t: self.schedule_check())
        self.committee_size.valueChanged.connect(lambda _v: self.schedule_check())
        self.congress_on.dateChanged.connect(lambda _d: self.schedule_check())
        self.congress_on.problem_changed.connect(lambda _p: self.schedule_check())
        self.submission.currentIndexChanged.connect(lambda _i: self.schedule_check())
        self._mode_changed(check=False)
        self.status.setText(("Chọn đồng chí và chức danh" if election else "Chọn hình thức, đồng chí và chức danh")
                            + "; quyết định được kiểm tra ngay khi chọn.")
        window.worker.submit(ops.load_state(org_id=org_id, as_of=dt.date.today()), self._loaded,
                             lambda e: present_error(self, e))

    def _pair(self, first: QWidget, label: str, second: QWidget) -> QHBoxLayout:
        """A form row of two fields, the second with its own label (buddied: it takes an Alt letter)."""
        row = QHBoxLayout()
        row.addWidget(first, 1)
        row.addSpacing(12)
        row.addWidget(row_label(label, second))
        row.addWidget(second, 1)
        return row

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_done:  # once the height is known: the lists get two thirds, the decision text scrolls
            self._split_done = True
            total = sum(self._lower.sizes())
            self._lower.setSizes([total * 2 // 3, total - total * 2 // 3])

    def _room_for_status(self) -> None:
        """The reasons a request is refused wrap onto lines of their own: the splitter gave the text below the
        lists its share when shown, and on a laptop's 768 px (a lower issuer's recorded-decision box below) the
        status kept one line, «Chưa thể lập quyết định:» without its reasons. Take the room from the lists."""
        short = self.status.heightForWidth(self.status.width()) - self.status.height()
        if short > 0:
            top, bottom = self._lower.sizes()
            self._lower.setSizes([top - short, bottom + short])

    # --- state -----------------------------------------------------------------------------
    @property
    def election(self) -> bool:
        return self.mode.currentData() == "election"

    @property
    def loaded(self) -> bool:
        return self.state is not None

    def _loaded(self, state: ops.CommitteeState) -> None:
        self.state = state
        view = state.view
        self.setWindowTitle(f"Chỉ định, chuẩn y cấp ủy – {view.org_name}")
        self.info.setText(header_html(view) + "<br>" + notes_html(view))
        self._held = {h.member_code: set(h.roles) for h in view.holders if h.still_member}
        self.picker.names = view.names
        if view.term is None and not self.election:  # a new organization: its first committee is appointed
            self.mode.setCurrentIndex(self.mode.findData("chi_dinh"))
        if self.election:
            self.term.setText(self._election_term())
        elif view.term is not None:
            self.term.setText(view.term.label)
        elif state.office_term:
            self.term.setText(state.office_term)
        if view.term is not None and view.term.size:
            self.committee_size.setValue(view.term.size)
        for row in state.submissions:
            self.submission.addItem(f"Số {row.register_number} ngày {show_date(row.received_on)}: {row.subject}",
                                    row.register_number)
        if state.submissions:
            wanted = self.submission.findData(self._wanted_submission) if self._wanted_submission else -1
            self.submission.setCurrentIndex(wanted if wanted > 0 else 1)
        self.picker.run_search()

    def _election_term(self) -> str:
        """The term an election opens: the office's, or the one after the organization's current term."""
        assert self.state is not None
        current = self.state.view.term
        if current is None or current.label != self.state.office_term:
            return self.state.office_term or ""
        match = re.fullmatch(r"(\d{4})-(\d{4})", current.label)
        if not match:
            return ""
        first, last = int(match[1]), int(match[2])
        return f"{last}-{2 * last - first}"

    def _mode_changed(self, *, check: bool = True) -> None:
        self.form.setRowVisible(self.size_label, self.election)  # hidden widgets alone left an empty row's gap
        self.override.setEnabled(not self.election)
        if self.election and self.state is not None:
            self.term.setText(self._election_term())
        elif self.state is not None and self.state.view.term is not None:
            self.term.setText(self.state.view.term.label)
        for row in range(self.chosen.rowCount()):
            self._lock_held(row)
        if check:
            self.schedule_check()

    # --- chosen seats ----------------------------------------------------------------------
    def codes(self) -> list[str]:
        return [item_at(self.chosen, r, 0).data(CODE_ROLE) for r in range(self.chosen.rowCount())]

    def add_candidate(self, candidate: Candidate) -> None:
        if candidate.code in self.codes():
            return
        self.chosen.blockSignals(True)
        row = self.chosen.rowCount()
        self.chosen.insertRow(row)
        name = QTableWidgetItem(candidate.full_name + (f" ({candidate.problem})" if candidate.problem else ""))
        name.setData(CODE_ROLE, candidate.code)
        name.setToolTip(candidate.job)
        self.chosen.setItem(row, 0, name)
        default = self._default_role(candidate.code)
        for column, role in enumerate(ROLE_COLUMNS, 1):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if role is default else Qt.CheckState.Unchecked)
            self.chosen.setItem(row, column, item)
        self._lock_held(row)
        self.chosen.blockSignals(False)
        self.schedule_check()

    def _lock_held(self, row: int) -> None:
        """Roles the member already holds are shown ticked and cannot be asked again (except at an election)."""
        code = item_at(self.chosen, row, 0).data(CODE_ROLE)
        held = set() if self.election else self._held.get(code, set())
        self.chosen.blockSignals(True)
        for column, role in enumerate(ROLE_COLUMNS, 1):
            item = item_at(self.chosen, row, column)
            flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if role in held:
                item.setCheckState(Qt.CheckState.Checked)
                item.setToolTip("Đang giữ chức danh này")
                flags &= ~Qt.ItemFlag.ItemIsEnabled
            item.setFlags(flags)
        self.chosen.blockSignals(False)

    def _default_role(self, code: str) -> SeatRole | None:
        view = self.state.view if self.state else None
        has_committee = view is None or view.structure.has_committee
        held = self._held.get(code, set()) if not self.election else set()
        if has_committee and SeatRole.CAP_UY_VIEN not in held:
            return SeatRole.CAP_UY_VIEN
        if has_committee:
            return None
        taken = {r for roles in self._held.values() for r in roles} if not self.election else set()
        taken |= self._ticked_roles()  # the people already added in this dialog count too
        return next((role for role in (SeatRole.BI_THU, SeatRole.PHO_BI_THU) if role not in taken), None)

    def _ticked_roles(self) -> set[SeatRole]:
        return {role for row in range(self.chosen.rowCount()) for column, role in enumerate(ROLE_COLUMNS, 1)
                if (item := self.chosen.item(row, column)) is not None and item.checkState() == Qt.CheckState.Checked}

    def set_role(self, code: str, role: SeatRole, on: bool = True) -> None:
        row = self.codes().index(code)
        item = item_at(self.chosen, row, 1 + ROLE_COLUMNS.index(role))
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.chosen.selectedIndexes()}, reverse=True)
        for row in rows:
            self.chosen.removeRow(row)
        if rows:
            self.schedule_check()

    def seats(self) -> list[Seat]:
        seats = []
        for row, code in enumerate(self.codes()):
            held = set() if self.election else self._held.get(code, set())
            for column, role in enumerate(ROLE_COLUMNS, 1):
                item = item_at(self.chosen, row, column)
                if item.checkState() == Qt.CheckState.Checked and role not in held:
                    seats.append(Seat(member=code, role=role))
        return seats

    # --- request ---------------------------------------------------------------------------
    def build_request(self) -> Request:
        if self.state is None:
            raise ValidationError("Đang tải thông tin cấp ủy, xin chờ.", code="loading")
        if self.mode.currentData() is None:
            raise ValidationError("Chưa chọn hình thức: chỉ định hay chuẩn y (bổ sung).", code="appoint_mode")
        code = self.state.view.org_code
        submission = self.submission.currentData()
        if self.election:
            size = self.committee_size.value() if self.state.view.structure.has_committee else None
            return ApproveElection(action="approve_election", org=code, term=self.term.text().strip(),
                                   committee_size=size or None, seats=self.seats(), submission=submission,
                                   congress_on=None if self.congress_on.is_unset() else pydate(self.congress_on.date()))
        return Appoint(action="appoint", mode=AppointMode(self.mode.currentData()), org=code,
                       term=self.term.text().strip(), seats=self.seats(),
                       override_reason=self.override.text().strip() or None, submission=submission)

    def refresh(self) -> None:
        if self.state is not None and not self.seats():
            self._timer.stop()
            mode = self.mode.currentText().lower() if self.mode.currentIndex() >= 0 else "chưa chọn hình thức"
            self.status.setText("Chọn đồng chí ở danh sách bên trái và đánh dấu chức danh đề nghị "
                                f"({mode}, nhiệm kỳ {show_term(self.term.text())}).")
            self.preview.setPlainText("")
            self._set_ok(False)
            return
        super().refresh()
