"""Who decides a member action (issue 17, DOMAIN.md §2).

Admission, recognition as full member, exemption and leaving are decided by the đảng ủy cơ sở the office
has authorized to admit members ("được ủy quyền kết nạp đảng viên", the settings' `admitting_bodies`) for
the chi bộ under it, otherwise by this office's Ban Thường vụ: for every chi bộ cơ sở and for the chi bộ of
a đảng bộ cơ sở not authorized. A move between chi bộ is decided by their common deciding body (the
đảng ủy of one authorized đảng bộ cơ sở, else this office). A member coming from or going to a body
outside this office passes through the office itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from khoi_desktop.core.authority import Issuer
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.member_events.plan import MemberPlan
from khoi_desktop.core.member_events.requests import ReceiveMember, TransferMember
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.requests import Request
from khoi_desktop.core.settings import load_settings, save_settings
from khoi_desktop.core.text import nfc
from khoi_desktop.core.tree import load_snapshot
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





def set_admitting_bodies(session: Session, *, add: Sequence[str] = (),
                         remove: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Authorize đảng bộ cơ sở to admit members (`add`), or withdraw it (`remove`); the (code, name) authorized.
    Only a đảng bộ cơ sở active today can be authorized; a withdrawn code need not exist any more."""
    settings = load_settings(session)
    snapshot = load_snapshot(session, dt.date.today(), ordered=False)
    problems = []
    for code in add:
        node = snapshot.by_code(nfc(code))
        if node is None or node.kind is not OrgKind.DANG_BO_CO_SO:
            problems.append(("not_a_dang_bo_co_so", f"«{code}» không phải mã một đảng bộ cơ sở đang hoạt động: chỉ "
                                                    "đảng bộ cơ sở được ủy quyền kết nạp đảng viên."))
    if problems:
        raise RequestRefused(problems)
    codes = [c for c in settings.admitting_bodies if c not in {nfc(r) for r in remove}]
    codes += [nfc(c) for c in add if nfc(c) not in codes]
    if add or remove:
        settings = save_settings(session, dataclasses.replace(settings, admitting_bodies=codes))
    return [(code, snapshot.by_code(code).name if snapshot.by_code(code) else code)  # type: ignore[union-attr]
            for code in settings.admitting_bodies]
