"""The exchange between two databases: the office enrols Đảng bộ Sở Y tế; its Đảng ủy splits a chi bộ and
reports a month's meetings in grassroots mode; the office reviews the package and accepts it; both agree."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factories import add_members, add_org, add_seat
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.errors import KhoiError, RequestRefused
from khoi_desktop.core.exchange.container import PackageRefused
from khoi_desktop.core.exchange.enroll import enroll
from khoi_desktop.core.exchange.receive import import_package
from khoi_desktop.core.exchange.review import pending_items, review
from khoi_desktop.core.exchange.starter import init_grassroots
from khoi_desktop.core.exchange.upward import export_up
from khoi_desktop.core.meetings.models import AttendanceStatus, MeetingKind
from khoi_desktop.core.meetings.recording import AttendanceInput, MeetingInput, record_meeting
from khoi_desktop.core.meetings.status import month_status
from khoi_desktop.core.members import members_of
from khoi_desktop.core.models import AuditEntry, Decision, Member, Organization, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.documents.pdf import render_pdf

ENROLLED = dt.date(2026, 3, 1)
SPLIT_ON = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 3, 20)
MARCH = dt.date(2026, 3, 1)
PASS = "mật khẩu gói khởi tạo"
KEY = "mật khẩu khóa của cơ sở"  # wraps the body's private keys at the grassroots


def codes(prefix: str, numbers: range) -> list[str]:
    return [f"{prefix}-{i:03d}" for i in numbers]


@pytest.fixture
def office(db: Database) -> Database:
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        health = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so", agency="Sở Y tế")
        first = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=health)
        second = add_org(s, "CB0002", "Chi bộ Thanh tra Sở", "chi_bo_truc_thuoc", parent=health)
        a = add_members(s, first, 20)
        add_members(s, second, 11)
        add_seat(s, health, a[0], "cap_uy_vien", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        add_seat(s, health, a[0], "bi_thu", term="2025-2030", valid_from=dt.date(2025, 6, 1))
        finance = add_org(s, "CS003", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0003", "Chi bộ Phòng Ngân sách", "chi_bo_truc_thuoc", parent=finance), 12)
    return db


def _enroll(office: Database) -> bytes:
    with office.writing() as s:
        data, _ = enroll(s, "CS001", passphrase=PASS, actor="vanphong", today=ENROLLED)
    return data


@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """The exchange's passphrase costs lowered for the test (they travel in the package and the sealed keys, so
    every reader runs the same code at the cost written): scrypt n=2**10, Argon2id t=1, m=8 MiB. The strong
    defaults are checked by test_the_exchange_seals_with_the_strong_costs_by_default."""
    from khoi_desktop.core.exchange import container, key_lock
    from khoi_desktop.core.keyslots.crypto import Argon2Cost

    monkeypatch.setattr(container, "PASSPHRASE_KDF_N", 2**10)
    monkeypatch.setattr(key_lock, "KEY_COST", Argon2Cost(time_cost=1, memory_cost=8 * 1024, parallelism=1))


@pytest.fixture(scope="session")
def empty_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new SQLite database at the schema head, made once: each grassroots database starts as its copy (what
    open_database(create=True) makes, without running the migrations again for every test)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_database(path, create=True).close()
    return path


@pytest.fixture
def grassroots(office: Database, tmp_path, cheap_kdf: None, empty_database_file: Path) -> Database:  # type: ignore[no-untyped-def]
    shutil.copyfile(empty_database_file, tmp_path / "co-so.db")
    base = open_database(tmp_path / "co-so.db")
    with base.writing() as s:
        init_grassroots(s, _enroll(office), passphrase=PASS, key_passphrase=KEY, actor="coso",
                        file_name="khoi-tao.khoipkg")
    yield base
    base.close()


@pytest.mark.sqlite_only  # the costs do not depend on the office's engine: one run is enough for CI
def test_the_exchange_seals_with_the_strong_costs_by_default(office: Database, tmp_path: Path) -> None:
    """Without the tests' cheap_kdf: the starter package's passphrase and the body's private keys are sealed at
    the default costs (scrypt SCRYPT_N, Argon2id RFC 9106 low-memory), and open with them."""
    from khoi_desktop.core.backup.crypto import SCRYPT_N
    from khoi_desktop.core.exchange.container import open_package
    from khoi_desktop.core.exchange.identity import self_peer
    from khoi_desktop.core.keyslots.crypto import Argon2Cost

    data = _enroll(office)
    assert open_package(data).manifest["encryption"]["kdf"]["n"] == SCRYPT_N
    base = open_database(tmp_path / "co-so.db", create=True)
    with base.writing() as s:
        init_grassroots(s, data, passphrase=PASS, key_passphrase=KEY, actor="coso", file_name="khoi-tao.khoipkg")
    with base.reading() as s:
        sealed = json.loads(self_peer(s).sealed_keys)  # type: ignore[union-attr]
    base.close()
    default = Argon2Cost()
    assert (sealed["t"], sealed["m"], sealed["p"]) == (default.time_cost, default.memory_cost, default.parallelism)


SPLIT = {"action": "split", "org": "CB0001", "effective": SPLIT_ON.isoformat(),
         "into": [{"name": "Chi bộ Phòng Dược", "members": codes("CB0001", range(1, 11))},
                  {"name": "Chi bộ Phòng Nghiệp vụ", "members": codes("CB0001", range(11, 21))}]}


def _meeting(org: str, members: list[str], held: dt.date, absent: str | None = None) -> MeetingInput:
    return MeetingInput(org=org, kind=MeetingKind.THUONG_KY, held_on=held, topic="Sinh hoạt thường kỳ",
                        attendance=tuple(AttendanceInput(m, AttendanceStatus.ABSENT if m == absent
                                                         else AttendanceStatus.PRESENT, "ốm" if m == absent else None)
                                         for m in members))


def _grassroots_month(base: Database) -> None:
    """The đảng ủy splits CB0001 (its own decision, its own number) and reports March's meetings."""
    with base.writing() as s:
        decision, _ = apply_request(s, parse_request(SPLIT), actor="coso", issue=True, today=SPLIT_ON,
                                    render=render_pdf)
        assert (decision.code, decision.recorded, decision.issuer.code) == ("01-QĐ/ĐU", False, "CS001")
    with base.writing() as s:
        new = {o.name: o.code for o in s.scalars(select(Organization).where(Organization.founded_on == SPLIT_ON))}
        record_meeting(s, _meeting(new["Chi bộ Phòng Dược"], codes("CB0001", range(1, 11)), dt.date(2026, 3, 12),
                                   absent="CB0001-004"), actor="coso", today=TODAY)
        record_meeting(s, _meeting("CB0002", codes("CB0002", range(1, 12)), dt.date(2026, 3, 10)), actor="coso",
                       today=TODAY)


