"""Cho thôi giữ chức: end one role (or the whole committee seat) of a committee member, with the reason."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QVBoxLayout

from khoi_desktop.core.appointments.committees import CommitteeView
from khoi_desktop.core.appointments.requests import END_REASONS, EndSeat
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import SeatRole
from khoi_desktop.core.requests import Request
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.appointments.committee_panel import header_html
from khoi_desktop.gui.appointments.request_dialog import RequestDialog
from khoi_desktop.gui.errors import present_error

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class EndSeatDialog(RequestDialog):
    def __init__(self, window: MainWindow, org_id: int, member_code: str | None = None) -> None:
        super().__init__(window, "Cho thôi giữ chức")
        self.setObjectName("end_seat_dialog")
        self.org_id = org_id
        self.view: CommitteeView | None = None
        self._wanted = member_code
        self.resize(820, 620)
        self.info = QLabel("Đang tải cấp ủy…", self)
        self.info.setWordWrap(True)
        self.member = QComboBox(self)
        self.member.setObjectName("member")
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        self.reason = QComboBox(self)
        self.reason.setObjectName("reason")
        self.reason.setEditable(True)
        for key, text in END_REASONS.items():
            self.reason.addItem(text, key)
        if (line := self.reason.lineEdit()) is not None:
            line.setPlaceholderText("Chọn hoặc gõ lý do")
        # Ending a Bí thư's (Phó Bí thư's, BTV) seat: whether they also leave the committee.
        self.leave_committee = QCheckBox("Thôi tham gia cấp ủy", self)
        self.leave_committee.setObjectName("leave_committee")
        form = QFormLayout()
        form.addRow("Đồng chí:", self.member)
        form.addRow("Thôi giữ chức:", self.role)
        form.addRow("Lý do:", self.reason)
        form.addRow("", self.leave_committee)
        form.addRow("Ngày hiệu lực:", self.effective)
        form.addRow("Người ký:", self.signer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        layout.addLayout(self.button_row)
        self.order_tabs(self.member, self.role, self.reason, self.leave_committee, self.effective, self.signer)
        self.member.currentIndexChanged.connect(lambda _i: self._member_changed())
        self.role.currentIndexChanged.connect(lambda _i: self.schedule_check())
        self.reason.currentTextChanged.connect(lambda _t: self.schedule_check())
        self.leave_committee.toggled.connect(lambda _on: self.schedule_check())
        window.worker.submit(ops.load_committee(org_id=org_id, as_of=dt.date.today()), self._loaded,
                             lambda e: present_error(self, e))

    @property
    def loaded(self) -> bool:
        return self.view is not None

    def _loaded(self, view: CommitteeView) -> None:
        self.view = view
        self.setWindowTitle(f"Cho thôi giữ chức – {view.org_name}")
        self.info.setText(header_html(view))
        self.member.blockSignals(True)
        for holder in view.holders:
            self.member.addItem(f"{holder.full_name} – {view.names.roles_text(holder.roles)}", holder.member_code)
        self.member.blockSignals(False)
        if self._wanted is not None:
            self.member.setCurrentIndex(max(0, self.member.findData(self._wanted)))
        self._member_changed()

    def _member_changed(self) -> None:
        self.role.blockSignals(True)
        self.role.clear()
        code = self.member.currentData()
        holder = next((h for h in (self.view.holders if self.view else []) if h.member_code == code), None)
        if holder is not None and self.view is not None:
            names = self.view.names
            for role in sorted(holder.roles, key=lambda r: (r is SeatRole.CAP_UY_VIEN, r.value)):
                label = (f"{names.committee_word} (thôi tham gia cấp ủy và mọi chức danh)"
                         if role is SeatRole.CAP_UY_VIEN and len(holder.roles) > 1 else names.short(role))
                self.role.addItem(label, role.value)
        self.role.blockSignals(False)
        self.schedule_check()

    def reason_value(self) -> str:
        text = self.reason.currentText().strip()
        index = self.reason.findText(text)
        return self.reason.itemData(index) if index >= 0 else text

    def build_request(self) -> Request:
        if self.view is None:
            raise ValidationError("Đang tải thông tin cấp ủy, xin chờ.", code="loading")
        if self.member.currentData() is None:
            raise ValidationError(f"{self.view.org_name} chưa có ai trong cấp ủy.", code="no_holder")
        return EndSeat(action="end_seat", org=self.view.org_code, member=self.member.currentData(),
                       role=SeatRole(self.role.currentData()), reason=self.reason_value(),
                       leave_committee=self.leave_committee.isChecked())
