"""The audit viewer (administrators): entries filtered by user, date range, action and organization, the
integrity check of the hash chain (verify-audit), and an Excel copy of what is shown."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from khoi_desktop.core.audit_log import AuditFilter, audit_label
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.auth import ops
from khoi_desktop.gui.auth.models import AuditTableModel
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.dialogs import ask_xlsx_path, write_file
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.qt_values import python_date
from khoi_desktop.gui.workflows.pickers import SearchableCombo

if TYPE_CHECKING:
    from khoi_desktop.core.audit_report import AuditReport
    from khoi_desktop.gui.main_window import MainWindow

SHOWN_LIMIT = 5000
OK_STYLE, BROKEN_STYLE = "color: #1b5e20; font-weight: bold;", "color: #b00020; font-weight: bold;"
UNSEALED_STYLE = "color: #8a5a00; font-weight: bold;"  # nothing found broken, but the seal could not be checked


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AuditDialog(QDialog):
    loaded = Signal()
    checked = Signal(object)  # AuditReport (core/audit_report.py: the same as `verify-audit`)
    exported = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("audit_dialog")
        self.setWindowTitle("Nhật ký thay đổi")
        self.window_ = window
        self._closed = False
        self._choices_loaded = False
        today = dt.date.today()

        self.actor = QComboBox(self)
        self.actor.setObjectName("filter_actor")
        self.actor.addItem("Tất cả", None)
        self.action = QComboBox(self)
        self.action.setObjectName("filter_action")
        self.action.addItem("Tất cả", None)
        self.org = SearchableCombo(self)  # every organization: typed without accents, Enter takes the one offered
        self.org.setObjectName("filter_org")
        self.org.addItem("Tất cả", None)
        self._fill_orgs()
        self.use_dates = QCheckBox("Từ ngày", self)
        self.use_dates.setObjectName("filter_dates")
        self.date_from = DateEdit(_qdate(today - dt.timedelta(days=30)), self)
        self.date_to = DateEdit(_qdate(today), self)
        for edit, name in ((self.date_from, "date_from"), (self.date_to, "date_to")):
            edit.setObjectName(name)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(lambda _d: self.reload() if self.use_dates.isChecked() else None)
        for combo in (self.actor, self.action, self.org):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.use_dates.toggled.connect(lambda _on: self.reload())

        filters = QGridLayout()
        filters.addWidget(QLabel("Người thực hiện:", self), 0, 0)
        filters.addWidget(self.actor, 0, 1)
        filters.addWidget(QLabel("Thao tác:", self), 0, 2)
        filters.addWidget(self.action, 0, 3)
        filters.addWidget(QLabel("Tổ chức:", self), 1, 0)
        filters.addWidget(self.org, 1, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("đến ngày", self))
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        filters.addLayout(dates, 1, 2, 1, 2)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)

        self.integrity = QLabel("Đang kiểm tra tính toàn vẹn của nhật ký…", self)
        self.integrity.setObjectName("integrity")
        self.integrity.setWordWrap(True)
        self.model = AuditTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("audit_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setSectionResizeMode(AuditTableModel.COL_AFTER, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 56), (1, 215), (2, 120), (3, 190), (4, 170), (5, 170)):  # time with its UTC offset
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("audit_count")

        self.verify_button = tag(QPushButton("Kiểm tra toàn vẹn", self), Permission.AUDIT)
        self.verify_button.setObjectName("verify_audit")
        self.export_button = tag(QPushButton("Xuất Excel…", self), Permission.AUDIT)
        self.export_button.setObjectName("export_audit")
        close = tag(QPushButton("Đóng", self), Permission.READ)
        self.verify_button.clicked.connect(self.verify)
        # The command line's --backups and --deep: the newest backup's anchor (on by default: a few headers
        # read), and every row against the digest the trail recorded (off: it reads the whole office).
        self.with_backups = tag(QCheckBox("So với bản sao lưu mới nhất", self), Permission.AUDIT)
        self.with_backups.setObjectName("verify_backups")
        self.with_backups.setChecked(True)
        self.with_backups.setToolTip("Phát hiện nhật ký bị cắt bớt hoặc xóa sạch kể từ lần sao lưu gần nhất")
        self.deep = tag(QCheckBox("Kiểm tra sâu từng hàng dữ liệu", self), Permission.AUDIT)
        self.deep.setObjectName("verify_deep")
        self.deep.setToolTip("Đối chiếu từng tổ chức, đảng viên, quá trình sinh hoạt, chức vụ cấp ủy và quyết định "
                             "với mã băm ghi trong nhật ký (chậm hơn với dữ liệu lớn)")
        self.export_button.clicked.connect(self._ask_export)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.with_backups)
        buttons.addWidget(self.deep)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.integrity)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1180, 620)
        self.reload()
        self.verify()

    def _fill_orgs(self) -> None:
        snapshot = self.window_.tree_model.snapshot
        if snapshot is None:
            return
        nodes = sorted(snapshot.nodes.values(), key=lambda n: n.code)
        for node in nodes:
            self.org.addItem(f"{node.code} – {node.name}", node.code)

    # --- filters ---------------------------------------------------------------------------
    def current_filter(self) -> AuditFilter:
        date_from = date_to = None
        if self.use_dates.isChecked():
            date_from, date_to = python_date(self.date_from.date()), python_date(self.date_to.date())
        return AuditFilter(self.actor.currentData(), date_from, date_to, self.action.currentData(),
                           self.org.currentData())

    def describe_filter(self) -> str:
        parts = []
        audit_filter = self.current_filter()
        if audit_filter.date_from and audit_filter.date_to:
            parts.append(f"từ ngày {show_date(audit_filter.date_from)} đến ngày {show_date(audit_filter.date_to)}")
        if audit_filter.actor:
            parts.append(f"người thực hiện {audit_filter.actor}")
        if audit_filter.action:
            parts.append(f"thao tác «{audit_label(audit_filter.action)}»")
        if audit_filter.org_code:
            parts.append(f"tổ chức {self.org.currentText()}")
        text = ", ".join(parts) or "toàn bộ nhật ký"
        return text[:1].upper() + text[1:]

    def reload(self) -> None:
        self.window_.worker.submit(ops.load_audit(audit_filter=self.current_filter(), limit=SHOWN_LIMIT),
                                   self._show, self._present)

    def _show(self, view: ops.AuditView) -> None:
        if self._closed:
            return
        self.model.set_rows(view.rows)
        if not self._choices_loaded:
            self._choices_loaded = True
            for combo, values, label in ((self.actor, view.choices.actors, str),
                                         (self.action, view.choices.actions, audit_label)):
                combo.blockSignals(True)
                for value in values:
                    combo.addItem(label(value), value)
                combo.blockSignals(False)
        more = f" (chỉ hiện {SHOWN_LIMIT} mục mới nhất; hãy lọc hẹp hơn)" if view.limited else ""
        self.count_label.setText(f"{len(view.rows)} mục{more}")
        self.loaded.emit()

    def _present(self, error: Exception) -> None:
        if not self._closed:
            present_error(self, error)

    # --- integrity -------------------------------------------------------------------------
    def verify(self) -> None:
        self.integrity.setText("Đang kiểm tra tính toàn vẹn của nhật ký…")
        self.integrity.setStyleSheet("")
        self.window_.worker.submit(ops.verify_audit(backups=self.with_backups.isChecked(),
                                                    deep=self.deep.isChecked()), self._show_check, self._present)

    def _show_check(self, report: AuditReport) -> None:
        if self._closed:
            return
        if report.ok:
            self.integrity.setText(("✔ " if report.intact else "") + report.text)
            self.integrity.setStyleSheet(OK_STYLE if report.intact else UNSEALED_STYLE)
        else:
            found = [text for code, text in report.problems if code != "audit_broken"]
            if not report.check.ok:
                found.insert(0, f"Nhật ký đã bị thay đổi ngoài ứng dụng. {report.check.message}")
            self.integrity.setText("✘ " + "\n".join(found))
            self.integrity.setStyleSheet(BROKEN_STYLE)
        self.checked.emit(report)

    # --- export ----------------------------------------------------------------------------
    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, "Xuất nhật ký thay đổi", "Nhat-ky-thay-doi.xlsx")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        def write(data: bytes) -> None:
            if not self._closed and write_file(self, path, data):
                self.exported.emit(str(path))

        self.window_.worker.submit(ops.export_audit(audit_filter=self.current_filter(),
                                                    subtitle=self.describe_filter()), write, self._present)

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._closed = True
        super().closeEvent(event)
