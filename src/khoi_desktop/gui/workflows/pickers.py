"""Organization pickers over the tree snapshot the main window already holds.

A picker resolves to exactly the organization its box shows, or to nothing: text typed without choosing
from the pop-up counts only when it names one organization (its full entry, or a name no other entry
shares). Each entry shows the organization's parents, so the 13 "Chi bộ Phòng Kế hoạch - Tài chính"
of an office can be told apart; the organizations next to the one being worked on come first.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.text import fold, nfc, show_date, word_sort_key
from khoi_desktop.core.tree import OrgNode, OrgSnapshot
from khoi_desktop.gui.ops import EndedOrg

TOP_LEVEL = "__top__"
PATH_SEPARATOR = " – "
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 7  # the entry without accents or case, what the pop-up matches


class FoldingCompleter(QCompleter):
    """Completes on the entries' folded text, so 'bao thai' and 'Báo Thái' both offer «Đảng bộ Báo Thái
    Nguyên»; choosing puts the entry itself (with its accents) in the box."""

    def __init__(self, model: QAbstractItemModel, parent: QObject) -> None:
        super().__init__(model, parent)
        self.setCompletionRole(FOLDED_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt's name
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802 - Qt's name
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class SearchableCombo(QComboBox):
    """A combo of many names (the scope of a report: «Toàn Đảng bộ» and the 73 TCCSĐ) that a clerk can type into:
    part of a name, with or without accents, offers the entries; Enter takes the single one offered; text naming
    none goes back to the entry shown when the box is left. The plain combo took only the accented first letters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setCompleter(FoldingCompleter(self.model(), self))
        self.model().rowsInserted.connect(self._fold_rows)

    def _fold_rows(self, _parent: QModelIndex | QPersistentModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.setItemData(row, fold(self.itemText(row)), FOLDED_ROLE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = nfc(self.currentText()).strip()
        completer = self.completer()
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and text and completer is not None
                and self.findText(text, Qt.MatchFlag.MatchFixedString) < 0):
            completer.setCompletionPrefix(text)
            if completer.completionCount() == 1:
                entry = str(completer.completionModel().index(0, 0).data(Qt.ItemDataRole.DisplayRole) or "")
                self.setCurrentIndex(self.findText(entry, Qt.MatchFlag.MatchExactly))
                self.setEditText(entry)
            event.accept()  # several or none: nothing guessed, nothing closes
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if self.findText(nfc(self.currentText()).strip(), Qt.MatchFlag.MatchFixedString) < 0:
            self.setEditText(self.itemText(self.currentIndex()))  # the report shown is still this entry's
        super().focusOutEvent(event)


def org_path(snapshot: OrgSnapshot, node: OrgNode) -> str:
    """'Chi bộ Văn phòng – Đảng bộ Sở Y tế': the organization, then its parents up to the top."""
    names = [node.name]
    parent_id = node.parent_id
    while parent_id is not None and parent_id in snapshot.nodes:
        parent = snapshot.nodes[parent_id]
        names.append(parent.name)
        parent_id = parent.parent_id
    return PATH_SEPARATOR.join(names)


class OrgPicker(QComboBox):
    """An editable combo of the organizations of the given kinds that exist now; typing filters (no accents
    needed). `near` puts that organization's siblings (and its parent) first."""

    choice_changed = Signal()

    def __init__(self, snapshot: OrgSnapshot | None, kinds: Iterable[OrgKind], *, top_level_label: str | None = None,
                 exclude: set[int] | None = None, near: OrgNode | None = None, what: str = "tổ chức",
                 ended: Iterable[EndedOrg] = (), parent: QWidget | None = None) -> None:
        """`snapshot` None: the entries come later, with `fill` (a dialog that reads the tree itself). `ended`:
        the organizations that no longer exist, so a name typed of one is refused saying when it ended."""
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if (line := self.lineEdit()) is not None:
            line.setPlaceholderText(f"Gõ tên {what} rồi chọn trong danh sách")
        self.what = what
        self._kinds = set(kinds)
        self._top_level_label = top_level_label
        self._exclude = exclude or set()
        self._near = near
        self._names: dict[str, list[int]] = {}  # folded name -> item indexes
        self._ended: dict[str, list[EndedOrg]] = {}  # folded name -> organizations of that name that ended
        self.set_ended(ended)
        self.setMinimumWidth(420)
        self.setMaxVisibleItems(15)
        if snapshot is not None:
            self.fill(snapshot)
        self.editTextChanged.connect(lambda _text: self.choice_changed.emit())
        self.currentIndexChanged.connect(lambda _index: self.choice_changed.emit())

    def fill(self, snapshot: OrgSnapshot) -> None:
        """The entries: the organizations of the picker's kinds that exist in `snapshot`; nothing chosen."""
        self.blockSignals(True)
        self.clear()
        self._names = {}
        if self._top_level_label:
            self.addItem(self._top_level_label, TOP_LEVEL)
            self.setItemData(0, fold(self._top_level_label), FOLDED_ROLE)
        nodes = [n for n in snapshot.active_nodes() if n.kind in self._kinds and n.id not in self._exclude]
        near = self._near
        near_parent = near.parent_id if near is not None else None

        def order(node: OrgNode) -> tuple[int, str]:
            close = near is not None and (node.parent_id == near_parent or node.id == near_parent)
            return (0 if close else 1, word_sort_key(org_path(snapshot, node)))

        for node in sorted(nodes, key=order):
            self.addItem(org_path(snapshot, node), node.code)
            self.setItemData(self.count() - 1, f"Mã {node.code}", Qt.ItemDataRole.ToolTipRole)
            self.setItemData(self.count() - 1, fold(self.itemText(self.count() - 1)), FOLDED_ROLE)
            self._names.setdefault(fold(node.name), []).append(self.count() - 1)
        completer = FoldingCompleter(self.model(), self)
        self.setCompleter(completer)
        # The entries carry their parents («Chi bộ Phòng Hành chính - Tổ chức – Đảng bộ Văn phòng …»): the pop-up and
        # the list as wide as the longest (up to 1000 px), not the box's width that cut every entry at its parents.
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(self.itemText(i)) for i in range(self.count())), default=0)
        wide = min(longest + 48, 1000)
        if (popup := completer.popup()) is not None:
            popup.setMinimumWidth(wide)
        if (view := self.view()) is not None:
            view.setMinimumWidth(wide)
        self.setCurrentIndex(-1)  # nothing chosen until the clerk chooses
        self.blockSignals(False)
        self.choice_changed.emit()

    def set_ended(self, ended: Iterable[EndedOrg]) -> None:
        self._ended = {}
        for org in ended:
            self._ended.setdefault(fold(org.name), []).append(org)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a typed name that the pop-up completes to one entry takes that entry («chi bo van phong»,
        Enter: «Chi bộ Văn phòng – Đảng bộ Sở …»), as a clerk expects, and so does a name typed without accents
        that is the whole name of one organization (the pop-up offered longer names too); several or none:
        nothing guessed."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.resolved_index() < 0:
            completer = self.completer()
            text = nfc(self.currentText()).strip()
            same_letters = self._names.get(fold(text), []) if text else []
            if len(same_letters) == 1:  # «chi bo phong kinh te»: the one organization of that name, accents put back
                self.setCurrentIndex(same_letters[0])
                self.setEditText(self.itemText(same_letters[0]))
                event.accept()
                return
            if completer is not None and text:
                completer.setCompletionPrefix(text)
                if completer.completionCount() == 1:
                    entry = str(completer.completionModel().index(0, 0).data(Qt.ItemDataRole.DisplayRole) or "")
                    index = self.findText(entry, Qt.MatchFlag.MatchExactly)
                    if index >= 0:
                        self.setCurrentIndex(index)
                        self.setEditText(entry)
                        event.accept()
                        return
        super().keyPressEvent(event)

    # --- resolution ------------------------------------------------------------------------
    def resolved_index(self) -> int:
        """The item the box's text names, or -1 when it names none or more than one."""
        text = nfc(self.currentText()).strip()
        if not text:
            return -1
        exact = self.findText(text, Qt.MatchFlag.MatchFixedString)  # whole entry, case-insensitive
        if exact >= 0:
            return exact
        by_name = self._names.get(fold(text), [])
        same_accents = [i for i in by_name if self.itemText(i).split(PATH_SEPARATOR)[0].casefold() == text.casefold()]
        return same_accents[0] if len(same_accents) == 1 else -1

    def problem(self) -> str | None:
        """Why the box names no organization, in words for the clerk; None when it names one."""
        if self.resolved_index() >= 0:
            return None
        text = nfc(self.currentText()).strip()
        if not text:
            return f"Chưa chọn {self.what}."
        same_letters = self._names.get(fold(text), [])
        if len(same_letters) > 1:
            return (f"Có {len(same_letters)} tổ chức tên «{text}»: hãy chọn đúng tổ chức trong danh sách (có ghi "
                    "cấp trên).")
        if same_letters:  # typed without (or with other) accents: say which one is meant, choose nothing
            name = self.itemText(same_letters[0]).split(PATH_SEPARATOR)[0]
            return f"«{text}» chưa đúng tên có dấu: hãy chọn «{name}» trong danh sách."
        ended = self._ended.get(fold(text), [])
        if ended:  # it existed: say so, rather than "not in the list" as if the clerk misspelt it
            org = max(ended, key=lambda o: o.ended_on)
            more = f" (và {len(ended) - 1} tổ chức cùng tên khác cũng đã kết thúc)" if len(ended) > 1 else ""
            return (f"Tổ chức «{org.name}» ({org.code}) đã giải thể/kết thúc hoạt động ngày {show_date(org.ended_on)}"
                    f"{more}: không còn trong danh sách để chọn.")
        return f"Không có {self.what} nào tên «{text}» trong danh sách: hãy chọn trong danh sách."

    def has_choice(self) -> bool:
        return self.resolved_index() >= 0

    def code(self) -> str | None:
        """The chosen organization's code; None for 'directly under the issuing committee'.

        Raises ValidationError when the box names no organization, so a request is never built from a
        row the clerk did not choose."""
        index = self.resolved_index()
        if index < 0:
            raise ValidationError(self.problem() or "", code="no_choice")
        data = self.itemData(index)
        return None if data == TOP_LEVEL else str(data)

    def select_code(self, code: str | None) -> None:
        index = self.findData(code if code is not None else TOP_LEVEL)
        if index >= 0:
            self.setCurrentIndex(index)
