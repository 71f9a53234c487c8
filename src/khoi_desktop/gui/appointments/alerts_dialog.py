"""Committees that need attention: vacancies, and terms ending within six months."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from khoi_desktop.core.appointments.committees import CommitteeAlert
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

ORG_ROLE = Qt.ItemDataRole.UserRole + 1


class AlertsDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("alerts_dialog")
        self.setWindowTitle("Cấp ủy còn khuyết, sắp hết nhiệm kỳ")
        self.main_window = window
        self.summary = QLabel("Đang kiểm tra các cấp ủy…", self)
        self.list = QTreeWidget(self)
        self.list.setObjectName("alerts")
        self.list.setHeaderLabels(["Tổ chức đảng", "Nhiệm kỳ", "Hết nhiệm kỳ", "Cần xử lý"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setColumnWidth(0, 320)
        self.list.setColumnWidth(1, 90)
        self.list.setColumnWidth(2, 100)
        self.list.itemActivated.connect(lambda item, _c: self._go(item))
        go = tag(QPushButton("Đến tổ chức", self), Permission.READ)
        go.clicked.connect(lambda: self._go(self.list.currentItem()))
        close = tag(QPushButton("Đóng", self), Permission.READ)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(go)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.resize(1080, 560)
        window.worker.submit(ops.load_alerts(as_of=dt.date.today()), self._show, lambda e: present_error(self, e))

    def _show(self, alerts: list[CommitteeAlert]) -> None:
        self.list.clear()
        for alert in alerts:
            notes = list(alert.vacancies) + (["Nhiệm kỳ sắp hết: chuẩn bị đại hội."] if alert.ends_soon else [])
            item = QTreeWidgetItem([f"{alert.org_name} ({alert.org_code})", alert.term or "",
                                    show_date(alert.ends_on), " ".join(notes)])
            item.setData(0, ORG_ROLE, alert.org_id)
            item.setToolTip(3, "\n".join(notes))
            if alert.ends_soon:
                item.setForeground(2, Qt.GlobalColor.darkRed)
            self.list.addTopLevelItem(item)
        vacant = sum(bool(a.vacancies) for a in alerts)
        ending = sum(a.ends_soon for a in alerts)
        self.summary.setText(f"{vacant} tổ chức có cấp ủy còn khuyết; {ending} tổ chức hết nhiệm kỳ trong 6 tháng tới.")
        self.loaded.emit()

    def _go(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.main_window.select_org(item.data(0, ORG_ROLE))
