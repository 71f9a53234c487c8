"""Third page: the dry run's report, row by row (Excel's row numbers); import only when it is clean."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizard,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.gui.spreadsheets.report_model import ReportTableModel
from khoi_desktop.gui.spreadsheets.wizard_page import WorkerPage
from khoi_desktop.spreadsheets.member_import import ImportReport

if TYPE_CHECKING:
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard


class ReportPage(WorkerPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Kết quả kiểm tra (chạy thử)")
        self.setSubTitle("Mọi dòng được kiểm tra trước; chỉ khi không còn lỗi và trùng lặp thì mới nhập, "
                         "và nhập tất cả hoặc không nhập gì.")
        self.setCommitPage(True)  # past this page there is no going back: the import runs
        self.summary = QLabel(self)
        self.summary.setObjectName("report_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.notes = QLabel(self)
        self.notes.setObjectName("report_notes")
        self.notes.setWordWrap(True)
        self.model = ReportTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("report_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(ReportTableModel.COL_MESSAGE,
                                                          QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 60), (1, 50), (2, 120)):
            self.view.setColumnWidth(column, width)
        self.accept_names = QCheckBox("Vẫn nhập người trùng họ tên và ngày sinh (có thể là hai người khác nhau); "
                                      "trùng CCCD hoặc số thẻ thì không.", self)
        self.accept_names.setObjectName("accept_names")
        self.accept_names.toggled.connect(self._accept_toggled)
        again = tag(QPushButton("Kiểm tra lại", self), Permission.IMPORT)
        again.setToolTip("Đọc lại tệp (sau khi đã sửa trong Excel) và chạy thử lại")
        again.clicked.connect(self.check_again)
        row = QHBoxLayout()
        row.addWidget(self.accept_names, 1)
        row.addWidget(again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.busy_label)

    def initializePage(self) -> None:
        self._wizard.setButtonText(QWizard.WizardButton.CommitButton, "Nhập vào cơ sở dữ liệu")
        self.show_report(self.state.report)

    def show_report(self, report: ImportReport | None) -> None:
        self.state.report = report
        self.model.set_report(report)
        if report is None:
            self.summary.setText("")
            self.notes.setText("")
        else:
            self.summary.setText(report.summary())
            self.summary.setStyleSheet(f"font-weight: bold; color: {'#1b5e20' if report.ok else '#b00020'};")
            self.notes.setText("\n".join(report.notes))
        self.completeChanged.emit()

    def _accept_toggled(self, on: bool) -> None:
        self.state.accept_name_duplicates = on
        self.check_again()

    def check_again(self) -> None:
        loaded = self.state.loaded
        if loaded is None or self.busy:
            return
        self.run(ops.recheck(loaded=loaded, options=self.state.options()), self._rechecked, "Đang kiểm tra lại…")

    def _rechecked(self, result: tuple[ops.LoadedSheet, ImportReport]) -> None:
        self.state.loaded, report = result
        self.show_report(report)

    def isComplete(self) -> bool:
        report = self.state.report
        return super().isComplete() and report is not None and report.ok and bool(report.drafts)
