"""Members moved between two tổ chức cơ sở đảng: legal, but the clerk must see it and name both sides."""

from __future__ import annotations

from collections import Counter

from khoi_desktop.core.stats import thousands
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import OrgRef, Plan


def _top(office: Office, plan: Plan, ref: OrgRef) -> tuple[str, OrgRef] | None:
    """The name and reference of the tổ chức cơ sở đảng (a top-level organization) that `ref` belongs to."""
    nodes = office.snapshot.nodes
    while isinstance(ref, str):  # a new organization: its own name if it is itself top-level
        new = plan.new_org(ref)
        if new.parent is None:
            return new.name, ref
        ref = new.parent
    if ref is None or ref not in nodes:
        return None
    root = office.snapshot.root_of(ref)
    return root.name, root.id


def crossing_notes(office: Office, plan: Plan) -> list[tuple[str, str]]:
    """One note per pair of tổ chức cơ sở đảng that members leave and join. None when the one they leave ends
    and the one they join is made by this same decision (an upgrade, a consolidation, a split of a chi bộ cơ sở):
    there is no second committee to agree with."""
    pairs: Counter[tuple[str, str, bool]] = Counter()
    for move in plan.moves:
        source, target = _top(office, plan, move.member.org_id), _top(office, plan, move.to)
        if source is None or target is None or source[0] == target[0]:
            continue
        if source[1] in plan.ends and isinstance(target[1], str):
            continue
        pairs[(source[0], target[0], isinstance(target[1], str))] += 1
    # A tổ chức cơ sở đảng this decision founds has no committee yet: one side to agree with, not two.
    return [("cross_dang_bo", f"{thousands(count)} đảng viên chuyển sinh hoạt từ {source} sang {target}, khác tổ "
                              "chức cơ sở đảng: " + (f"cần thống nhất với cấp ủy {source} (tổ chức mới chưa có cấp "
                                                     "ủy)." if new else "cần thống nhất với cấp ủy hai nơi (và xem "
                                                     "cấp nào ký quyết định)."))
            for (source, target, new), count in pairs.items()]
