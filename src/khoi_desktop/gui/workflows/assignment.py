"""Member assignment: the members of a chi bộ shared out among two or more target lists.

Move buttons and drag-and-drop move members; each list shows live counts of full and probationary
members and what the Charter's rules say about it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.models import MemberStatus
from khoi_desktop.core.settings import Thresholds
from khoi_desktop.core.text import show_date
from khoi_desktop.gui.gating import tag

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class MemberList(QListWidget):
    """A list of members that accepts members dragged from its sibling lists."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setAlternatingRowColors(True)
        self.model().rowsInserted.connect(lambda *_: self.changed.emit())
        self.model().rowsRemoved.connect(lambda *_: self.changed.emit())

    def add_member(self, row: MemberRow) -> None:
        item = QListWidgetItem(f"{row.full_name}  ({show_date(row.birth_date)}"
                               + (", dự bị)" if row.status is MemberStatus.DU_BI else ")"))
        item.setData(CODE_ROLE, row.code)
        item.setToolTip(f"Mã {row.code} · {row.status.label}" + (f" · {row.job_title}" if row.job_title else ""))
        self.addItem(item)

    def codes(self) -> list[str]:
        return [self.item(i).data(CODE_ROLE) for i in range(self.count())]

    def take_selected(self) -> list[str]:
        codes = []
        for item in self.selectedItems():
            codes.append(item.data(CODE_ROLE))
            self.takeItem(self.row(item))
        return codes


@dataclass(frozen=True)
class Tally:
    members: int
    full: int

    @property
    def probationary(self) -> int:
        return self.members - self.full

    def text(self) -> str:
        return f"{self.members} đảng viên: {self.full} chính thức, {self.probationary} dự bị"


class TargetPanel(QGroupBox):
    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.name_edit = QLineEdit(name, self)
        # Short enough for the panel's 260 px; the example in the tooltip (it was cut: «…Tổ chức c…»).
        self.name_edit.setPlaceholderText("Gõ tên chi bộ mới")
        self.name_edit.setToolTip("Tên chi bộ, ví dụ: Chi bộ Phòng Tổ chức cán bộ")
        self.list = MemberList(self)
        self.tally_label = QLabel(self)
        self.add_button = tag(QPushButton("Thêm người đã chọn →", self), Permission.DRAFT_ISSUE)
        self.back_button = tag(QPushButton("← Trả lại", self), Permission.DRAFT_ISSUE)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name_edit)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        layout.addWidget(self.tally_label)
        self.setMinimumWidth(260)


