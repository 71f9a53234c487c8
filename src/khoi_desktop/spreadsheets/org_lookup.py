"""Which chi bộ a row names, in a "Chi bộ" column or a section row: by code or by name, accents ignored."""

from __future__ import annotations

import re
from collections import defaultdict

from khoi_desktop.core.text import fold
from khoi_desktop.core.tree import OrgNode, OrgSnapshot

_PREFIX = re.compile(r"^(chi bo co so|chi bo truc thuoc|chi bo)\s+")


def _key(text: str) -> str:
    return _PREFIX.sub("", fold(text)).strip(" .,:;")


class OrgLookup:
    """Chi bộ that can receive members: all of them, or those under one đảng bộ."""

    def __init__(self, snapshot: OrgSnapshot, within: OrgNode | None = None) -> None:
        ids = snapshot.subtree_ids(within.id) if within else list(snapshot.nodes)
        self._nodes = [snapshot.nodes[i] for i in ids if snapshot.nodes[i].active]
        self._by_code = {n.code.casefold(): n for n in self._nodes}
        self._by_name: dict[str, list[OrgNode]] = defaultdict(list)
        for node in self._nodes:
            self._by_name[_key(node.name)].append(node)
        self.scope = within

    def find(self, text: str) -> OrgNode:
        """The chi bộ named; raises LookupError with a Vietnamese message."""
        value = " ".join(text.split())
        node = self._by_code.get(value.casefold())
        matches = [node] if node else self._by_name.get(_key(value), [])
        where = f" thuộc {self.scope.name}" if self.scope else ""
        if not matches:
            raise LookupError(f"không tìm thấy chi bộ “{value}”{where} (ghi tên hoặc mã chi bộ)")
        if len(matches) > 1:
            codes = ", ".join(f"{n.code} ({n.name})" for n in matches[:5])
            raise LookupError(f"“{value}” trùng tên nhiều tổ chức: {codes}; hãy ghi mã chi bộ")
        found = matches[0]
        if not found.kind.is_chi_bo:
            raise LookupError(f"“{found.name}” là {found.kind.label.lower()}, không phải chi bộ: đảng viên "
                              "sinh hoạt ở chi bộ")
        return found
