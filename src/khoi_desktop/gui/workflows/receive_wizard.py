"""Receive organizations and their members from a body outside the committee (tiếp nhận)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.dates import parse_day
from khoi_desktop.core.errors import RequestRefused, ValidationError
from khoi_desktop.core.models import MemberStatus, OrgKind, Sex
from khoi_desktop.core.requests import MemberRecord, Receive, ReceivedOrg, Request
from khoi_desktop.core.text import fold, nfc
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows.form_wizards import FormPage, shown_snapshot
from khoi_desktop.gui.workflows.pickers import OrgPicker
from khoi_desktop.gui.workflows.request_wizard import RequestWizard

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

NAME_COLUMN_WIDTH = 80  # px: "Nguyễn", "Thị Thanh" read whole while typed
COLUMNS = ["Họ", "Tên đệm", "Tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Chính thức/Dự bị", "Số CCCD",
           "Số thẻ đảng viên", "Chức vụ"]
EMPTY_ROWS = 10


class OrgTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Ví dụ: Chi bộ Công ty Xổ số kiến thiết")
        self.kind = QComboBox(self)
        for kind in (OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC):
            self.kind.addItem(kind.label, kind.value)
        self.table = QTableWidget(EMPTY_ROWS, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)  # no blank strip right of the columns
        # An empty table sized to its headers left «Họ», «Tên» a finger wide: room for a name before it is typed.
        for column in range(3):  # Họ, Tên đệm, Tên
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, NAME_COLUMN_WIDTH)
        more = tag(QPushButton("Thêm dòng", self), Permission.DRAFT_ISSUE)
        more.clicked.connect(lambda: self.table.setRowCount(self.table.rowCount() + EMPTY_ROWS))
        form = QFormLayout()
        form.addRow("Tên tổ chức:", self.name)
        form.addRow("Loại:", self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(more)

    def cell(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return nfc(item.text()) if item else ""

    def records(self, problems: list[tuple[str, str]]) -> list[MemberRecord]:
        records = []
        for row in range(self.table.rowCount()):
            values = [self.cell(row, c) for c in range(len(COLUMNS))]
            if not any(values):
                continue
            where = f"{self.name.text() or 'Tổ chức'}, dòng {row + 1}"
            days = []
            for column in (3, 5):
                try:
                    days.append(parse_day(values[column]))
                except ValidationError as error:  # says which column and what is wrong with the day
                    problems.append(("invalid_date", f"{where}, cột «{COLUMNS[column]}»: {error.message}."))
            if len(days) < 2:
                continue
            birth, admitted = days
            sex = {"nam": Sex.NAM, "nu": Sex.NU}.get(fold(values[4]))
            status = {"chinh thuc": MemberStatus.CHINH_THUC, "du bi": MemberStatus.DU_BI}.get(fold(values[6]))
            if sex is None or status is None:
                problems.append(("invalid_value", f"{where}: giới tính ghi «Nam» hoặc «Nữ», trạng thái ghi "
                                                  "«Chính thức» hoặc «Dự bị»."))
                continue
            records.append(MemberRecord(
                family_name=values[0], middle_name=values[1], given_name=values[2], birth_date=birth, sex=sex,
                status=status, admitted_on=admitted, national_id=values[7] or None, card_number=values[8] or None,
                job_title=values[9] or None))
        return records


class ReceiveWizard(RequestWizard):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "Tiếp nhận tổ chức đảng và đảng viên")
        page = FormPage(self, "Tổ chức và đảng viên được tiếp nhận",
                        "Nhập danh sách theo biên bản bàn giao; ngày ghi dạng 05/03/1980.")
        self.from_body = QLineEdit(page)
        self.from_body.setObjectName("from_body")
        self.from_body.setPlaceholderText("Ví dụ: Đảng ủy Khối Doanh nghiệp tỉnh")
        self.parent_org = OrgPicker(shown_snapshot(window), [OrgKind.DANG_BO_CO_SO],
                                top_level_label=window.settings.issuing_body_short,  # «Về trực thuộc:» beside
                                what="tổ chức cấp trên", ended=window.ended_orgs, parent=page)
        self.parent_org.select_code(None)  # most received organizations are chi bộ cơ sở under the committee
        self.tabs = QTabWidget(page)
        add_org = tag(QPushButton("Thêm tổ chức", page), Permission.DRAFT_ISSUE)
        add_org.clicked.connect(self.add_org)
        page.form.addRow("Tiếp nhận từ:", self.from_body)
        page.form.addRow("Về trực thuộc:", self.parent_org)
        page.box.addWidget(self.tabs, 1)
        page.box.addWidget(add_org)
        self.watch(self.from_body, self.parent_org)
        self.add_org()
        self.addPage(page)
        self.add_decision_page()

    def add_org(self) -> OrgTab:
        tab = OrgTab(self.tabs)
        self.tabs.addTab(tab, f"Tổ chức {self.tabs.count() + 1}")
        self.watch(tab.name, tab.kind, tab.table)
        self.schedule_check()
        return tab

    def org_tabs(self) -> list[OrgTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    def action_fields(self) -> Request:
        problems: list[tuple[str, str]] = []
        orgs = [ReceivedOrg(name=tab.name.text().strip(), kind=OrgKind(tab.kind.currentData()),
                            members=tab.records(problems)) for tab in self.org_tabs()]
        if problems:
            raise RequestRefused(problems)
        return Receive(action="receive", from_body=self.from_body.text().strip(), parent=self.parent_org.code(),
                       orgs=orgs)