def _export(base: Database) -> bytes:
    with base.writing() as s:
        data, _ = export_up(s, "CS001", actor="coso", key_passphrase=KEY)
    return data


def _tree(db: Database, root: str) -> dict[str, tuple[str, str | None, list[str]]]:
    """code -> (name, parent code, member codes) of the subtree, as of TODAY."""
    with db.reading() as s:
        snapshot = load_snapshot(s, TODAY)
        node = snapshot.by_code(root)
        assert node is not None
        out = {}
        for org_id in snapshot.subtree_ids(node.id):
            n = snapshot.nodes[org_id]
            out[n.code] = (n.name, snapshot.parent_code(n),
                           sorted(m.code for m in members_of(s, [org_id], TODAY)))
        return out


def test_the_starter_package_makes_a_grassroots_database_of_the_subtree(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    assert _tree(grassroots, "CS001") == _tree(office, "CS001")
    with grassroots.reading() as s:
        assert s.scalar(select(func.count()).select_from(Organization)) == 3, "only its own subtree"
        assert s.scalar(select(Member.code).where(Member.code == "CB0003-001")) is None


def test_grassroots_mode_refuses_what_only_the_office_decides(grassroots) -> None:  # type: ignore[no-untyped-def]
    found = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ mới", "parent": None,
             "members": codes("CB0002", range(1, 4)), "effective": SPLIT_ON.isoformat()}
    with pytest.raises(RequestRefused, match="chế độ cơ sở") as refused, grassroots.writing() as s:
        apply_request(s, parse_request(found), actor="coso", issue=True, today=SPLIT_ON, render=render_pdf)
    assert refused.value.code == "grassroots_mode"


