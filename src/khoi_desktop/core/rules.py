"""Charter checks (DOMAIN.md §2) over the thresholds held in settings -> findings.

One rule book for `check` and for the checks of a request (core/workflows/request_check.py): every rule
reads only the facts of one organization (OrgFacts: its kind, its members and full members counted over
its subtree, whether it has chi bộ under it, the superior's consent). So a request is checked by
computing those facts after it for the organizations it touches and their ancestors, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.settings import Thresholds
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.tree import OrgSnapshot


class OrgFacts(Protocol):
    """What a rule reads of an organization (an OrgNode of a snapshot, or the facts after a request)."""

    id: int
    code: str
    name: str
    kind: OrgKind
    members: int  # whole subtree
    full_members: int
    has_consent: bool

    @property
    def has_children(self) -> bool: ...


@dataclass(frozen=True)
class Finding:
    org_id: int
    org: str  # code
    name: str
    rule: str
    severity: str  # "error": must be fixed; "warning": needs a decision or the superior's consent; "info"
    members: int
    message: str


def _finding(node: OrgFacts, rule: str, severity: str, message: str) -> Finding:
    if node.has_consent and severity == "warning":
        severity = "info"
        message += " Đã có ý kiến đồng ý của cấp ủy cấp trên."
    return Finding(node.id, node.code, node.name, rule, severity, node.members, message)


def check_org(node: OrgFacts, limits: Thresholds) -> list[Finding]:
    """Every rule the organization breaks, from its own facts only."""
    found: list[Finding] = []
    members = thousands(node.members)
    if node.kind.is_chi_bo and node.members > limits.chi_bo_max_members:
        found.append(_finding(
            node, "chi_bo_over_30", "warning",
            f"{node.name} có {members} đảng viên, quá {limits.chi_bo_max_members}: cần tách chi bộ, "
            "thành lập đảng bộ bộ phận hoặc được cấp ủy cấp trên đồng ý duy trì (chia tổ đảng).",
        ))
    if node.kind is OrgKind.CHI_BO_CO_SO and node.members >= limits.tccsd_dang_bo_min_members:
        found.append(_finding(
            node, "tccsd_should_be_dang_bo", "warning",
            f"{node.name} là chi bộ cơ sở có {members} đảng viên (từ {limits.tccsd_dang_bo_min_members} "
            "trở lên): nên thành lập đảng bộ cơ sở với các chi bộ trực thuộc.",
        ))
    if node.kind is OrgKind.DANG_BO_CO_SO and node.members < limits.tccsd_dang_bo_min_members:
        found.append(_finding(
            node, "dang_bo_under_30", "warning",
            f"{node.name} là đảng bộ cơ sở chỉ có {members} đảng viên (dưới "
            f"{limits.tccsd_dang_bo_min_members}): cần ý kiến đồng ý của cấp ủy cấp trên.",
        ))
    if node.kind is OrgKind.DANG_BO_BO_PHAN and not node.has_consent:
        found.append(_finding(
            node, "dang_bo_bo_phan_consent", "info",
            f"{node.name} là đảng bộ bộ phận: chưa ghi nhận quyết định đồng ý của cấp ủy cấp trên.",
        ))
    if node.kind.is_chi_bo and node.full_members < limits.min_full_members:
        found.append(Finding(
            node.id, node.code, node.name, "too_few_full_members", "error", node.members,
            f"{node.name} chỉ có {node.full_members} đảng viên chính thức (cần ít nhất "
            f"{limits.min_full_members}): phải bổ sung hoặc chuyển đảng viên sang tổ chức khác.",
        ))
    elif not node.kind.is_chi_bo and not node.has_children:
        found.append(Finding(
            node.id, node.code, node.name, "dang_bo_without_chi_bo", "error", node.members,
            f"{node.name} không còn chi bộ trực thuộc nào.",
        ))
    return found


# Which way an organization moves further from a rule it already breaks: a request that moves it so is
# answerable for the finding (a chi bộ over 30 that grows, a đảng bộ under 30 that shrinks).
_WORSE = {
    "chi_bo_over_30": lambda b, a: a.members > b.members,
    "tccsd_should_be_dang_bo": lambda b, a: a.members > b.members,
    "dang_bo_under_30": lambda b, a: a.members < b.members,
    "too_few_full_members": lambda b, a: a.full_members < b.full_members,
}


def worsened(rule: str, before: OrgFacts, after: OrgFacts) -> bool:
    """Whether an organization that broke `rule` before a change breaks it further after."""
    test = _WORSE.get(rule)
    return bool(test(before, after)) if test else False


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check(snapshot: OrgSnapshot, limits: Thresholds) -> list[Finding]:
    """Every rule broken by an organization active on the snapshot's date, worst first."""
    findings = [f for node in snapshot.active_nodes() for f in check_org(node, limits)]
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule, f.org))
    return findings
