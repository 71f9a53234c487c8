"""Charter checks (DOMAIN.md §2) over the thresholds held in settings -> findings."""

from __future__ import annotations

from dataclasses import dataclass

from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.settings import Thresholds
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.tree import OrgNode, OrgSnapshot


@dataclass(frozen=True)
class Finding:
    org_id: int
    org: str  # code
    name: str
    rule: str
    severity: str  # "error": must be fixed; "warning": needs a decision or the superior's consent; "info"
    members: int
    message: str


def _finding(node: OrgNode, rule: str, severity: str, message: str) -> Finding:
    if node.has_consent and severity == "warning":
        severity = "info"
        message += " Đã có ý kiến đồng ý của cấp ủy cấp trên."
    return Finding(node.id, node.code, node.name, rule, severity, node.members, message)


def _check_node(node: OrgNode, limits: Thresholds) -> list[Finding]:
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
    elif not node.kind.is_chi_bo and not node.children:
        found.append(Finding(
            node.id, node.code, node.name, "dang_bo_without_chi_bo", "error", node.members,
            f"{node.name} không còn chi bộ trực thuộc nào.",
        ))
    return found


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def check(snapshot: OrgSnapshot, limits: Thresholds) -> list[Finding]:
    """Every rule broken by an organization active on the snapshot's date, worst first."""
    findings = [f for node in snapshot.active_nodes() for f in _check_node(node, limits)]
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule, f.org))
    return findings