def test_round_trip_split_and_meetings_reviewed_and_accepted(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    _grassroots_month(grassroots)
    package = _export(grassroots)
    with office.reading() as s:
        listed = import_package(s, package, "len.khoipkg", actor="vanphong", today=TODAY, dry_run=True)
    assert [i.kind for i in listed.items] == ["decision", "meeting", "meeting"]
    with office.writing() as s:
        imported = import_package(s, package, "len.khoipkg", actor="vanphong", today=TODAY)
    decision_item = imported.items[0]
    assert "Tổ chức mới: Chi bộ Phòng Dược (mã CS001-CB0001)" in decision_item.preview.changes
    early = next(i for i in imported.items if i.preview.ref.startswith("CS001-CB0001"))
    assert early.preview.problems, "the new chi bộ's meeting before its founding decision is accepted"
    with pytest.raises(RequestRefused, match="CS001-CB0001"), office.writing() as s:
        review(s, early.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    for item in imported.items:
        with office.writing() as s:
            review(s, item.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    assert _tree(office, "CS001") == _tree(grassroots, "CS001")
    with office.reading() as s:
        recorded = s.scalars(select(Decision).where(Decision.code == "01-QĐ/ĐU")).one()
        assert recorded.recorded and recorded.pdf is not None and recorded.pdf.startswith(b"%PDF")
        status = month_status(s, MARCH, "CS001").as_json()
        assert pending_items(s, TODAY) == []
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "exchange.accept")) == 3
    with grassroots.reading() as s:
        assert month_status(s, MARCH, "CS001").as_json() == status, "the meeting grid agrees"
    assert status["held"] >= 1, status


def test_the_same_package_twice_changes_nothing(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    _grassroots_month(grassroots)
    package = _export(grassroots)
    with office.writing() as s:
        import_package(s, package, "len.khoipkg", actor="vanphong", today=TODAY)
    with pytest.raises(PackageRefused, match="đã được nhập") as again, office.writing() as s:
        import_package(s, package, "len.khoipkg", actor="vanphong", today=TODAY)
    assert again.value.code == "already_imported"


def test_replayed_and_out_of_order_packages_are_refused(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    first, second, third = _export(grassroots), _export(grassroots), _export(grassroots)
    with pytest.raises(PackageRefused, match="hãy nhập gói số 1 trước") as early, office.writing() as s:
        import_package(s, second, "2.khoipkg", actor="vanphong", today=TODAY)
    assert early.value.code == "package_out_of_order"
    for data in (first, second):
        with office.writing() as s:
            import_package(s, data, "x.khoipkg", actor="vanphong", today=TODAY)
    with office.writing() as s:
        import_package(s, third, "3.khoipkg", actor="vanphong", today=TODAY)
    # An older package under a new id (the same records signed again) is a replay.
    with grassroots.writing() as s:
        from khoi_desktop.core.exchange.models import ExchangePackage

        s.query(ExchangePackage).filter(ExchangePackage.direction == "out", ExchangePackage.sequence > 1).delete()
    with pytest.raises(PackageRefused, match="cũ hơn") as replayed, office.writing() as s:
        import_package(s, _export(grassroots), "cu.khoipkg", actor="vanphong", today=TODAY)
    assert replayed.value.code == "package_replayed"


def test_a_package_from_a_body_enrolled_again_with_new_keys_is_foreign(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    package = _export(grassroots)
    _enroll(office)  # the office issues a new starter package: the old keys are revoked
    with pytest.raises(PackageRefused, match="khóa đã thu hồi") as refused, office.writing() as s:
        import_package(s, package, "len.khoipkg", actor="vanphong", today=TODAY)
    assert refused.value.code == "package_foreign"


def test_a_meeting_changed_on_both_sides_is_a_conflict_shown_side_by_side(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        record_meeting(s, _meeting("CB0002", codes("CB0002", range(1, 12)), dt.date(2026, 3, 9), absent="CB0002-002"),
                       actor="vanphong", today=TODAY)
    with grassroots.writing() as s:
        record_meeting(s, _meeting("CB0002", codes("CB0002", range(1, 12)), dt.date(2026, 3, 10)), actor="coso",
                       today=TODAY)
    with office.writing() as s:
        item = import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY).items[0]
    conflict = item.preview.conflict
    assert conflict is not None
    assert conflict["office"]["held_on"] == "2026-03-09" and conflict["package"]["held_on"] == "2026-03-10"
    assert "Ngày họp: 09/03/2026 → 10/03/2026" in conflict["differences"]
    with pytest.raises(KhoiError, match="xung đột") as refused, office.writing() as s:
        review(s, item.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    assert refused.value.code == "conflict"
    with office.writing() as s:
        review(s, item.id, "accept", reason="Cơ sở họp ngày 10, bản của Văn phòng ghi nhầm", actor="vanphong",
               today=TODAY, render=render_pdf)
    with office.reading() as s:
        from khoi_desktop.core.meetings.models import Meeting

        assert s.scalar(select(Meeting.held_on).where(Meeting.month == MARCH)) == dt.date(2026, 3, 10)


def test_a_member_changed_on_both_sides_is_a_conflict(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        s.scalar(select(Member).where(Member.code == "CB0002-003")).job_title = "Phó Chánh Thanh tra"
    with grassroots.writing() as s:
        s.scalar(select(Member).where(Member.code == "CB0002-003")).job_title = "Chánh Thanh tra"
        s.scalar(select(Member).where(Member.code == "CB0002-004")).education = "Thạc sĩ"
    with office.writing() as s:
        items = import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY).items
    clash, clean = items
    assert clash.preview.conflict is not None and clash.preview.conflict["office"] == {"Chức vụ": "Phó Chánh Thanh tra"}
    assert clash.preview.conflict["package"] == {"Chức vụ": "Chánh Thanh tra"}
    assert clean.preview.conflict is None and clean.preview.changes == ["Trình độ học vấn: (trống) → Thạc sĩ"]
    with office.writing() as s:
        review(s, clean.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
        review(s, clash.id, "return", reason="Văn phòng đã có quyết định bổ nhiệm mới", actor="vanphong",
               today=TODAY, render=render_pdf)
    with office.reading() as s:
        assert s.scalar(select(Member.education).where(Member.code == "CB0002-004")) == "Thạc sĩ"
        assert s.scalar(select(Member.job_title).where(Member.code == "CB0002-003")) == "Phó Chánh Thanh tra"


def test_downward_package_answers_sends_documents_and_confirms_both_sides_agree(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.exchange.downward import export_down

    _grassroots_month(grassroots)
    with office.writing() as s:
        items = import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY).items
    for item in items[:1] + items[2:]:
        with office.writing() as s:
            review(s, item.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    with office.writing() as s:
        review(s, items[1].id, "return", reason="Thiếu biên bản cuộc họp", actor="vanphong", today=TODAY,
               render=render_pdf)
    notice = "%PDF-1.4 Hướng dẫn sinh hoạt chi bộ quý II".encode()
    with office.writing() as s:
        down, sequence = export_down(s, "CS001", actor="vanphong", today=TODAY,
                                     documents=[("Hướng dẫn quý II", notice)])
    assert sequence == 1
    with grassroots.writing() as s:
        received = import_package(s, down, "xuong.khoipkg", actor="coso", today=TODAY, key_passphrase=KEY).items
    titles = [i.preview.title for i in received]
    assert any(t.startswith("Văn phòng đã trả lại") for t in titles)
    assert sum(t.startswith("Văn phòng đã chấp nhận") for t in titles) == 2
    assert "Văn bản: Hướng dẫn quý II" in titles
    subtree = received[-1].preview
    assert subtree.changes == ["Khớp với số liệu ở cơ sở."] and subtree.conflict is None
    with pytest.raises(PackageRefused, match="đã được nhập"), grassroots.writing() as s:
        import_package(s, down, "xuong.khoipkg", actor="coso", today=TODAY, key_passphrase=KEY)


def test_a_downward_package_for_another_body_is_refused(office, grassroots, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.exchange.downward import export_down

    with office.writing() as s:
        enroll(s, "CS003", passphrase=PASS, actor="vanphong", today=ENROLLED)
        other, _ = export_down(s, "CS003", actor="vanphong", today=TODAY)
    with pytest.raises(PackageRefused, match="không phải cho Đảng bộ Sở Y tế") as refused, grassroots.writing() as s:
        import_package(s, other, "xuong.khoipkg", actor="coso", today=TODAY, key_passphrase=KEY)
    assert refused.value.code == "package_not_for_us"


def test_the_office_sees_a_difference_the_body_did_not_report(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    """A split recorded at the office only (from the paper decision) shows at the grassroots as a difference."""
    from khoi_desktop.core.exchange.downward import export_down

    with office.writing() as s:
        apply_request(s, parse_request({**SPLIT, "issuer": "CS001", "recorded": {
            "number": "07-QĐ/ĐU", "signed_on": SPLIT_ON.isoformat(), "signer": "Trần Văn CB0001 001"}}),
            actor="vanphong", issue=True, today=SPLIT_ON, render=render_pdf)
        down, _ = export_down(s, "CS001", actor="vanphong", today=TODAY)
    with grassroots.writing() as s:
        subtree = import_package(s, down, "xuong.khoipkg", actor="coso", today=TODAY,
                                 key_passphrase=KEY).items[-1].preview
    assert subtree.conflict is not None
    assert "Văn phòng có Chi bộ Phòng Dược (CB0004), ở cơ sở không có." in subtree.changes
    assert any(line.startswith("Đảng viên Trần Văn CB0001 001 (CB0001-001): ở cơ sở thuộc CB0001, ở Văn phòng "
                               "thuộc CB0004") for line in subtree.changes), subtree.changes


def test_the_years_ratings_travel_up_and_keep_the_offices_own_level(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.ratings.entry import set_level
    from khoi_desktop.core.ratings.models import Level, MemberRating, OrgRating

    with office.writing() as s:
        set_level(s, 2025, org="CS001", decided=Level.HTT, actor="vanphong")
    with grassroots.writing() as s:
        set_level(s, 2025, org="CB0002", decided=Level.HTXS, actor="coso")
        set_level(s, 2025, member="CB0002-001", decided=Level.HTT, actor="coso")
        set_level(s, 2025, org="CS001", decided=Level.HT, actor="coso")  # not the body's to decide
    with office.writing() as s:
        (item,) = import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY).items
    assert item.kind == "rating" and not item.preview.problems
    assert any(line.startswith("Chi bộ Thanh tra Sở: đề xuất (trống) → (trống); xếp loại (trống) → HTXSNV")
               for line in item.preview.changes), item.preview.changes
    with office.writing() as s:
        review(s, item.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    with office.reading() as s:
        levels = dict(s.execute(select(Organization.code, OrgRating.decided).join(
            OrgRating, OrgRating.org_id == Organization.id)).all())
        assert levels == {"CS001": Level.HTT, "CB0002": Level.HTXS}
        assert s.scalar(select(MemberRating.decided)) == Level.HTT
    with grassroots.writing() as s:
        export_up(s, "CS001", actor="coso", key_passphrase=KEY)
        assert export_up(s, "CS001", actor="coso", key_passphrase=KEY)[1] == 3
    with grassroots.reading() as s:
        from khoi_desktop.core.exchange.upward import pending_records

        assert pending_records(s)[0] == [], "sent once, not again"


def test_conflict_rows_put_the_two_sides_next_to_each_other(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    with office.writing() as s:
        record_meeting(s, _meeting("CB0002", codes("CB0002", range(1, 12)), dt.date(2026, 3, 9)), actor="vanphong",
                       today=TODAY)
    with grassroots.writing() as s:
        record_meeting(s, _meeting("CB0002", codes("CB0002", range(1, 12)), dt.date(2026, 3, 10)), actor="coso",
                       today=TODAY)
    with office.reading() as s:
        (item,) = import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY,
                                 dry_run=True).items
    assert item.preview.conflict is not None
    assert item.preview.conflict["rows"] == [["Ngày họp", "09/03/2026", "10/03/2026"]]


def test_a_submission_of_the_dang_uy_goes_into_the_offices_register(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.appointments.submissions import list_submissions, register_submission

    with grassroots.writing() as s:
        register_submission(s, register_number="12-TTr/ĐU", received_on=dt.date(2026, 3, 5), org_code="CS001",
                            subject="đề nghị chuẩn y Phó Bí thư Đảng ủy", members=["CB0001-002"], actor="coso",
                            dated_on=dt.date(2026, 3, 5))
    with office.writing() as s:
        (item,) = import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY).items
    assert item.kind == "submission" and not item.preview.problems
    with office.writing() as s:
        review(s, item.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    with office.reading() as s:
        (row,) = list_submissions(s, today=TODAY)
        assert (row.register_number, row.org_code, row.dated_on, row.received_on) == (
            "12-TTr/ĐU", "CS001", dt.date(2026, 3, 5), TODAY)


def test_a_reader_may_not_send_or_take_packages(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.auth.current import CurrentUser, Role
    from khoi_desktop.core.auth.permissions import PermissionDenied

    package = _export(grassroots)
    reader = CurrentUser("xem", "Chỉ xem", Role.CHI_XEM)
    grassroots.user = office.user = reader
    with pytest.raises(PermissionDenied), grassroots.writing() as s:
        export_up(s, "CS001", actor="xem")
    with pytest.raises(PermissionDenied), office.writing() as s:
        import_package(s, package, "len.khoipkg", actor="xem", today=TODAY)
    with pytest.raises(PermissionDenied), office.writing() as s:
        enroll(s, "CS003", passphrase=PASS, actor="xem", today=ENROLLED)
