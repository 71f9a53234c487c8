"""Lazy item model of the organization tree: children are exposed only when a branch is expanded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from khoi_desktop.core.text import thousands

# An empty model is part of the window's first frame; the tree's own module and the icons come with its data.
if TYPE_CHECKING:
    from khoi_desktop.core.tree import OrgNode, OrgSnapshot

Index = QModelIndex | QPersistentModelIndex


class OrgTreeModel(QAbstractItemModel):
    COL_NAME, COL_MEMBERS, COL_PROBATIONARY = range(3)
    HEADERS = ("Tổ chức đảng", "Đảng viên", "Dự bị")
    OrgIdRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._snapshot: OrgSnapshot | None = None
        self._row_of: dict[int, int] = {}
        self._exposed: dict[int | None, int] = {}  # parent id -> children made visible so far

    @property
    def snapshot(self) -> OrgSnapshot | None:
        return self._snapshot

    def set_snapshot(self, snapshot: OrgSnapshot) -> None:
        self.beginResetModel()
        self._snapshot = snapshot
        self._row_of = {org_id: row for ids in [snapshot.roots, *(n.children for n in snapshot.nodes.values())]
                        for row, org_id in enumerate(ids)}
        self._exposed = {None: len(snapshot.roots)}  # top level is small (the TCCSĐ): show at once
        self.endResetModel()

    # --- structure -------------------------------------------------------------------------
    def _node(self, index: Index) -> OrgNode | None:
        return index.internalPointer() if index.isValid() else None

    def _children(self, node: OrgNode | None) -> list[int]:
        if self._snapshot is None:
            return []
        return self._snapshot.roots if node is None else node.children

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        # Asked for every top-level row when the view lays them out (1.460 at provincial scale): kept short.
        snapshot = self._snapshot
        if snapshot is None:
            return QModelIndex()
        if parent.isValid():
            node = parent.internalPointer()
            children, key = node.children, node.id
        else:
            children, key = snapshot.roots, None
        if row < 0 or column < 0 or column >= len(self.HEADERS) or row >= self._exposed.get(key, 0):
            return QModelIndex()
        return self.createIndex(row, column, snapshot.nodes[children[row]])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent_id is None or self._snapshot is None:
            return QModelIndex()
        parent = self._snapshot.nodes[node.parent_id]
        return self.createIndex(self._row_of[parent.id], 0, parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return self._exposed.get(node.id if node else None, 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        if not parent.isValid():
            return self._snapshot is not None and bool(self._snapshot.roots)
        return parent.column() == 0 and bool(parent.internalPointer().children)

    def canFetchMore(self, parent: Index) -> bool:
        node = self._node(parent)
        return self._exposed.get(node.id if node else None, 0) < len(self._children(node))

    def fetchMore(self, parent: Index) -> None:
        node = self._node(parent)
        key = node.id if node else None
        shown, total = self._exposed.get(key, 0), len(self._children(node))
        if shown >= total:
            return
        self.beginInsertRows(parent, shown, total - 1)
        self._exposed[key] = total
        self.endInsertRows()

    # --- content ---------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self._node(index)
        if node is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COL_NAME:
                return node.name
            return thousands(node.members if column == self.COL_MEMBERS else node.probationary)
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_NAME:
            from khoi_desktop.gui.icons import kind_icon

            return kind_icon(node.kind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{node.kind.label} · mã {node.code}" + (f"\n{node.agency}" if node.agency else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.COL_NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.OrgIdRole:
            return node.id
        if role == self.KindRole:
            return node.kind.value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    # --- lookup ----------------------------------------------------------------------------
    def index_of(self, org_id: int) -> QModelIndex:
        """Index of an organization, exposing the branches above it as needed."""
        if self._snapshot is None or org_id not in self._snapshot.nodes:
            return QModelIndex()
        chain = []
        node: OrgNode | None = self._snapshot.nodes[org_id]
        while node is not None:
            chain.append(node)
            node = self._snapshot.nodes.get(node.parent_id) if node.parent_id is not None else None
        parent_index = QModelIndex()
        for node in reversed(chain):
            if self.canFetchMore(parent_index):
                self.fetchMore(parent_index)
            parent_index = self.index(self._row_of[node.id], 0, parent_index)
        return parent_index
