"""A small office for the meeting tests: who belonged where, and when, is known to the day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from factories import add_member, add_org, end_org, move_member
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.models import OrgKind

TODAY = dt.date(2024, 12, 20)
MOVED_ON = dt.date(2024, 3, 15)  # DV-MOVER leaves CB01 for CB02
CB03_ENDED = dt.date(2024, 2, 1)


def build(path: Path) -> Database:
    """DB01 (CB01: An, Bình, Chi, exempt Dũng, and the mover until 15/03/2024; CB02: three members, then the
    mover; CB03 ended 01/02/2024) and the chi bộ cơ sở CS02 with four members."""
    db = open_database(path, create=True)
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        cb01 = add_org(s, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb02 = add_org(s, "CB02", "Chi bộ Kế toán", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb03 = add_org(s, "CB03", "Chi bộ Thanh tra", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cs02 = add_org(s, "CS02", "Chi bộ Sở Tư pháp", OrgKind.CHI_BO_CO_SO)
        for code, name in (("DV-AN", "Nguyễn Văn An"), ("DV-BINH", "Trần Thị Bình"), ("DV-CHI", "Lê Thị Chi")):
            add_member(s, name, cb01, code=code)
        add_member(s, "Phạm Văn Dũng", cb01, code="DV-DUNG", exempt_since=dt.date(2023, 1, 1))
        mover = add_member(s, "Hoàng Văn Mạnh", cb01, code="DV-MOVER")
        for n, name in enumerate(("Đỗ Văn Giang", "Vũ Thị Hà", "Bùi Văn Khánh"), start=1):
            add_member(s, name, cb02, code=f"DV-K{n}")
        for n, name in enumerate(("Ngô Văn Lâm", "Đặng Thị Mai", "Lý Văn Nam", "Trịnh Thị Oanh"), start=1):
            add_member(s, name, cs02, code=f"DV-T{n}")
        for n, name in enumerate(("Mai Văn Phú", "Tạ Thị Quế", "Hà Văn Sơn"), start=1):
            add_member(s, name, cb03, code=f"DV-TT{n}")
        move_member(s, mover, cb02, MOVED_ON)
        end_org(s, cb03, CB03_ENDED)
    return db
