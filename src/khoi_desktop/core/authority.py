"""Who decides (Điều lệ Đảng, Điều 10 khoản 3): the directly superior committee of an organization.

A chi bộ cơ sở or a đảng bộ cơ sở is decided on by this office's Ban Thường vụ; a chi bộ trực thuộc or a
đảng bộ bộ phận by the đảng ủy cơ sở above it. The superior is derived from the tree, never stored: a
transfer changes it with the placement. A decision concerning organizations of different deciding bodies
(a chi bộ moved between two đảng bộ cơ sở, or across levels) is made by their common superior, which in
this tree of two committee levels is this office.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.text import show_date
from khoi_desktop.core.tree import OrgNode

# An issuer: None = this office, otherwise the id of the đảng bộ cơ sở whose committee decides.
Issuer = int | None


def superior_committee(kind: OrgKind, parent_id: int | None, parent_of: Callable[[int], OrgNode | None]) -> Issuer:
    """The directly superior committee of an organization of `kind` placed under `parent_id`."""
    if kind.is_tccsd:
        return None
    current = parent_of(parent_id) if parent_id is not None else None
    while current is not None:
        if current.kind is OrgKind.DANG_BO_CO_SO:
            return current.id
        current = parent_of(current.parent_id) if current.parent_id is not None else None
    return None


def common_superior(bodies: Iterable[Issuer]) -> Issuer:
    """One deciding body for all, or this office (None) when they differ."""
    distinct = set(bodies)
    return distinct.pop() if len(distinct) == 1 else None


def committee_name(dang_bo_name: str) -> str:
    """'Đảng bộ Sở Y tế' -> 'Đảng ủy Sở Y tế' (the committee of a đảng bộ)."""
    if dang_bo_name.lower().startswith("đảng bộ"):
        return "Đảng ủy" + dang_bo_name[len("Đảng bộ"):]
    return f"Đảng ủy {dang_bo_name}"


def issuer_refusal(wanted: Issuer, required: Issuer, name_of: Callable[[int], str], office_name: str,
                   subject: str) -> tuple[str, str]:
    """The Vietnamese refusal of a request naming the wrong issuer: who decides, and why."""
    who = f"Ban Thường vụ {office_name}" if required is None else committee_name(name_of(required))
    named = f"Ban Thường vụ {office_name}" if wanted is None else committee_name(name_of(wanted))
    why = ("là cấp ủy cấp trên trực tiếp" if required is not None
           else "là cấp ủy cấp trên trực tiếp (hoặc cấp trên chung của các tổ chức liên quan)")
    return ("wrong_issuer", f"Quyết định về {subject} do {who} ban hành ({who} {why}, Điều 10 khoản 3 Điều lệ "
                            f"Đảng), không phải {named}: hãy chọn cơ quan ban hành là {who}.")


def recorded_label(number: str, signed_on: object, body: str) -> str:
    return f"Quyết định số {number}, ngày {show_date(signed_on)} của {body}"  # type: ignore[arg-type]
