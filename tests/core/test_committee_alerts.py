"""committee_alerts on the demo office: the same alerts as a committee view per organization, read in a few
statements (it ran one view per organization: some 8.200 statements)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from khoi_desktop.core.appointments.committees import CommitteeAlert, committee_alerts, committee_view
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.demo import generate_demo
from khoi_desktop.core.tree import load_snapshot

DEMO_DAY = dt.date(2026, 5, 15)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("alerts") / "demo.db", create=True)
    generate_demo(db, scale=1, seed=1, today=DEMO_DAY)
    yield db
    db.close()


def one_view_each(session, as_of: dt.date) -> list[CommitteeAlert]:  # type: ignore[no-untyped-def]
    """The alerts as the committee screen of each organization finds them."""
    snapshot = load_snapshot(session, as_of, include_ended=True)
    alerts = []
    for org_id in snapshot.in_tree_order():
        if not snapshot.nodes[org_id].active:
            continue
        view = committee_view(session, org_id, as_of, snapshot)
        if view.vacancies or view.ends_soon:
            alerts.append(CommitteeAlert(org_id, view.org_code, view.org_name, view.term.label if view.term else None,
                                         view.term.ends_on if view.term else None, view.ends_soon, view.vacancies))
    return alerts


@pytest.mark.parametrize("as_of", [DEMO_DAY, dt.date(2022, 3, 1), dt.date(2029, 12, 1)])
def test_alerts_are_those_of_the_views_in_a_few_statements(demo_db: Database, as_of: dt.date) -> None:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    with demo_db.reading() as session:
        expected = one_view_each(session, as_of)
        event.listen(demo_db.engine, "before_cursor_execute", count)
        try:
            alerts = committee_alerts(session, as_of)
        finally:
            event.remove(demo_db.engine, "before_cursor_execute", count)
    assert alerts == expected
    assert len(alerts) > 10 and any(a.ends_soon for a in alerts) or as_of != dt.date(2029, 12, 1)
    assert len(statements) <= 12, statements


def test_a_holder_who_moved_away_is_named_as_in_the_view(db: Database) -> None:  # type: ignore[no-untyped-def]
    from factories import add_members, add_org, add_seat, move_member
    from khoi_desktop.core.settings import OfficeSettings, save_settings

    day = dt.date(2026, 3, 2)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        dang_bo = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        first = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=dang_bo)
        people = add_members(s, first, 12)
        other = add_org(s, "CS002", "Chi bộ Hội Nông dân tỉnh", "chi_bo_co_so")
        add_members(s, other, 5)
        for person in people[:3]:
            add_seat(s, dang_bo, person, "cap_uy_vien", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        add_seat(s, dang_bo, people[0], "bi_thu", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        add_seat(s, first, people[1], "bi_thu", term="2025-2027", valid_from=dt.date(2025, 6, 1))
        move_member(s, people[0], other, dt.date(2026, 1, 5))  # still on the Đảng ủy's list
    with db.reading() as s:
        alerts = committee_alerts(s, day)
        assert alerts == one_view_each(s, day)
    lines = {a.org_code: a.vacancies for a in alerts}
    assert lines["CS001"][0].startswith(f"Đồng chí {people[0].full_name} không còn sinh hoạt trong Đảng bộ Sở Y tế")
