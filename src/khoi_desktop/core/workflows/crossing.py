"""Members moved between two tổ chức cơ sở đảng: legal, but the clerk must see it and name both sides."""

from __future__ import annotations

from collections import Counter

from khoi_desktop.core.stats import thousands
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import OrgRef, Plan


def _top(office: Office, plan: Plan, ref: OrgRef) -> str | None:
    """The name of the tổ chức cơ sở đảng (a top-level organization) that `ref` belongs to."""
    nodes = office.snapshot.nodes
    while isinstance(ref, str):  # a new organization: its own name if it is itself top-level
        new = plan.new_org(ref)
        if new.parent is None:
            return new.name
        ref = new.parent
    if ref is None or ref not in nodes:
        return None
    return office.snapshot.root_of(ref).name


def crossing_notes(office: Office, plan: Plan) -> list[tuple[str, str]]:
    """One note per pair of tổ chức cơ sở đảng that members leave and join."""
    pairs: Counter[tuple[str, str]] = Counter()
    for move in plan.moves:
        source, target = _top(office, plan, move.member.org_id), _top(office, plan, move.to)
        if source and target and source != target:
            pairs[(source, target)] += 1
    return [("cross_dang_bo", f"{thousands(count)} đảng viên chuyển sinh hoạt từ {source} sang {target}, khác tổ "
                              "chức cơ sở đảng: cần thống nhất với cấp ủy hai nơi (và xem cấp nào ký quyết định).")
            for (source, target), count in pairs.items()]
