"""The tree snapshot read through a bare sqlite3 connection (stats, orgs, the window's first overview) is the
one read through a session, and counts do not depend on the order of the children."""

from __future__ import annotations

import dataclasses
import datetime as dt

from factories import add_member, add_members, add_org, end_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.stats import counts_from
from khoi_desktop.core.tree import load_snapshot

DAY = dt.date(2025, 6, 1)


def test_plain_connection_reads_the_same_tree(db: Database) -> None:
    with db.writing() as s:
        root = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        for code, name in (("CB02", "Chi bộ Kế toán"), ("CB01", "Chi bộ Văn phòng"), ("CB03", "Chi bộ Ánh")):
            add_members(s, add_org(s, code, name, OrgKind.CHI_BO_TRUC_THUOC, parent=root), 3, probationary=1)
        ended = add_org(s, "CS09", "Chi bộ Cũ", OrgKind.CHI_BO_CO_SO)
        add_member(s, "Lê Văn Cũ", ended)
        end_org(s, ended, dt.date(2025, 1, 1))
    for include_ended in (False, True):
        with db.reading() as session:
            through_session = load_snapshot(session, DAY, include_ended=include_ended)
            settings = load_settings(session)
        with db.plain_reading() as conn:
            plain = load_snapshot(conn, DAY, include_ended=include_ended)
            assert load_settings(conn) == settings
            unordered = load_snapshot(conn, DAY, include_ended=include_ended, ordered=False)
        assert plain.roots == through_session.roots
        assert {i: dataclasses.asdict(n) for i, n in plain.nodes.items()} == \
            {i: dataclasses.asdict(n) for i, n in through_session.nodes.items()}
        assert counts_from(unordered) == counts_from(plain)
    names = [plain.nodes[i].name for i in plain.nodes[plain.by_code("DB01").id].children]  # type: ignore[union-attr]
    assert names == ["Chi bộ Ánh", "Chi bộ Kế toán", "Chi bộ Văn phòng"]
