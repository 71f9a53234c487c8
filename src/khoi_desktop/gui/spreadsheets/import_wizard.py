"""Import a member list from Excel: choose the file and where the members go → confirm the columns
(field and encoding, with a before/after preview) → the dry run's report → the import, with progress
and cancel. Nothing is written before the last page, and a cancel there rolls everything back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from khoi_desktop.gui.spreadsheets.mapping_page import MappingPage
from khoi_desktop.gui.spreadsheets.ops import LoadedSheet
from khoi_desktop.gui.spreadsheets.progress_page import ProgressPage
from khoi_desktop.gui.spreadsheets.report_page import ReportPage
from khoi_desktop.gui.spreadsheets.source_page import SourcePage
from khoi_desktop.gui.worker import DbWorker
from khoi_desktop.spreadsheets.member_import import ImportOptions, ImportReport

_BUTTONS = {
    QWizard.WizardButton.BackButton: "< Quay lại",
    QWizard.WizardButton.NextButton: "Tiếp theo >",
    QWizard.WizardButton.CommitButton: "Nhập vào cơ sở dữ liệu",
    QWizard.WizardButton.FinishButton: "Xong",
    QWizard.WizardButton.CancelButton: "Hủy",
    QWizard.WizardButton.HelpButton: "Trợ giúp",
}


@dataclass
class ImportState:
    path: Path | None = None
    sheet: str | None = None
    target_org: str | None = None  # None = by the "Chi bộ" column
    joined_on: dt.date = field(default_factory=dt.date.today)
    accept_name_duplicates: bool = False
    loaded: LoadedSheet | None = None
    report: ImportReport | None = None
    result: ImportReport | None = None

    def options(self) -> ImportOptions:
        return ImportOptions(target_org=self.target_org, joined_on=self.joined_on,
                             accept_name_duplicates=self.accept_name_duplicates)


class ImportWizard(QWizard):
    imported = Signal(int)  # members added

    def __init__(self, worker: DbWorker, parent: QWidget | None = None, *, as_of: dt.date | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.state = ImportState(joined_on=as_of or dt.date.today())
        self.setWindowTitle("Nhập danh sách đảng viên từ Excel")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        for which, text in _BUTTONS.items():
            self.setButtonText(which, text)
        self.resize(1100, 680)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self)
        self.report_page = ReportPage(self)
        self.progress_page = ProgressPage(self)
        for page in (self.source_page, self.mapping_page, self.report_page, self.progress_page):
            self.addPage(page)

    def reject(self) -> None:
        # While the import runs, cancel asks the worker to stop; the page closes the wizard afterwards.
        if self.progress_page.running:
            self.progress_page.request_cancel()
            return
        super().reject()