class AssignmentWidget(QWidget):
    """Source list on the left, target panels on the right; `changed` fires on every move."""

    changed = Signal()

    def __init__(self, limits: Thresholds, *, target_label: str = "Chi bộ mới", min_targets: int = 2,
                 source_must_empty: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limits = limits
        self.target_label = target_label
        self.min_targets = min_targets
        self.source_must_empty = source_must_empty
        self._rows: dict[str, MemberRow] = {}
        self.acted = False  # the clerk chose something beside names and members (keep the old chi bộ)
        self.source = MemberList(self)
        self.source.setObjectName("source_list")
        self.source.changed.connect(self.refresh)
        self.source_tally = QLabel(self)
        self.source_box = QGroupBox("Đảng viên chưa phân công", self)
        box = QVBoxLayout(self.source_box)
        box.addWidget(self.source)
        box.addWidget(self.source_tally)
        self.targets: list[TargetPanel] = []
        self._targets_row = QHBoxLayout()
        holder = QWidget(self)
        holder.setLayout(self._targets_row)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        add_target = tag(QPushButton("Thêm chi bộ", self), Permission.DRAFT_ISSUE)
        add_target.clicked.connect(lambda: self.add_target(""))
        self.remove_target_button = tag(QPushButton("Bớt chi bộ cuối", self), Permission.DRAFT_ISSUE)
        self.remove_target_button.clicked.connect(self.remove_last_target)
        share = tag(QPushButton("Chia đều số còn lại", self), Permission.DRAFT_ISSUE)
        share.clicked.connect(self.share_remaining)
        tools = QHBoxLayout()
        for button in (add_target, self.remove_target_button, share):
            tools.addWidget(button)
        tools.addStretch(1)
        self.messages = QLabel(self)
        self.messages.setObjectName("assignment_messages")
        self.messages.setWordWrap(True)
        main = QHBoxLayout()
        main.addWidget(self.source_box, 1)
        main.addWidget(scroll, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addLayout(main, 1)
        layout.addWidget(self.messages)
        for _ in range(min_targets):
            self.add_target("")

    # --- content ---------------------------------------------------------------------------
    def set_members(self, rows: list[MemberRow]) -> None:
        self._rows = {r.code: r for r in rows}
        self.source.clear()
        for target in self.targets:
            target.list.clear()
        for row in rows:
            self.source.add_member(row)
        self.refresh()

    def add_target(self, name: str) -> TargetPanel:
        panel = TargetPanel(f"{self.target_label} {len(self.targets) + 1}", name, self)
        panel.add_button.clicked.connect(lambda: self.move_selected(self.source, panel.list))
        panel.back_button.clicked.connect(lambda: self.move_selected(panel.list, self.source))
        panel.list.changed.connect(self.refresh)
        panel.name_edit.textChanged.connect(lambda _text: self.refresh())
        self.targets.append(panel)
        self._targets_row.addWidget(panel)
        self.refresh()
        return panel

    def remove_last_target(self) -> None:
        if len(self.targets) <= self.min_targets:
            return
        panel = self.targets.pop()
        for code in panel.list.codes():
            self.source.add_member(self._rows[code])
        panel.setParent(None)
        panel.deleteLater()
        self.refresh()

    def move_selected(self, source: MemberList, target: MemberList) -> None:
        for code in source.take_selected():
            target.add_member(self._rows[code])

    def move_codes(self, codes: list[str], target: MemberList) -> None:
        """Move the named members from wherever they are (used by tests and 'share')."""
        wanted = set(codes)
        for member_list in [self.source, *(t.list for t in self.targets)]:
            for i in reversed(range(member_list.count())):
                if member_list.item(i).data(CODE_ROLE) in wanted:
                    member_list.takeItem(i)
        for code in codes:
            target.add_member(self._rows[code])

    def share_remaining(self) -> None:
        remaining = self.source.codes()
        for index, target in enumerate(self.targets):
            self.move_codes(remaining[index::len(self.targets)], target.list)

    def groups(self) -> list[tuple[str, list[str]]]:
        return [(t.name_edit.text().strip(), t.list.codes()) for t in self.targets]

    # --- live counts and rules ---------------------------------------------------------------
    def tally(self, codes: list[str]) -> Tally:
        rows = [self._rows[c] for c in codes]
        return Tally(len(rows), sum(r.status is not MemberStatus.DU_BI for r in rows))

    def problems(self) -> tuple[list[str], list[str]]:
        """(errors that block, warnings that need the superior's consent)."""
        errors: list[str] = []
        warnings: list[str] = []
        for number, (name, codes) in enumerate(self.groups(), 1):
            label = name or f"{self.target_label} {number}"
            tally = self.tally(codes)
            if not name:
                errors.append(f"{self.target_label} {number} chưa có tên.")
            if tally.full < self.limits.min_full_members:
                errors.append(f"{label} mới có {tally.full} đảng viên chính thức (cần ít nhất "
                              f"{self.limits.min_full_members}).")
            if tally.members > self.limits.chi_bo_max_members:
                warnings.append(f"{label} có {tally.members} đảng viên, quá {self.limits.chi_bo_max_members}: "
                                "cần ý kiến đồng ý của cấp ủy cấp trên.")
        first_of: dict[str, int] = {}  # the same name twice (the core refuses it too, name_taken)
        for number, (name, _codes) in enumerate(self.groups(), 1):
            key = " ".join(name.split()).casefold()
            if key and key in first_of:
                errors.append(f"{self.target_label} {first_of[key]} và {number} cùng tên «{name}»: hãy đặt tên khác "
                              "nhau.")
            first_of.setdefault(key, number)
        left = self.source.count()
        if left and self.source_must_empty:
            errors.append(f"Còn {left} đảng viên chưa được phân công về chi bộ nào.")
        return errors, warnings

    def untouched(self) -> bool:
        """No chi bộ named, nobody moved yet: the page as it opened."""
        return not self.acted and not any(name or codes for name, codes in self.groups())

    def hint(self) -> str:
        what = self.target_label.lower()
        return (f"Đặt tên cho từng {what}, rồi đưa đảng viên vào: chọn rồi bấm «Thêm người đã chọn →», kéo thả, hoặc "
                f"«Chia đều số còn lại». Mỗi {what} cần ít nhất {self.limits.min_full_members} đảng viên chính thức.")

    def refresh(self) -> None:
        self.source_tally.setText(self.tally(self.source.codes()).text())
        for target in self.targets:
            target.tally_label.setText(self.tally(target.list.codes()).text())
        self.remove_target_button.setEnabled(len(self.targets) > self.min_targets)
        errors, warnings = self.problems()
        if errors and self.untouched():
            # What is still missing on a page just opened is a grey hint, not five red «Lỗi:» lines.
            self.messages.setText(f"<span style='color:#555'>{self.hint()}</span>")
            self.changed.emit()
            return
        lines = [f"<span style='color:#c62828'>Lỗi: {e}</span>" for e in errors]
        lines += [f"<span style='color:#ef6c00'>Cần ý kiến cấp trên: {w}</span>" for w in warnings]
        self.messages.setText("<br>".join(lines) if lines else
                              "<span style='color:#2e7d32'>Phân công hợp lệ.</span>")
        self.changed.emit()
