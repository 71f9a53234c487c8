"""A request reads the tree one tổ chức cơ sở đảng at a time (OrgFamilies): every organization it asks for is
the one of the whole-office snapshot, with the same parent, children in the same order and the same counts,
on any date, including organizations moved between đảng bộ, grouped later under a bộ phận, or ended."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from factories import add_members, add_org, end_org, move_org
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.demo import generate_demo
from khoi_desktop.core.models import Organization, OrgKind
from khoi_desktop.core.tree import OrgFamilies, load_snapshot

DEMO_DAY = dt.date(2026, 5, 15)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("families") / "demo.db", create=True)
    generate_demo(db, scale=1, seed=1, today=DEMO_DAY)
    yield db
    db.close()


def _same_as_whole_snapshot(db: Database, day: dt.date) -> int:
    with db.reading() as session:
        whole = load_snapshot(session, day)
        every_id = list(session.scalars(select(Organization.id)))
        codes = dict(session.execute(select(Organization.id, Organization.code)).tuples().all())
        families = OrgFamilies(session, day)
        for org_id in every_id:  # asked in id order: each family is read by whichever member comes first
            if org_id in whole.nodes:
                assert dataclasses.asdict(families.nodes[org_id]) == dataclasses.asdict(whole.nodes[org_id])
                assert families.subtree_ids(org_id) == whole.subtree_ids(org_id)
                assert families.root_of(org_id).id == whole.root_of(org_id).id
                assert families.by_code(codes[org_id]) is families.nodes[org_id]
            else:
                assert org_id not in families.nodes and families.nodes.get(org_id) is None
                assert families.by_code(codes[org_id]) is None
        assert sorted(families.roots) == sorted(whole.roots)
        # Asked the other way round (a chi bộ first, then its đảng bộ), the same nodes again.
        backwards = OrgFamilies(session, day)
        for org_id in reversed(every_id):
            if org_id in whole.nodes:
                assert dataclasses.asdict(backwards.nodes[org_id]) == dataclasses.asdict(whole.nodes[org_id])
        return len(whole.nodes)


@pytest.mark.parametrize("day", [DEMO_DAY, dt.date(2021, 6, 30), dt.date(2012, 1, 1)])
def test_every_demo_organization_as_in_the_whole_snapshot(demo_db: Database, day: dt.date) -> None:
    assert _same_as_whole_snapshot(demo_db, day) > 60


def test_moved_grouped_and_ended_organizations(db: Database) -> None:
    with db.writing() as s:
        first = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO, founded_on=dt.date(2010, 1, 1))
        second = add_org(s, "DB02", "Đảng bộ Sở Y tế", OrgKind.DANG_BO_CO_SO, founded_on=dt.date(2010, 1, 1))
        bo_phan = add_org(s, "BP01", "Đảng bộ bộ phận Khối Nội", OrgKind.DANG_BO_BO_PHAN, parent=second,
                          founded_on=dt.date(2015, 1, 1))
        moving = add_org(s, "CB01", "Chi bộ Kế toán", OrgKind.CHI_BO_TRUC_THUOC, parent=first,
                         founded_on=dt.date(2010, 2, 1))
        add_members(s, moving, 5, probationary=2)
        for code, name in (("CB02", "Chi bộ Văn phòng"), ("CB03", "Chi bộ Ánh")):
            add_members(s, add_org(s, code, name, OrgKind.CHI_BO_TRUC_THUOC, parent=first,
                                   founded_on=dt.date(2010, 2, 1)), 4, probationary=1)
        add_members(s, add_org(s, "CB04", "Chi bộ Nội khoa", OrgKind.CHI_BO_TRUC_THUOC, parent=bo_phan,
                               founded_on=dt.date(2015, 2, 1)), 6)
        move_org(s, moving, bo_phan, dt.date(2020, 1, 1))  # from one đảng bộ into another's bộ phận
        ended = add_org(s, "CS09", "Chi bộ Cũ", OrgKind.CHI_BO_CO_SO, founded_on=dt.date(2010, 1, 1))
        add_members(s, ended, 3)
        end_org(s, ended, dt.date(2022, 1, 1))
        end_org(s, bo_phan, dt.date(2024, 1, 1))  # its chi bộ left without a parent: tops of their own
    for day in (dt.date(2012, 1, 1), dt.date(2016, 1, 1), dt.date(2021, 1, 1), dt.date(2023, 1, 1),
                dt.date(2025, 1, 1)):
        assert _same_as_whole_snapshot(db, day) >= 3


def test_a_split_at_scale_reads_one_family_and_still_refuses_what_it_refused(demo_db: Database) -> None:
    from khoi_desktop.core.apply import prepare
    from khoi_desktop.core.errors import RequestRefused
    from khoi_desktop.core.members import members_of
    from khoi_desktop.core.models import MemberStatus
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.core.workflows.office import Office

    with demo_db.reading() as session:
        whole = load_snapshot(session, DEMO_DAY)
        chi_bo = next(n for n in sorted(whole.active_nodes(), key=lambda n: n.code)
                      if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_members > 30)
        dang_bo = whole.root_of(chi_bo.id)
        office = Office(session, DEMO_DAY)
        assert office.org(chi_bo.code) is office.snapshot.nodes[chi_bo.id]
        assert set(office.snapshot.nodes) == set(whole.subtree_ids(dang_bo.id)), "its đảng bộ, nothing else"
        people = members_of(session, [chi_bo.id], DEMO_DAY)
        full = [p.code for p in people if p.status is MemberStatus.CHINH_THUC]
        others = [p.code for p in people if p.status is not MemberStatus.CHINH_THUC]

        def split(first: list[str], second: list[str]) -> object:
            return prepare(session, parse_request({
                "action": "split", "org": chi_bo.code, "effective": DEMO_DAY.isoformat(), "issuer": dang_bo.code,
                "recorded": {"number": "9-QĐ/ĐU", "signed_on": DEMO_DAY.isoformat(), "signer": "Lê Văn Bình"},
                "into": [{"name": "Chi bộ Thứ nhất", "members": first}, {"name": "Chi bộ Thứ hai", "members": second}],
            }), today=DEMO_DAY)

        with pytest.raises(RequestRefused) as refused:  # two full members only in the second
            split(full[2:] + others, full[:2])
        assert [code for code, _ in refused.value.problems] == ["too_few_full_members"]
        assert "Chi bộ Thứ hai mới có 2 đảng viên chính thức (cần ít nhất 3)" in refused.value.message
        with pytest.raises(RequestRefused) as refused:  # one member left behind in the ended chi bộ
            split(full[::2], full[1::2][1:] + others)
        assert [code for code, _ in refused.value.problems] == ["members_left_behind"]
        halves = [(full + others)[::2], (full + others)[1::2]]
        assert split(*halves).warnings == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("day", [DEMO_DAY, dt.date(2021, 6, 30), dt.date(2012, 1, 1)])
def test_stats_counts_without_the_tree_are_the_trees(demo_db: Database, day: dt.date) -> None:
    from khoi_desktop.core.stats import count_office, counts_from

    with demo_db.plain_reading() as conn:
        assert count_office(conn, day) == counts_from(load_snapshot(conn, day))


def test_stats_counts_of_moved_and_ended_organizations(db: Database) -> None:
    from khoi_desktop.core.stats import count_office, counts_from

    test_moved_grouped_and_ended_organizations(db)
    with db.writing() as s:  # a chi bộ cơ sở placed under a đảng bộ: a chi bộ trực thuộc from then on
        co_so = add_org(s, "CS10", "Chi bộ Báo", OrgKind.CHI_BO_CO_SO, founded_on=dt.date(2010, 1, 1))
        add_members(s, co_so, 4, probationary=1)
        move_org(s, co_so, s.scalars(select(Organization).where(Organization.code == "DB01")).one(),
                 dt.date(2024, 6, 1)).kind = OrgKind.CHI_BO_TRUC_THUOC
    counts = {}
    for day in (dt.date(2016, 1, 1), dt.date(2023, 1, 1), dt.date(2025, 1, 1)):
        with db.plain_reading() as conn:
            counts[day.year] = count_office(conn, day)
            assert counts[day.year] == counts_from(load_snapshot(conn, day))
    assert (counts[2023].chi_bo_co_so, counts[2023].chi_bo_truc_thuoc) == (1, 4)
    assert (counts[2025].chi_bo_co_so, counts[2025].chi_bo_truc_thuoc) == (0, 5), "CS10 under DB01 now"
