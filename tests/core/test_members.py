"""Member lists and search, member and organization details, settings, audit trail."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select, text

from factories import add_decision, add_member, add_org, add_seat, move_member, move_org
from khoi_desktop.core import audit
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import NotFoundError
from khoi_desktop.core.members import member_detail, members_of, search_members
from khoi_desktop.core.models import Member, MemberStatus, OrgKind, SeatRole, Setting
from khoi_desktop.core.organizations import org_by_code, org_detail
from khoi_desktop.core.settings import OfficeSettings, Signer, Thresholds, load_settings, save_settings

DAY = dt.date(2024, 6, 1)
MOVE = dt.date(2023, 9, 15)


@pytest.fixture
def office(db: Database) -> Database:
    with db.writing() as s:
        found = add_decision(s, 5, "về việc thành lập Đảng bộ Sở Giáo dục", code="05-QĐ/ĐUK")
        moved = add_decision(s, 41, "về việc điều động đảng viên", action="transfer", issued_on=MOVE,
                             code="41-QĐ/ĐUK")
        appoint = add_decision(s, 42, "về việc chỉ định Bí thư", action="appoint", issued_on=MOVE,
                               code="42-QĐ/ĐUK")
        dbcs = add_org(s, "DB01", "Đảng bộ Sở Giáo dục", OrgKind.DANG_BO_CO_SO, decision=found,
                       agency="Sở Giáo dục và Đào tạo")
        other = add_org(s, "DB02", "Đảng bộ Sở Y tế", OrgKind.DANG_BO_CO_SO)
        cb1 = add_org(s, "CB1", "Chi bộ Văn phòng", OrgKind.CHI_BO_TRUC_THUOC, parent=dbcs)
        cb2 = add_org(s, "CB2", "Chi bộ Phòng Tổ chức", OrgKind.CHI_BO_TRUC_THUOC, parent=dbcs)
        move_org(s, cb2, other, dt.date(2022, 1, 1), decision=moved)
        duc = add_member(s, "Nguyễn Văn Đức", cb1, code="DV-DUC", birth_date=dt.date(1980, 2, 3),
                         hometown="Phú Bình, Thái Nguyên", national_id="019080001234", job_title="Phó Giám đốc")
        add_member(s, "Nguyễn Văn An", cb1, code="DV-AN")
        add_member(s, "Trần Thị Ánh", cb1, code="DV-ANH")
        add_member(s, "Lê Văn Anh", cb1, code="DV-ANH2")
        add_member(s, "Đặng Thị Ân", cb2, code="DV-AN2", sex="nu")
        add_member(s, "Bùi Văn Bình", cb2, code="DV-BINH", admitted_on=dt.date(2024, 1, 10), probationary=True)
        add_member(s, "Hoàng Văn Ba", cb2, code="DV-BA", exempt_since=dt.date(2021, 1, 1))
        move_member(s, duc, cb2, MOVE, decision=moved)
        add_seat(s, cb2, duc, SeatRole.BI_THU, valid_from=MOVE, decision=appoint)
        add_seat(s, cb2, duc, SeatRole.CAP_UY_VIEN, valid_from=MOVE, decision=appoint)
        add_seat(s, cb1, duc, SeatRole.PHO_BI_THU, valid_from=dt.date(2020, 1, 1), valid_to=MOVE)
    return db


def names(rows: list) -> list[str]:
    return [r.full_name for r in rows]


def test_members_of_all_in_vietnamese_order(office: Database) -> None:
    with office.reading() as session:
        rows = members_of(session, None, DAY)
    # Given names: An < Anh < Ánh < Ân < Ba < Bình < Đức.
    assert names(rows) == ["Nguyễn Văn An", "Lê Văn Anh", "Trần Thị Ánh", "Đặng Thị Ân", "Hoàng Văn Ba",
                           "Bùi Văn Bình", "Nguyễn Văn Đức"]


def test_members_of_one_chi_bo_on_a_date(office: Database) -> None:
    with office.reading() as session:
        cb1 = org_by_code(session, "CB1").id
        cb2 = org_by_code(session, "CB2").id
        before = members_of(session, [cb1], MOVE - dt.timedelta(days=1))
        after = members_of(session, [cb1], MOVE)
        cb2_rows = {r.code: r for r in members_of(session, [cb2], DAY)}
    assert "Nguyễn Văn Đức" in names(before)
    assert names(after) == ["Nguyễn Văn An", "Lê Văn Anh", "Trần Thị Ánh"]
    assert {r.org_code for r in after} == {"CB1"}
    assert cb2_rows["DV-DUC"].org_name == "Chi bộ Phòng Tổ chức"
    assert cb2_rows["DV-BINH"].status is MemberStatus.DU_BI
    assert cb2_rows["DV-BA"].status is MemberStatus.MIEN_SINH_HOAT
    assert cb2_rows["DV-DUC"].status is MemberStatus.CHINH_THUC
    assert cb2_rows["DV-DUC"].birth_date == dt.date(1980, 2, 3)


@pytest.mark.parametrize("query", ["nguyen van an", "NGUYỄN VĂN AN", "nguyễn văn ân", " Nguyen  an ",
                                   unicodedata.normalize("NFD", "Nguyễn Văn An")])
def test_search_ignores_accents_and_case(office: Database, query: str) -> None:
    with office.reading() as session:
        found = names(search_members(session, query, DAY))
    assert "Nguyễn Văn An" in found
    assert "Trần Thị Ánh" not in found  # every word must match


def test_search_folds_d_stroke(office: Database) -> None:
    with office.reading() as session:
        assert names(search_members(session, "duc", DAY)) == ["Nguyễn Văn Đức"]
        assert names(search_members(session, "ĐỨC", DAY)) == ["Nguyễn Văn Đức"]
        assert names(search_members(session, "dang", DAY)) == ["Đặng Thị Ân"]


def test_search_results_and_limits(office: Database) -> None:
    with office.reading() as session:
        # Words match inside names too ("anh" in "Ánh"), listed in Vietnamese order.
        assert names(search_members(session, "anh", DAY)) == ["Lê Văn Anh", "Trần Thị Ánh"]
        assert names(search_members(session, "thi", DAY)) == ["Trần Thị Ánh", "Đặng Thị Ân"]
        assert len(search_members(session, "van", DAY, limit=2)) == 2
        assert search_members(session, "   ", DAY) == []
        assert search_members(session, "%", DAY) == []  # LIKE wildcards are literal
        assert search_members(session, "xyz", DAY) == []


def test_search_finds_members_who_left(office: Database) -> None:
    with office.writing() as session:
        member = session.scalars(select(Member).where(Member.code == "DV-AN")).one()
        move_member(session, member, None, dt.date(2024, 1, 1))
    with office.reading() as session:
        # Each word typed starts a word of the name: "an" does not match inside "Văn".
        rows = search_members(session, "nguyen van an", DAY)
        assert [(r.code, r.org_code) for r in rows] == [("DV-AN", None)]
        old = search_members(session, "nguyen van an", dt.date(2023, 12, 31))
        assert [(r.code, r.org_code) for r in old] == [("DV-AN", "CB1")]
        assert {r.code for r in search_members(session, "an", DAY)} == {"DV-AN", "DV-ANH", "DV-ANH2", "DV-AN2"}


def test_member_detail(office: Database) -> None:
    with office.reading() as session:
        detail = member_detail(session, "DV-DUC", DAY)
    assert detail.full_name == "Nguyễn Văn Đức"
    fields = dict(detail.fields)
    assert fields["Ngày sinh"] == "03/02/1980"
    assert fields["Quê quán"] == "Phú Bình, Thái Nguyên"
    assert fields["Số CCCD"] == "019080001234"
    assert fields["Trạng thái"] == "Chính thức"
    assert fields["Ngày vào Đảng"] == "19/05/2010"
    assert fields["Ngày chính thức"] == "19/05/2011"
    assert [(h.org_code, h.valid_from, h.valid_to, h.decision) for h in detail.history] == [
        ("CB1", dt.date(2020, 1, 1), MOVE, None),
        ("CB2", MOVE, None, "41-QĐ/ĐUK"),
    ]
    assert [(s.role_label, s.org_name, s.valid_to, s.decision) for s in detail.seats] == [
        ("Phó Bí thư", "Chi bộ Văn phòng", MOVE, None),
        ("Bí thư", "Chi bộ Phòng Tổ chức", None, "42-QĐ/ĐUK"),
        ("Cấp ủy viên", "Chi bộ Phòng Tổ chức", None, "42-QĐ/ĐUK"),
    ]


def test_member_detail_status_and_unknown_code(office: Database) -> None:
    with office.reading() as session:
        assert dict(member_detail(session, "DV-BINH", DAY).fields)["Trạng thái"] == "Dự bị"
        assert dict(member_detail(session, "DV-BA", DAY).fields)["Trạng thái"] == "Miễn sinh hoạt"
        assert dict(member_detail(session, "DV-AN2", DAY).fields)["Giới tính"] == "Nữ"
        with pytest.raises(NotFoundError, match="Không có đảng viên mã KHONG"):
            member_detail(session, "KHONG", DAY)


def test_org_detail(office: Database) -> None:
    with office.reading() as session:
        cb2 = org_detail(session, org_by_code(session, "CB2").id, DAY, "Đảng ủy Khối")
        db01 = org_detail(session, org_by_code(session, "DB01").id, DAY, "Đảng ủy Khối")
        cb1_then = org_detail(session, org_by_code(session, "CB1").id, dt.date(2021, 1, 1), "Đảng ủy Khối")
    assert [(p.parent_name, p.valid_from, p.valid_to, p.decision) for p in cb2.placements] == [
        ("Đảng bộ Sở Giáo dục", dt.date(2020, 1, 1), dt.date(2022, 1, 1), None),
        ("Đảng bộ Sở Y tế", dt.date(2022, 1, 1), None, "41-QĐ/ĐUK"),
    ]
    # Bí thư first, then cấp ủy viên.
    assert [(s.role_label, s.member_name) for s in cb2.committee] == [
        ("Bí thư", "Nguyễn Văn Đức"), ("Cấp ủy viên", "Nguyễn Văn Đức")]
    assert cb2.past_seats == []
    fields = dict(db01.fields)
    assert fields["Loại"] == "Đảng bộ cơ sở"
    assert fields["Quyết định thành lập"] == "05-QĐ/ĐUK"
    assert fields["Ngày thành lập"] == "01/01/2020"
    assert fields["Cơ quan, đơn vị"] == "Sở Giáo dục và Đào tạo"
    assert [p.parent_name for p in db01.placements] == ["Trực thuộc Đảng ủy Khối"]
    assert [s.role_label for s in cb1_then.committee] == ["Phó Bí thư"]
    with office.reading() as session, pytest.raises(NotFoundError):
        org_by_code(session, "KHONG")


# --- settings ----------------------------------------------------------------------------------

def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def test_settings_default_when_nothing_saved(db: Database) -> None:
    with db.reading() as session:
        settings = load_settings(session)
    assert settings == OfficeSettings()
    assert settings.thresholds.chi_bo_max_members == 30


def test_settings_round_trip_normalizes_to_nfc(db: Database) -> None:
    typed = OfficeSettings(
        superior_body=nfd("ĐẢNG BỘ TỈNH THÁI NGUYÊN"),
        issuing_body=nfd(" ĐẢNG ỦY KHỐI CÁC CƠ QUAN \n\n TỈNH THÁI NGUYÊN "),
        place_name=nfd("  Thái Nguyên "),
        signers=[Signer(nfd("Nguyễn Thị Hường"), nfd("PHÓ BÍ THƯ"))],
        can_cu=[nfd("Căn cứ Điều lệ Đảng;"), "   ", nfd("Căn cứ Quy chế làm việc;")],
        thresholds=Thresholds(chi_bo_max_members=25, probation_months=12),
        configured=True,
    )
    with db.writing() as session:
        saved = save_settings(session, typed)
    with db.reading() as session:
        loaded = load_settings(session)
    assert loaded == saved
    assert loaded.superior_body == "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    assert loaded.issuing_body == "ĐẢNG ỦY KHỐI CÁC CƠ QUAN\nTỈNH THÁI NGUYÊN"  # line break kept, blanks gone
    assert loaded.place_name == "Thái Nguyên"
    assert loaded.signers == [Signer("Nguyễn Thị Hường", "PHÓ BÍ THƯ")]
    assert loaded.can_cu == ["Căn cứ Điều lệ Đảng;", "Căn cứ Quy chế làm việc;"]
    assert loaded.thresholds == Thresholds(chi_bo_max_members=25)
    assert loaded.configured is True
    for value in (loaded.superior_body, loaded.issuing_body, loaded.signers[0].name, *loaded.can_cu):
        assert unicodedata.is_normalized("NFC", value)


def test_settings_save_twice_updates_one_row(db: Database) -> None:
    with db.writing() as session:
        save_settings(session, OfficeSettings(place_name="Bắc Kạn"))
    with db.writing() as session:
        save_settings(session, OfficeSettings(place_name="Thái Nguyên"))
    with db.reading() as session:
        assert load_settings(session).place_name == "Thái Nguyên"
        assert session.query(Setting).filter(Setting.key == "office").count() == 1


def test_settings_tolerate_old_and_unknown_keys(db: Database) -> None:
    """A file written by an older or newer app: missing keys take defaults, unknown thresholds are ignored."""
    with db.writing() as session:
        session.add(Setting(key="office", value='{"place_name": "Huế", '
                            '"thresholds": {"chi_bo_max_members": 35, "future_rule": 1}}'))
    with db.reading() as session:
        loaded = load_settings(session)
    assert loaded.place_name == "Huế"
    assert loaded.thresholds == Thresholds(chi_bo_max_members=35)
    assert loaded.issuer_code == "ĐUK"


# --- audit -------------------------------------------------------------------------------------

@pytest.mark.sqlite_only  # on a server the app's role cannot edit the trail: tests/core/test_server.py
def test_audit_chain_intact_then_broken_by_raw_edit(db: Database) -> None:
    with db.writing() as session:
        first = audit.record(session, actor="vanthu", action="settings.save", after={"place_name": "Huế"})
        second = audit.record(session, actor="vanthu", action="member.edit", target="DV1",
                              before={"job_title": "Chuyên viên"}, after={"job_title": "Trưởng phòng"})
        third = audit.record(session, actor="admin", action="decision.issue", target="12-QĐ/ĐUK")
        ids = (first.id, second.id, third.id)
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    with db.reading() as session:
        assert audit.first_broken_entry(session) is None

    with db.writing() as session:
        session.execute(text("UPDATE audit_entries SET after = :v WHERE id = :id"),
                        {"v": '{"job_title": "Giám đốc"}', "id": ids[1]})
    with db.reading() as session:
        assert audit.first_broken_entry(session) == ids[1]


@pytest.mark.sqlite_only  # on a server the app's role cannot edit the trail: tests/core/test_server.py
def test_audit_detects_deleted_entry(db: Database) -> None:
    with db.writing() as session:
        entries = [audit.record(session, actor="vanthu", action=f"a{i}") for i in range(3)]
        ids = [e.id for e in entries]
    with db.writing() as session:
        session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": ids[1]})
    with db.reading() as session:
        assert audit.first_broken_entry(session) == ids[2]


def test_audit_empty_trail_is_intact(db: Database) -> None:
    with db.reading() as session:
        assert audit.first_broken_entry(session) is None
