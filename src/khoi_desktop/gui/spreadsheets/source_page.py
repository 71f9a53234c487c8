"""First page: the file, its sheet, and where the members go (one organization or the "Chi bộ" column)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.tree import OrgSnapshot
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.file_dialogs import ask_open_path
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.ops import EndedOrg
from khoi_desktop.gui.spreadsheets import ops
from khoi_desktop.gui.spreadsheets.wizard_page import WorkerPage
from khoi_desktop.gui.workflows.pickers import OrgPicker

if TYPE_CHECKING:
    from khoi_desktop.gui.spreadsheets.import_wizard import ImportWizard


class SourcePage(WorkerPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Chọn tệp danh sách")
        self.setSubTitle("Tệp Excel (.xlsx) như văn phòng đang có: dòng tiêu đề, ô gộp, bảng mã TCVN3, VNI "
                         "đều đọc được. Chưa có gì được ghi cho đến bước cuối.")
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("path")
        self.path_edit.setPlaceholderText("Đường dẫn tệp .xlsx")
        self.path_edit.editingFinished.connect(self._load_sheets)
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        browse = tag(QPushButton("Chọn tệp…", self), Permission.IMPORT)
        browse.clicked.connect(self._browse)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("sheet")
        self.sheet_combo.setToolTip("Trang tính chứa danh sách (mặc định trang đầu)")
        self.to_org = QRadioButton("Đưa tất cả vào tổ chức:", self)
        self.to_org.setObjectName("to_org")
        self.by_column = QRadioButton("Theo cột “Chi bộ” trong tệp (ghi tên hoặc mã chi bộ)", self)
        self.by_column.setObjectName("by_column")
        group = QButtonGroup(self)
        group.addButton(self.to_org)
        group.addButton(self.by_column)
        self.to_org.setChecked(True)
        self.org_combo = OrgPicker(None, list(OrgKind), what="tổ chức nhận danh sách", parent=self)
        self.org_combo.setObjectName("org")
        self.org_combo.setToolTip("Một chi bộ nhận mọi dòng; một đảng bộ thì cột “Chi bộ” chỉ ra chi bộ nào "
                                  "trong đảng bộ đó")
        self.to_org.toggled.connect(self.org_combo.setEnabled)
        self.to_org.toggled.connect(lambda _on: self.completeChanged.emit())
        self.org_combo.choice_changed.connect(self.completeChanged.emit)
        self.joined_edit = DateEdit(self)
        self.joined_edit.setObjectName("joined_on")
        self.joined_edit.setDisplayFormat("dd/MM/yyyy")
        self.joined_edit.setCalendarPopup(True)
        day = wizard.state.joined_on
        self.joined_edit.setDate(QDate(day.year, day.month, day.day))

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        target = QWidget(self)
        target_layout = QVBoxLayout(target)
        target_layout.setContentsMargins(0, 0, 0, 0)
        org_row = QHBoxLayout()
        org_row.addWidget(self.to_org)
        org_row.addWidget(self.org_combo, 1)
        target_layout.addLayout(org_row)
        target_layout.addWidget(self.by_column)
        form = QFormLayout(self)
        form.addRow(row_label("Tệp Excel:", self.path_edit), file_row)
        form.addRow("Trang tính:", self.sheet_combo)
        form.addRow("Đảng viên sinh hoạt ở:", target)
        form.addRow("Ngày bắt đầu sinh hoạt:", self.joined_edit)
        form.addRow("", QLabel("(dùng khi tệp không có cột ngày chuyển đến; ngày vào Đảng trùng ngày này "
                               "được ghi là kết nạp, còn lại là chuyển đến)", self))
        self.reason = QLabel(self)
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #c62828;")
        self._kinds: dict[str, OrgKind] = {}
        self.completeChanged.connect(self._show_problem)
        form.addRow("", self.reason)
        form.addRow(self.busy_label)
        wizard.worker.submit(ops.org_tree(as_of=day), self._show_orgs, lambda error: present_error(self, error))

    def _show_orgs(self, tree: tuple[OrgSnapshot, list[EndedOrg]]) -> None:
        snapshot, ended = tree
        self._kinds = {node.code: node.kind for node in snapshot.active_nodes()}
        self.org_combo.set_ended(ended)
        self.org_combo.fill(snapshot)  # nothing chosen for the clerk
        self.completeChanged.emit()

    def _chosen_org(self) -> str | None:
        """The organization the box names; None when it names none (typed text that matches nothing)."""
        return self.org_combo.code() if self.org_combo.has_choice() else None

    def _browse(self) -> None:
        current = Path(self.path_edit.text()).parent if self.path_edit.text() else None
        path = ask_open_path(self, "Chọn danh sách đảng viên", "Tệp Excel (*.xlsx);;Mọi tệp (*)", current)
        if path is not None:
            self.set_path(path)

    def set_path(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._load_sheets()

    def _load_sheets(self) -> None:
        path = Path(self.path_edit.text().strip())
        if not path.is_file() or path.suffix.lower() != ".xlsx":
            return
        self.run(ops.list_sheets(path=path), self._show_sheets, "Đang đọc tệp…")

    def _show_sheets(self, names: list[str]) -> None:
        self.sheet_combo.clear()
        self.sheet_combo.addItems(names)

    def problem(self) -> str:
        """Why "Tiếp theo" is not offered yet, or a caution about the choice ("" when none)."""
        if not self.path_edit.text().strip():
            return "Chưa chọn tệp Excel."
        if self.to_org.isChecked() and (problem := self.org_combo.problem()) is not None:
            return problem
        kind = self._kinds.get(self._chosen_org() or "")
        if self.to_org.isChecked() and kind is not None and not kind.is_chi_bo:
            return "Đã chọn một đảng bộ: tệp phải có cột «Chi bộ» ghi chi bộ của từng người."
        return ""

    def _show_problem(self) -> None:
        self.reason.setText(self.problem())

    def isComplete(self) -> bool:
        has_target = self.by_column.isChecked() or self._chosen_org() is not None
        return super().isComplete() and bool(self.path_edit.text().strip()) and has_target

    def validatePage(self) -> bool:
        if self.advancing():
            return True
        date = self.joined_edit.date()
        self.state.path = Path(self.path_edit.text().strip())
        self.state.sheet = self.sheet_combo.currentText() or None
        self.state.target_org = self._chosen_org() if self.to_org.isChecked() else None
        self.state.joined_on = dt.date(date.year(), date.month(), date.day())
        self.run(ops.load_sheet(path=self.state.path, sheet=self.state.sheet),
                 lambda loaded: setattr(self.state, "loaded", loaded), "Đang đọc danh sách và nhận dạng các cột…",
                 then_next=True)
        return False
