"""Last page: the import itself, with progress; cancel before the end rolls everything back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWizardPage

from khoi_desktop.core.stats import thousands
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.spreadsheets.member_import import ImportCancelled, ImportReport

if TYPE_CHECKING:
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard


class ProgressPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Nhập danh sách")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("import_progress")
        self.status = QLabel(self)
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.running = False
        self.finished_ok = False
        self._run: ops.ImportRun | None = None

    def initializePage(self) -> None:
        loaded, report = self._wizard.state.loaded, self._wizard.state.report
        assert loaded is not None and report is not None
        total = len(report.drafts)
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.status.setText(f"Đang nhập {thousands(total)} đảng viên… (bấm Hủy để dừng: chưa có gì được ghi "
                            "cho đến khi xong)")
        self._run = ops.ImportRun()
        self._run.progressed.connect(lambda done, _total: self.bar.setValue(done))
        self.running = True
        self.finished_ok = False
        self._wizard.worker.submit(
            ops.run_import(table=loaded.table, mapping=loaded.mapping, options=self._wizard.state.options(),
                           run=self._run), self._done, self._failed)

    def request_cancel(self) -> None:
        if self._run is not None and self.running:
            self._run.cancel()
            self.status.setText("Đang hủy…")

    def _done(self, report: ImportReport) -> None:
        self.running = False
        self.finished_ok = True
        self._wizard.state.result = report
        self.bar.setValue(self.bar.maximum())
        codes = report.imported
        span = f" (mã {codes[0]} – {codes[-1]})" if codes else ""
        self.status.setText(f"Đã nhập {thousands(len(codes))} đảng viên{span}. Việc nhập được ghi vào nhật ký.")
        self.completeChanged.emit()
        self._wizard.imported.emit(len(codes))

    def _failed(self, error: Exception) -> None:
        self.running = False
        if isinstance(error, ImportCancelled):
            self.status.setText(error.message)
            self._wizard.done(self._wizard.DialogCode.Rejected)
            return
        self.status.setText("Không nhập được; cơ sở dữ liệu không thay đổi.")
        present_error(self, error)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.finished_ok
