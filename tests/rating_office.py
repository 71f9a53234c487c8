"""A small office for the rating tests: DB01 (CB01 with 13 members, CB02 with 3, and the mover), CS02 (4
members, one newly admitted, one exempt) and CS03 (3 members); a member who left the Party in June."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from factories import add_member, add_members, add_org, move_member
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.models import OrgKind

YEAR = 2024
MOVED_ON = dt.date(2024, 6, 1)  # DV-MOVER leaves CB01 (DB01) for CS02


def build(path: Path) -> Database:
    db = open_database(path, create=True)
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Y tế", OrgKind.DANG_BO_CO_SO)
        cb01 = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb02 = add_org(s, "CB02", "Chi bộ Kế hoạch", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cs02 = add_org(s, "CS02", "Chi bộ Sở Tư pháp", OrgKind.CHI_BO_CO_SO)
        cs03 = add_org(s, "CS03", "Chi bộ Sở Xây dựng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cb01, 13, prefix="A")
        add_members(s, cb02, 3, prefix="B")
        add_members(s, cs02, 2, prefix="T")
        add_member(s, "Lê Văn Mới", cs02, code="DV-NEW", admitted_on=dt.date(2024, 10, 1),
                   joined_on=dt.date(2024, 10, 1))
        add_member(s, "Phạm Văn Miễn", cs02, code="DV-EXEMPT", exempt_since=dt.date(2023, 1, 1))
        add_members(s, cs03, 3, prefix="X")
        mover = add_member(s, "Hoàng Văn Mạnh", cb01, code="DV-MOVER")
        leaver = add_member(s, "Đinh Văn Rời", cb02, code="DV-LEFT")
        move_member(s, mover, cs02, MOVED_ON)
        move_member(s, leaver, None, dt.date(2024, 6, 30))
    return db
