"""Findings panel: each organization breaking a Charter rule; activating one jumps to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from khoi_desktop.core.text import thousands

if TYPE_CHECKING:  # the window shows before the ORM loads
    from khoi_desktop.core.rules import Finding

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}


class FindingsPanel(QTreeWidget):
    org_activated = Signal(int)
    OrgIdRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findings")
        self._findings: list[Finding] = []
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setHeaderLabels(["Mức", "Tổ chức", "Đảng viên", "Nội dung"])
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setColumnWidth(1, 280)
        self.itemActivated.connect(self._on_activated)
        self.itemDoubleClicked.connect(self._on_activated)

    def set_findings(self, findings: list[Finding]) -> None:
        from khoi_desktop.gui.icons import severity_icon  # drawn with the data, not for the first frame

        self._findings = list(findings)
        self.clear()
        items = []
        for row, finding in enumerate(findings):
            item = QTreeWidgetItem([SEVERITY_LABELS[finding.severity], finding.name, thousands(finding.members),
                                    finding.message])
            item.setIcon(0, severity_icon(finding.severity))
            item.setToolTip(3, finding.message)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, self.OrgIdRole, finding.org_id)
            item.setData(0, self.RowRole, row)
            items.append(item)
        self.addTopLevelItems(items)

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.org_activated.emit(int(item.data(0, self.OrgIdRole)))

    def finding_at(self, position: QPoint) -> Finding | None:
        item = self.itemAt(position)
        return None if item is None else self._findings[int(item.data(0, self.RowRole))]
