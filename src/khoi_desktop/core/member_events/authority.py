"""Who decides a member action (issue 17, DOMAIN.md §2).

Admission, recognition as full member, exemption and leaving are decided by the đảng ủy cơ sở the office
has authorized to admit members ("được ủy quyền kết nạp đảng viên", the settings' `admitting_bodies`) for
the chi bộ under it, otherwise by this office's Ban Thường vụ: for every chi bộ cơ sở and for the chi bộ of
a đảng bộ cơ sở not authorized. A move between chi bộ is decided by their common deciding body (the
đảng ủy of one authorized đảng bộ cơ sở, else this office). A member coming from or going to a body
outside this office passes through the office itself.
"""

from __future__ import annotations

from khoi_desktop.core.authority import Issuer
from khoi_desktop.core.member_events.plan import MemberPlan
from khoi_desktop.core.member_events.requests import ReceiveMember, TransferMember
from khoi_desktop.core.requests import Request
from khoi_desktop.core.workflows.issuer import superior_of
from khoi_desktop.core.workflows.office import Office


def deciding_body(office: Office, chi_bo_id: int) -> Issuer:
    """The body deciding on the members of a chi bộ: its authorized đảng ủy cơ sở, else this office."""
    node = office.snapshot.nodes.get(chi_bo_id)
    if node is None:
        return None
    superior = superior_of(office, node.kind, node.parent_id)
    if superior is None or office.snapshot.nodes[superior].code not in office.settings.admitting_bodies:
        return None
    return superior


def deciding_bodies(office: Office, request: Request, plan: MemberPlan) -> list[Issuer]:
    chi_bo = [m.org_id for m in plan.members] + ([plan.org.id] if plan.org is not None else [])
    bodies = [deciding_body(office, i) for i in dict.fromkeys(chi_bo)]
    outside = isinstance(request, ReceiveMember) or (isinstance(request, TransferMember) and bool(request.to_body))
    return bodies + ([None] if outside else [])


def subject_of(office: Office, plan: MemberPlan) -> str:
    names = [m.full_name for m in plan.members] + [p.full_name for p in plan.people]
    if len(names) == 1:
        return f"đảng viên {names[0]}"
    return f"{len(names)} đảng viên" if names else "đảng viên"



