"""Split a chi bộ into several (tách), or make it a đảng bộ with branches (nâng cấp): members assigned by hand."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit, QVBoxLayout

from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.requests import Group, Request, Split, Upgrade
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.core.workflows.restructure import default_dang_bo_name
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.workflows import jobs
from khoi_desktop.gui.workflows.assignment import AssignmentWidget
from khoi_desktop.gui.workflows.request_wizard import CheckedPage, RequestWizard

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class AssignmentPage(CheckedPage):
    def __init__(self, wizard: RequestWizard, assignment: AssignmentWidget, title: str, subtitle: str) -> None:
        super().__init__(wizard)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.assignment = assignment
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(assignment, 1)
        wizard.watch(assignment)

    def local_problems(self) -> list[str]:
        errors, _warnings = self.assignment.problems()
        return errors


class SplitWizard(RequestWizard):
    """Tách chi bộ: two or more new chi bộ; the source ends unless kept."""

    def __init__(self, window: MainWindow, source: OrgNode) -> None:
        super().__init__(window, f"Tách chi bộ – {source.name}")
        self.source = source
        self.assignment = AssignmentWidget(window.settings.thresholds, parent=self)
        self.keep_source = QCheckBox("Giữ lại chi bộ cũ (chỉ tách một phần đảng viên sang chi bộ mới)", self)
        self.keep_source.toggled.connect(self._keep_toggled)
        page = AssignmentPage(self, self.assignment, "Phân công đảng viên",
                              f"{source.name} có {source.members} đảng viên. Kéo thả hoặc dùng các nút để đưa "
                              "từng đảng viên vào chi bộ mới.")
        page.layout_.insertWidget(0, self.keep_source)
        self.addPage(page)
        self.add_decision_page()
        load_members_into(self, self.assignment, source.id)

    def _keep_toggled(self, keep: bool) -> None:
        self.assignment.acted = True  # the clerk's choice: what is missing now is said plainly
        self.assignment.source_must_empty = not keep
        self.assignment.min_targets = 1 if keep else 2
        self.assignment.refresh()

    def action_fields(self) -> Request:
        return Split(action="split", org=self.source.code, keep_source=self.keep_source.isChecked(),
                     into=[Group(name=name, members=codes) for name, codes in self.assignment.groups()])


class UpgradeWizard(RequestWizard):
    """Nâng chi bộ cơ sở thành đảng bộ cơ sở (chi bộ trực thuộc thành đảng bộ bộ phận) với các chi bộ trực thuộc."""

    def __init__(self, window: MainWindow, source: OrgNode) -> None:
        super().__init__(window, f"Thành lập đảng bộ trên cơ sở {source.name}")
        self.source = source
        self.assignment = AssignmentWidget(window.settings.thresholds, target_label="Chi bộ trực thuộc", parent=self)
        self.name_edit = QLineEdit(default_dang_bo_name(source.name), self)
        self.watch(self.name_edit)
        page = AssignmentPage(self, self.assignment, "Đảng bộ mới và các chi bộ trực thuộc",
                              f"{source.name} có {source.members} đảng viên; mỗi đảng viên về một chi bộ trực thuộc.")
        form = QFormLayout()
        form.addRow("Tên đảng bộ mới:", self.name_edit)
        page.layout_.insertLayout(0, form)
        self.addPage(page)
        self.add_decision_page()
        load_members_into(self, self.assignment, source.id)

    def action_fields(self) -> Request:
        return Upgrade(action="upgrade", org=self.source.code, name=self.name_edit.text().strip() or None,
                       branches=[Group(name=name, members=codes) for name, codes in self.assignment.groups()])


def load_members_into(wizard: RequestWizard, assignment: AssignmentWidget, org_id: int) -> None:
    def show(rows: list[MemberRow]) -> None:
        wizard.fill(lambda: assignment.set_members(rows))

    window = wizard.main_window
    window.worker.submit(jobs.load_members(org_id=org_id, as_of=dt.date.today()), show,
                         lambda error: present_error(window, error))
