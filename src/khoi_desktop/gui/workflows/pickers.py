"""Organization pickers over the tree snapshot the main window already holds."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.text import word_sort_key
from khoi_desktop.core.tree import OrgSnapshot

TOP_LEVEL = "__top__"


class OrgPicker(QComboBox):
    """An editable combo listing active organizations of the given kinds; typing filters (no accents needed)."""

    def __init__(self, snapshot: OrgSnapshot, kinds: Iterable[OrgKind], *, top_level_label: str | None = None,
                 exclude: set[int] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        wanted = set(kinds)
        if top_level_label:
            self.addItem(top_level_label, TOP_LEVEL)
        nodes = sorted((n for n in snapshot.active_nodes() if n.kind in wanted and n.id not in (exclude or set())),
                       key=lambda n: word_sort_key(n.name))
        for node in nodes:
            self.addItem(f"{node.name} ({node.code})", node.code)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.setMinimumWidth(360)

    def code(self) -> str | None:
        """The chosen organization's code; None for 'directly under the issuing committee'."""
        data = self.currentData()
        return None if data in (None, TOP_LEVEL) else str(data)

    def has_choice(self) -> bool:
        return self.currentIndex() >= 0

    def select_code(self, code: str | None) -> None:
        index = self.findData(code if code is not None else TOP_LEVEL)
        if index >= 0:
            self.setCurrentIndex(index)
