"""The tree and its counts as of a date, and the Charter checks over settings-held thresholds."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from factories import add_member, add_members, add_org, end_org, move_member, move_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import Organization, OrgKind
from khoi_desktop.core.rules import Finding, check
from khoi_desktop.core.settings import OfficeSettings, Thresholds, load_settings, save_settings
from khoi_desktop.core.stats import Counts, count_office, counts_on, thousands
from khoi_desktop.core.tree import load_snapshot

CHANGE = dt.date(2024, 3, 1)
BEFORE = CHANGE - dt.timedelta(days=1)


@pytest.fixture
def office(db: Database) -> Database:
    """Two đảng bộ cơ sở and a chi bộ cơ sở; on CHANGE members move, a chi bộ changes parent, one ends.

    Before CHANGE:                        From CHANGE:
      DB01  CB11 (5, one dự bị)             DB01  CB11 (3)
            CB12 (4)                              CB12 (10: + 2 from CB11, + 4 from CS01)
            CB13 (3)                        DB02  CB13 (3, moved under DB02)
      DB02  CB21 (3)                              CB21 (3)
      CS01  (4, one full member on CHANGE)  CS01 ended
    """
    with db.writing() as s:
        db01 = add_org(s, "DB01", "Đảng bộ Sở Tài chính", OrgKind.DANG_BO_CO_SO)
        db02 = add_org(s, "DB02", "Đảng bộ Sở Y tế", OrgKind.DANG_BO_CO_SO)
        cs01 = add_org(s, "CS01", "Chi bộ Ban Dân tộc", OrgKind.CHI_BO_CO_SO)
        cb11 = add_org(s, "CB11", "Chi bộ Văn phòng Sở", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb12 = add_org(s, "CB12", "Chi bộ Phòng Ngân sách", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb13 = add_org(s, "CB13", "Chi bộ Thanh tra Sở", OrgKind.CHI_BO_TRUC_THUOC, parent=db01)
        cb21 = add_org(s, "CB21", "Chi bộ Bệnh viện tỉnh", OrgKind.CHI_BO_TRUC_THUOC, parent=db02)
        movers_11 = add_members(s, cb11, 5, probationary=1)[:2]
        add_members(s, cb12, 4)
        add_members(s, cb13, 3)
        add_members(s, cb21, 3)
        movers_cs = add_members(s, cs01, 3)
        movers_cs.append(add_member(s, "Lò Thị Mai", cs01, code="CS01-004", admitted_on=dt.date(2023, 3, 1),
                                    full_member_on=CHANGE))
        for member in movers_11 + movers_cs:
            move_member(s, member, cb12, CHANGE)
        move_org(s, cb13, db02, CHANGE)
        end_org(s, cs01, CHANGE)
    return db


def counts(db: Database, day: dt.date) -> Counts:
    """The tree's counts; `stats`'s own (count_office, aggregates without the tree) must be the same, on the
    file through its bare driver and on the server through the plain reader."""
    with db.reading() as session:
        counted = counts_on(session, day)
    with db.plain_reading() as source:
        assert count_office(source, day) == counted
    return counted


def test_counts_the_day_before_the_change(office: Database) -> None:
    assert dataclasses.asdict(counts(office, BEFORE)) == {
        "as_of": BEFORE, "tccsd": 3, "dang_bo_co_so": 2, "chi_bo_co_so": 1, "dang_bo_bo_phan": 0,
        "chi_bo_truc_thuoc": 4, "members": 19, "probationary": 2,
    }


def test_counts_on_the_day_of_the_change(office: Database) -> None:
    assert dataclasses.asdict(counts(office, CHANGE)) == {
        "as_of": CHANGE, "tccsd": 2, "dang_bo_co_so": 2, "chi_bo_co_so": 0, "dang_bo_bo_phan": 0,
        "chi_bo_truc_thuoc": 4, "members": 19, "probationary": 1,
    }


def test_counts_before_anything_existed(office: Database) -> None:
    assert dataclasses.asdict(counts(office, dt.date(2019, 12, 31))) == {
        "as_of": dt.date(2019, 12, 31), "tccsd": 0, "dang_bo_co_so": 0, "chi_bo_co_so": 0,
        "dang_bo_bo_phan": 0, "chi_bo_truc_thuoc": 0, "members": 0, "probationary": 0,
    }


def member_counts(db: Database, day: dt.date, *, include_ended: bool = False) -> dict[str, tuple]:
    with db.reading() as session:
        snap = load_snapshot(session, day, include_ended=include_ended)
    return {n.code: (snap.parent_code(n), n.members, n.full_members, n.probationary, n.active)
            for n in snap.nodes.values()}


def test_snapshot_the_day_before(office: Database) -> None:
    assert member_counts(office, BEFORE) == {
        "DB01": (None, 12, 11, 1, True),
        "DB02": (None, 3, 3, 0, True),
        "CS01": (None, 4, 3, 1, True),
        "CB11": ("DB01", 5, 4, 1, True),
        "CB12": ("DB01", 4, 4, 0, True),
        "CB13": ("DB01", 3, 3, 0, True),
        "CB21": ("DB02", 3, 3, 0, True),
    }


def test_snapshot_on_the_day(office: Database) -> None:
    assert member_counts(office, CHANGE) == {
        "DB01": (None, 13, 12, 1, True),
        "DB02": (None, 6, 6, 0, True),
        "CB11": ("DB01", 3, 2, 1, True),
        "CB12": ("DB01", 10, 10, 0, True),
        "CB13": ("DB02", 3, 3, 0, True),
        "CB21": ("DB02", 3, 3, 0, True),
    }
    # Asked for, the ended chi bộ cơ sở shows as ended, empty, under its last parent.
    assert member_counts(office, CHANGE, include_ended=True)["CS01"] == (None, 0, 0, 0, False)


def test_snapshot_tree_shape_and_order(office: Database) -> None:
    with office.reading() as session:
        snap = load_snapshot(session, CHANGE)
    codes = lambda ids: [snap.nodes[i].code for i in ids]  # noqa: E731
    # Đảng bộ before chi bộ, then Vietnamese name order ("Sở Tài chính" < "Sở Y tế").
    assert codes(snap.roots) == ["DB01", "DB02"]
    db01 = snap.by_code("DB01")
    assert db01 is not None
    # Ngân sách < Văn phòng
    assert codes(db01.children) == ["CB12", "CB11"]
    assert sorted(codes(snap.subtree_ids(snap.by_code("DB02").id))) == ["CB13", "CB21", "DB02"]
    assert snap.by_code("CS01") is None


def test_probationary_follows_full_member_date(db: Database) -> None:
    with db.writing() as s:
        cs = add_org(s, "CS", "Chi bộ Sở Xây dựng", OrgKind.CHI_BO_CO_SO)
        add_members(s, cs, 3)
        add_member(s, "Hà Thị Nga", cs, admitted_on=dt.date(2023, 6, 10), full_member_on=dt.date(2024, 6, 10))
        add_member(s, "Vi Văn Tú", cs, admitted_on=dt.date(2024, 1, 5), probationary=True)
    assert counts(db, dt.date(2024, 6, 9)).probationary == 2
    assert counts(db, dt.date(2024, 6, 10)).probationary == 1
    assert counts(db, dt.date(2024, 6, 10)).members == 5


def test_member_who_left_is_not_counted(db: Database) -> None:
    with db.writing() as s:
        cs = add_org(s, "CS", "Chi bộ Sở Xây dựng", OrgKind.CHI_BO_CO_SO)
        leaving = add_members(s, cs, 4)[0]
        move_member(s, leaving, None, dt.date(2022, 7, 1))
    assert counts(db, dt.date(2022, 6, 30)).members == 4
    assert counts(db, dt.date(2022, 7, 1)).members == 3


def test_summary_text_uses_vietnamese_grouping() -> None:
    summary = Counts(dt.date(2024, 1, 1), 73, 42, 31, 0, 350, 5356, 120).summary()
    assert summary == ("73 TCCSĐ (42 đảng bộ cơ sở, 31 chi bộ cơ sở), 0 đảng bộ bộ phận, 350 chi bộ trực thuộc, "
                       "5.356 đảng viên (120 dự bị)")
    assert thousands(1234567) == "1.234.567"
    assert thousands(30) == "30"


# --- rules -------------------------------------------------------------------------------------

TODAY = dt.date(2024, 1, 1)


@pytest.fixture
def rules_office(db: Database) -> Database:
    with db.writing() as s:
        # A đảng bộ with 31 + 3 members: its big chi bộ is over 30.
        big = add_org(s, "DBL", "Đảng bộ Công an tỉnh", OrgKind.DANG_BO_CO_SO)
        add_members(s, add_org(s, "CBL1", "Chi bộ Phòng Cảnh sát", OrgKind.CHI_BO_TRUC_THUOC, parent=big), 31)
        add_members(s, add_org(s, "CBL2", "Chi bộ Phòng Hậu cần", OrgKind.CHI_BO_TRUC_THUOC, parent=big), 3)
        # A chi bộ cơ sở of exactly 30: should become a đảng bộ, but is not "over 30".
        add_members(s, add_org(s, "CS30", "Chi bộ Sở Nội vụ", OrgKind.CHI_BO_CO_SO), 30)
        # A small đảng bộ: 10 + 11 members, one chi bộ with only 2 full members among 4.
        small = add_org(s, "DBN", "Đảng bộ Sở Tư pháp", OrgKind.DANG_BO_CO_SO)
        add_members(s, add_org(s, "CBN1", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=small), 10)
        add_members(s, add_org(s, "CBN2", "Chi bộ Phòng Công chứng", OrgKind.CHI_BO_TRUC_THUOC, parent=small),
                    4, probationary=2)
        add_members(s, add_org(s, "CBN3", "Chi bộ Trung tâm Trợ giúp", OrgKind.CHI_BO_TRUC_THUOC, parent=small),
                    7)
        # 21 members: fine with the Charter's 30, over a stricter 20.
        add_members(s, add_org(s, "CS21", "Chi bộ Sở Ngoại vụ", OrgKind.CHI_BO_CO_SO), 21)
    return db


def findings(db: Database, limits: Thresholds | None = None, day: dt.date = TODAY) -> list[Finding]:
    with db.reading() as session:
        return check(load_snapshot(session, day), limits or load_settings(session).thresholds)


def by_rule(found: list[Finding]) -> dict[str, list[tuple[str, str, int]]]:
    result: dict[str, list[tuple[str, str, int]]] = {}
    for f in found:
        result.setdefault(f.rule, []).append((f.org, f.severity, f.members))
    return result


def test_rules_with_default_thresholds(rules_office: Database) -> None:
    assert by_rule(findings(rules_office)) == {
        "too_few_full_members": [("CBN2", "error", 4)],
        "chi_bo_over_30": [("CBL1", "warning", 31)],
        "dang_bo_under_30": [("DBN", "warning", 21)],
        "tccsd_should_be_dang_bo": [("CS30", "warning", 30)],
    }


def test_rule_messages_name_the_numbers(rules_office: Database) -> None:
    messages = {f.rule: f.message for f in findings(rules_office)}
    assert messages["chi_bo_over_30"].startswith("Chi bộ Phòng Cảnh sát có 31 đảng viên, quá 30: cần tách chi bộ")
    assert messages["tccsd_should_be_dang_bo"].startswith(
        "Chi bộ Sở Nội vụ là chi bộ cơ sở có 30 đảng viên (từ 30 trở lên): nên thành lập đảng bộ cơ sở")
    assert messages["dang_bo_under_30"].startswith(
        "Đảng bộ Sở Tư pháp là đảng bộ cơ sở chỉ có 21 đảng viên (dưới 30): cần ý kiến đồng ý")
    assert messages["too_few_full_members"].startswith(
        "Chi bộ Phòng Công chứng chỉ có 2 đảng viên chính thức (cần ít nhất 3)")


def test_findings_are_worst_first(rules_office: Database) -> None:
    severities = [f.severity for f in findings(rules_office)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert severities[0] == "error"


def test_thresholds_are_data(rules_office: Database) -> None:
    strict = Thresholds(chi_bo_max_members=20, min_full_members=2, tccsd_dang_bo_min_members=31)
    found = findings(rules_office, strict)
    over = {f.org: f.members for f in found if f.rule == "chi_bo_over_30"}
    assert over == {"CBL1": 31, "CS21": 21, "CS30": 30}
    message = next(f.message for f in found if f.org == "CS21" and f.rule == "chi_bo_over_30")
    assert "có 21 đảng viên, quá 20:" in message
    assert not [f for f in found if f.rule == "too_few_full_members"]  # 2 full members now suffice
    assert not [f for f in found if f.rule == "tccsd_should_be_dang_bo"]  # 30 < 31
    assert {f.org for f in found if f.rule == "dang_bo_under_30"} == {"DBN"}
    under = next(f.message for f in found if f.rule == "dang_bo_under_30")
    assert "(dưới 31)" in under


def test_thresholds_saved_in_settings_drive_the_check(rules_office: Database) -> None:
    with rules_office.writing() as session:
        save_settings(session, OfficeSettings(thresholds=Thresholds(chi_bo_max_members=20)))
    over = {f.org for f in findings(rules_office) if f.rule == "chi_bo_over_30"}
    assert over == {"CBL1", "CS21", "CS30"}


def test_consent_turns_warning_into_info(rules_office: Database) -> None:
    with rules_office.writing() as session:
        for org in session.scalars(select(Organization).where(Organization.code.in_(["DBN", "CBL1", "CBN2"]))):
            org.consent_note = "Công văn số 15-CV/ĐUK đồng ý duy trì"
    found = {(f.org, f.rule): f for f in findings(rules_office)}
    for key in (("DBN", "dang_bo_under_30"), ("CBL1", "chi_bo_over_30")):
        assert found[key].severity == "info"
        assert found[key].message.endswith("Đã có ý kiến đồng ý của cấp ủy cấp trên.")
    # Consent never excuses too few full members.
    assert found[("CBN2", "too_few_full_members")].severity == "error"
    assert found[("CS30", "tccsd_should_be_dang_bo")].severity == "warning"


def test_dang_bo_without_chi_bo_and_dang_bo_bo_phan(db: Database) -> None:
    with db.writing() as s:
        empty = add_org(s, "DBE", "Đảng bộ Sở Công Thương", OrgKind.DANG_BO_CO_SO)
        parent = add_org(s, "DBP", "Đảng bộ Bộ Chỉ huy Quân sự", OrgKind.DANG_BO_CO_SO)
        part = add_org(s, "BP1", "Đảng bộ bộ phận Cơ quan", OrgKind.DANG_BO_BO_PHAN, parent=parent)
        add_members(s, add_org(s, "BP1C", "Chi bộ Tham mưu", OrgKind.CHI_BO_TRUC_THUOC, parent=part), 20)
        add_members(s, add_org(s, "DBPC", "Chi bộ Chính trị", OrgKind.CHI_BO_TRUC_THUOC, parent=parent), 12)
        del empty
    rules = by_rule(findings(db))
    assert rules["dang_bo_without_chi_bo"] == [("DBE", "error", 0)]
    assert rules["dang_bo_bo_phan_consent"] == [("BP1", "info", 20)]
    assert rules["dang_bo_under_30"] == [("DBE", "warning", 0)]  # DBP has 32 through its đảng bộ bộ phận
    with db.reading() as session:
        snap = load_snapshot(session, TODAY)
    assert snap.by_code("DBP").members == 32
    assert counts(db, TODAY).dang_bo_bo_phan == 1
    assert counts(db, TODAY).chi_bo_truc_thuoc == 2


def test_ended_organizations_are_not_checked(db: Database) -> None:
    with db.writing() as s:
        small = add_org(s, "CSX", "Chi bộ Sở cũ", OrgKind.CHI_BO_CO_SO)
        for member in add_members(s, small, 2):
            move_member(s, member, None, dt.date(2023, 1, 1))
        end_org(s, small, dt.date(2023, 1, 1))
    assert [f.rule for f in findings(db, day=dt.date(2022, 12, 31))] == ["too_few_full_members"]
    assert findings(db, day=dt.date(2023, 1, 1)) == []
