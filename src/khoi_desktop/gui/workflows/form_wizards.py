"""Wizards whose first page is a short form: found, transfer, absorb, consolidate, dissolve, hand over."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.requests import Absorb, Consolidate, Dissolve, Found, Group, HandOver, Request, Transfer
from khoi_desktop.core.tree import OrgNode, OrgSnapshot
from khoi_desktop.core.workflows.office import ALLOWED_PARENTS
from khoi_desktop.gui.workflows.assignment import AssignmentWidget
from khoi_desktop.gui.workflows.jobs import Saved
from khoi_desktop.gui.workflows.member_picker import MemberPicker
from khoi_desktop.gui.workflows.pickers import OrgPicker
from khoi_desktop.gui.workflows.request_wizard import CheckedPage, RequestWizard
from khoi_desktop.gui.workflows.split_wizard import AssignmentPage

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

CHI_BO_KINDS = (OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC)
DANG_BO_KINDS = (OrgKind.DANG_BO_CO_SO, OrgKind.DANG_BO_BO_PHAN)


class FormPage(CheckedPage):
    def __init__(self, wizard: RequestWizard, title: str, subtitle: str = "") -> None:
        super().__init__(wizard)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.box = QVBoxLayout(self)
        self.box.addLayout(self.form)


def shown_snapshot(window: MainWindow) -> OrgSnapshot:
    """The tree the window shows: a wizard opens from it, so it is loaded."""
    snapshot = window.tree_model.snapshot
    if snapshot is None:
        raise LookupError("the organization tree is not loaded yet")
    return snapshot


def parent_kinds(kind: OrgKind) -> list[OrgKind]:
    return [k for k in ALLOWED_PARENTS[kind] if k is not None]


def parent_picker(window: MainWindow, kind: OrgKind, parent: QWidget, *, exclude: set[int] | None = None,
                  near: OrgNode | None = None) -> OrgPicker:
    # The label beside says «Trực thuộc:»: the body alone («Trực thuộc: Trực thuộc Đảng ủy Khối…» read twice).
    top = window.settings.issuing_body_short if None in ALLOWED_PARENTS[kind] else None
    return OrgPicker(shown_snapshot(window), parent_kinds(kind), top_level_label=top, exclude=exclude,
                     near=near, what="tổ chức cấp trên", ended=window.ended_orgs, parent=parent)


def _node_id(window: MainWindow, picker: OrgPicker) -> int | None:
    snapshot = window.tree_model.snapshot
    node = snapshot.by_code(picker.code() or "") if snapshot else None
    return node.id if node else None


# Problems core finds in a đảng bộ's chi bộ trực thuộc (their names, their members, how many): the «Chi bộ trực
# thuộc» page shows them; the first page, where the đảng bộ itself is named, does not wait for them.
BRANCH_CODES = frozenset({"dang_bo_needs_branches", "too_few_groups", "members_in_dang_bo", "missing_name",
                          "too_few_full_members", "dang_bo_without_chi_bo"})


class FoundPage(FormPage):
    """The founding form; «Tiếp» goes to «Chi bộ trực thuộc» for a đảng bộ, straight to the decision for a chi bộ."""

    def __init__(self, wizard: FoundWizard, title: str, subtitle: str) -> None:
        super().__init__(wizard, title, subtitle)
        self.found_wizard = wizard

    def local_problems(self) -> list[str]:
        if not self.found_wizard.is_dang_bo() or self.found_wizard.name.text().strip():
            return []
        return ["Chưa có tên tổ chức mới."]  # core's missing_name is not shown here for a đảng bộ (BRANCH_CODES)

    def nextId(self) -> int:
        wizard = self.found_wizard
        return wizard.branches_id if wizard.is_dang_bo() else wizard.decision_id


class FoundWizard(RequestWizard):
    def __init__(self, window: MainWindow, parent_node: OrgNode | None = None) -> None:
        super().__init__(window, "Thành lập tổ chức đảng")
        self.page_ = FoundPage(self, "Tổ chức mới", "Loại, tên, cấp trên và các đảng viên chuyển đến (với đảng bộ: "
                                                    "đảng viên của các chi bộ trực thuộc, phân công ở trang sau).")
        self.kind = QComboBox(self.page_)
        for kind in (OrgKind.CHI_BO_TRUC_THUOC, OrgKind.CHI_BO_CO_SO, OrgKind.DANG_BO_CO_SO, OrgKind.DANG_BO_BO_PHAN):
            self.kind.addItem(kind.label, kind.value)
        if parent_node is None:
            self.kind.setCurrentIndex(1)
        self.name = QLineEdit(self.page_)
        self.name.setPlaceholderText("Ví dụ: Chi bộ Phòng Quản lý ngân sách")
        self.agency = QLineEdit(parent_node.agency if parent_node and parent_node.agency else "", self.page_)
        self.parent_box = QVBoxLayout()
        self.members = MemberPicker(window, self.page_)
        self.page_.form.addRow("Loại tổ chức:", self.kind)
        self.page_.form.addRow("Tên:", self.name)
        self.page_.form.addRow("Cơ quan, đơn vị:", self.agency)
        self.page_.form.addRow("Trực thuộc:", self.parent_box)
        self.page_.box.addWidget(self.members, 1)
        # A đảng bộ's chi bộ trực thuộc: the members picked on the first page, shared out as the upgrade wizard does.
        self.assignment = AssignmentWidget(window.settings.thresholds, target_label="Chi bộ trực thuộc", parent=self)
        self.branches_page = AssignmentPage(self, self.assignment, "Chi bộ trực thuộc",
                                            "Đặt tên ít nhất hai chi bộ trực thuộc và đưa từng đảng viên đã chọn vào "
                                            "một chi bộ (kéo thả hoặc dùng các nút).")
        self.parent_org: OrgPicker | None = None
        self._initial_parent = parent_node.code if parent_node else None
        self.kind.currentIndexChanged.connect(lambda _i: self._rebuild_parent())
        self.members.changed.connect(self._share_out_members)
        self._rebuild_parent()
        self.watch(self.kind, self.name, self.agency, self.members)
        self.addPage(self.page_)
        self.branches_id = self.addPage(self.branches_page)
        self.add_decision_page()
        self.decision_id = self.pageIds()[-1]

    def is_dang_bo(self) -> bool:
        return not OrgKind(self.kind.currentData()).is_chi_bo

    def _rebuild_parent(self) -> None:
        if self.parent_org is not None:
            self.parent_org.setParent(None)
            self.parent_org.deleteLater()
        kind = OrgKind(self.kind.currentData())
        self.parent_org = parent_picker(self.main_window, kind, self.page_)
        self.parent_org.select_code(self._initial_parent)
        self.parent_box.addWidget(self.parent_org)
        QWidget.setTabOrder(self.agency, self.parent_org)  # Tab goes down the form: the new box is not last
        QWidget.setTabOrder(self.parent_org, self.members.search)
        self.watch(self.parent_org)
        self.name.setPlaceholderText("Ví dụ: Đảng bộ Sở Tài chính" if self.is_dang_bo()
                                     else "Ví dụ: Chi bộ Phòng Quản lý ngân sách")
        self.schedule_check()

    def _share_out_members(self) -> None:
        """The picked members, in the chi bộ the clerk already put them in; newly picked ones still unassigned."""
        placed = {code: panel for panel in self.assignment.targets for code in panel.list.codes()}
        self.assignment.set_members(self.members.rows())
        for panel in self.assignment.targets:
            self.assignment.move_codes([c for c in self.members.codes() if placed.get(c) is panel], panel.list)

    def page_problems(self, page: CheckedPage) -> list[str]:
        problems = super().page_problems(page)
        if page is not self.page_ or not self.is_dang_bo() or self.last_check is None or page.local_problems():
            return problems
        check = self.last_check
        branch = {message for message, code in zip(check.problems, check.codes, strict=False) if code in BRANCH_CODES}
        return [message for message in problems if message not in branch]

    def action_fields(self) -> Request:
        assert self.parent_org is not None
        kind = OrgKind(self.kind.currentData())
        dang_bo = not kind.is_chi_bo
        return Found(action="found", kind=kind, name=self.name.text().strip(), parent=self.parent_org.code(),
                     agency=self.agency.text().strip() or None, members=[] if dang_bo else self.members.codes(),
                     branches=[Group(name=name, members=codes) for name, codes in self.assignment.groups()]
                     if dang_bo else [])


class TransferWizard(RequestWizard):
    def __init__(self, window: MainWindow, node: OrgNode) -> None:
        super().__init__(window, f"Chuyển trực thuộc – {node.name}")
        self.node = node
        snapshot = shown_snapshot(window)
        current = snapshot.nodes[node.parent_id].name if node.parent_id else window.settings.issuing_body_short
        page = FormPage(self, "Chuyển tổ chức về trực thuộc cấp trên khác",
                        f"{node.name} ({node.members} đảng viên) hiện trực thuộc {current}.")
        excluded = {node.id, *snapshot.subtree_ids(node.id), *([node.parent_id] if node.parent_id else [])}
        self.target = parent_picker(window, node.kind, page, exclude=excluded, near=node)
        page.form.addRow("Chuyển về trực thuộc:", self.target)
        self.watch(self.target)
        self.addPage(page)
        self.add_decision_page()

    def action_fields(self) -> Request:
        return Transfer(action="transfer", org=self.node.code, to=self.target.code())


class AbsorbWizard(RequestWizard):
    def __init__(self, window: MainWindow, node: OrgNode) -> None:
        super().__init__(window, f"Sáp nhập – {node.name}")
        self.node = node
        page = FormPage(self, "Sáp nhập vào tổ chức khác",
                        f"{node.name} kết thúc hoạt động; " + ("đảng viên" if node.kind.is_chi_bo else "các chi bộ")
                        + " chuyển về tổ chức được chọn.")
        kinds = CHI_BO_KINDS if node.kind.is_chi_bo else DANG_BO_KINDS
        self.target = OrgPicker(shown_snapshot(window), kinds, exclude={node.id}, near=node,
                                what="tổ chức tiếp nhận", ended=window.ended_orgs, parent=page)
        page.form.addRow("Sáp nhập vào:", self.target)
        self.watch(self.target)
        self.addPage(page)
        self.add_decision_page()

    def successor(self, saved: Saved) -> int | None:
        return _node_id(self.main_window, self.target) if saved.decision.code else None

    def action_fields(self) -> Request:
        return Absorb(action="absorb", orgs=[self.node.code], into=self.target.code() or "")


class ConsolidateWizard(RequestWizard):
    def __init__(self, window: MainWindow, node: OrgNode) -> None:
        super().__init__(window, "Hợp nhất tổ chức đảng")
        page = FormPage(self, "Hợp nhất thành tổ chức mới", "Chọn các tổ chức hợp nhất; các tổ chức này kết thúc "
                                                            "hoạt động và tổ chức mới tiếp nhận toàn bộ.")
        snapshot = shown_snapshot(window)
        siblings = [n for n in snapshot.active_nodes()
                    if n.kind.is_chi_bo == node.kind.is_chi_bo and n.parent_id == node.parent_id]
        self.orgs = QListWidget(page)
        self.orgs.setObjectName("consolidate_orgs")
        for sibling in sorted(siblings, key=lambda n: n.name):
            item = QListWidgetItem(f"{sibling.name} ({sibling.members} đảng viên)")
            item.setData(Qt.ItemDataRole.UserRole, sibling.code)
            item.setCheckState(Qt.CheckState.Checked if sibling.id == node.id else Qt.CheckState.Unchecked)
            self.orgs.addItem(item)
        self.name = QLineEdit(page)
        self.kind = QComboBox(page)
        self.kind.addItem(node.kind.label, node.kind.value)
        self.parent_org = parent_picker(window, node.kind, page, near=node)
        self.parent_org.select_code(snapshot.parent_code(node))
        self.watch(self.orgs, self.name, self.parent_org)
        page.box.insertWidget(0, self.orgs, 1)
        page.form.addRow("Tên tổ chức mới:", self.name)
        page.form.addRow("Loại:", self.kind)
        page.form.addRow("Trực thuộc:", self.parent_org)
        self.addPage(page)
        self.add_decision_page()

    def action_fields(self) -> Request:
        codes = [self.orgs.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.orgs.count())
                 if self.orgs.item(i).checkState() == Qt.CheckState.Checked]
        return Consolidate(action="consolidate", orgs=codes, name=self.name.text().strip(),
                           kind=OrgKind(self.kind.currentData()), parent=self.parent_org.code())


class DissolveWizard(RequestWizard):
    def __init__(self, window: MainWindow, node: OrgNode) -> None:
        super().__init__(window, f"Giải thể – {node.name}")
        self.node = node
        page = FormPage(self, "Giải thể tổ chức", f"{node.name} có {node.members} đảng viên: tất cả chuyển về "
                                                  "sinh hoạt tại chi bộ được chọn.")
        self.target = OrgPicker(shown_snapshot(window), CHI_BO_KINDS, exclude={node.id}, near=node,
                                what="chi bộ tiếp nhận đảng viên", ended=window.ended_orgs, parent=page)
        page.form.addRow("Chuyển đảng viên về:", self.target)
        self.watch(self.target)
        self.addPage(page)
        self.add_decision_page()

    def successor(self, saved: Saved) -> int | None:
        return _node_id(self.main_window, self.target) if saved.decision.code else None

    def action_fields(self) -> Request:
        return Dissolve(action="dissolve", org=self.node.code, members_to=self.target.code() or "")


class HandOverWizard(RequestWizard):
    def __init__(self, window: MainWindow, node: OrgNode) -> None:
        super().__init__(window, f"Chuyển giao – {node.name}")
        self.node = node
        page = FormPage(self, "Chuyển giao ra ngoài Đảng bộ", f"{node.name} cùng {node.members} đảng viên được "
                                                              "chuyển giao cho tổ chức đảng khác.")
        self.to_body = QLineEdit(page)
        self.to_body.setObjectName("to_body")
        self.to_body.setPlaceholderText("Ví dụ: Đảng ủy Ủy ban nhân dân tỉnh")
        page.form.addRow("Chuyển giao cho:", self.to_body)
        self.watch(self.to_body)
        self.addPage(page)
        self.add_decision_page()

    def action_fields(self) -> Request:
        return HandOver(action="hand_over", org=self.node.code, to_body=self.to_body.text().strip())
