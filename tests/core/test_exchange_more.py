# ruff: noqa: F811  (the fixtures office, grassroots and theirs come from the round trip module)
"""Issue 20's last items: a submission travels up with its attached scans (hashes under the signature), a
đảng ủy cơ sở authorized to admit admits and recognizes members in grassroots mode, and the body's private
keys are kept wrapped with a passphrase."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import select
from test_exchange_round_trip import (  # noqa: F401
    KEY,
    PASS,
    SPLIT_ON,
    TODAY,
    _enroll,
    cheap_kdf,
    empty_database_file,
    grassroots,
    office,
)

from khoi_desktop.core.appointments.submission_files import AttachedFile, SubmissionFile
from khoi_desktop.core.appointments.submissions import list_submissions, register_submission
from khoi_desktop.core.exchange.container import PackageRefused, open_package, unseal
from khoi_desktop.core.exchange.receive import import_package
from khoi_desktop.core.exchange.review import review
from khoi_desktop.core.exchange.upward import export_up
from khoi_desktop.documents.pdf import render_pdf


@pytest.fixture(autouse=True)
def _cheap_kdf(cheap_kdf: None) -> None:
    """Every test here seals at the tests' low cost (the strong defaults: the round trip module)."""


SCAN = "%PDF-1.4 Tờ trình số 12-TTr/ĐU đã ký".encode()
CV = "%PDF-1.4 Sơ yếu lý lịch đồng chí CB0001 002".encode()


def _submit(grassroots) -> None:  # type: ignore[no-untyped-def]
    with grassroots.writing() as s:
        register_submission(s, register_number="12-TTr/ĐU", received_on=dt.date(2026, 3, 5), org_code="CS001",
                            subject="đề nghị chuẩn y Phó Bí thư Đảng ủy", members=["CB0001-002"], actor="coso",
                            dated_on=dt.date(2026, 3, 5),
                            files=[AttachedFile("tờ trình 12.pdf", SCAN), AttachedFile("lý lịch.pdf", CV)])


def _export(grassroots) -> bytes:  # type: ignore[no-untyped-def]
    with grassroots.writing() as s:
        return export_up(s, "CS001", actor="coso", key_passphrase=KEY)[0]


def test_a_submission_travels_with_its_scans_and_they_enter_the_offices_register(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    _submit(grassroots)
    package = _export(grassroots)
    manifest = open_package(package).manifest
    assert manifest["files"] == sorted(hashlib.sha256(f).hexdigest() for f in (SCAN, CV)), "hashes signed"
    assert SCAN not in package, "sealed to the office"
    with office.writing() as s:
        (item,) = import_package(s, package, "len.khoipkg", actor="vanphong", today=TODAY).items
    assert any(line.startswith("Tệp kèm theo: tờ trình 12.pdf (1 KB, SHA-256 ") for line in item.preview.changes)
    assert any(line.startswith("Tệp kèm theo: lý lịch.pdf") for line in item.preview.changes)
    with office.writing() as s:
        review(s, item.id, "accept", reason=None, actor="vanphong", today=TODAY, render=render_pdf)
    with office.reading() as s:
        (row,) = list_submissions(s, today=TODAY)
        assert [name for _, name, _ in row.files] == ["tờ trình 12.pdf", "lý lịch.pdf"]
        kept = s.scalars(select(SubmissionFile).order_by(SubmissionFile.position)).all()
        assert [f.content for f in kept] == [SCAN, CV]
        assert [f.sha256 for f in kept] == [hashlib.sha256(f).hexdigest() for f in (SCAN, CV)]


def test_a_submission_file_must_be_a_pdf(grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.errors import ValidationError

    with pytest.raises(ValidationError, match="không phải tệp PDF"), grassroots.writing() as s:
        register_submission(s, register_number="13-TTr/ĐU", received_on=dt.date(2026, 3, 5), org_code="CS001",
                            subject="đề nghị", members=[], actor="coso", files=[AttachedFile("a.docx", b"PK..")])


def test_a_file_not_listed_in_the_signed_manifest_is_refused(grassroots) -> None:  # type: ignore[no-untyped-def]
    """Someone holding the office's key swaps a scan and seals again: the signed list of hashes finds it."""
    from khoi_desktop.core.exchange import container
    from khoi_desktop.core.exchange.identity import key_pair, office_peer, party, self_peer

    _submit(grassroots)
    with grassroots.reading() as s:
        me, office_keys = key_pair(self_peer(s), passphrase=KEY), office_peer(s)
        sender, receiver = party(self_peer(s)), party(office_keys)
    records = [container.Record("submission", {"number": "12"}, files=[("tờ trình.pdf", SCAN)])]
    data = container.write_package(kind="up", sender=sender, receiver=receiver, sequence=1, records=records, keys=me)
    opened = open_package(data)
    manifest = dict(opened.manifest, files=[hashlib.sha256(CV).hexdigest()])
    opened.manifest_bytes = json.dumps(manifest).encode()
    opened.manifest = manifest
    with pytest.raises(PackageRefused, match="không khớp với bản kê") as refused:
        unseal(opened)
    assert refused.value.code == "package_tampered"


def test_the_bodys_private_keys_are_kept_only_wrapped_with_the_key_passphrase(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.exchange.identity import self_peer

    with grassroots.reading() as s:
        me = self_peer(s)
        assert me.sign_private is None and me.box_private is None and me.sealed_keys is not None
        public = me.sign_public
    with office.reading() as s:
        from khoi_desktop.core.exchange.identity import body_peer

        assert body_peer(s, "CS001").sign_public == public
    for wrong, code in ((None, "key_passphrase_needed"), ("mật khẩu gói khởi tạo", "wrong_key_passphrase")):
        with pytest.raises(ValidationError) as refused, grassroots.writing() as s:
            export_up(s, "CS001", actor="coso", key_passphrase=wrong)
        assert refused.value.code == code
    with grassroots.reading() as s:
        from khoi_desktop.core.exchange.models import ExchangePackage

        assert s.scalar(select(ExchangePackage.id).where(ExchangePackage.direction == "out")) is None
    with office.writing() as s:
        assert import_package(s, _export(grassroots), "len.khoipkg", actor="vanphong", today=TODAY).stored


def test_the_key_passphrase_is_not_the_starter_packages(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.exchange.starter import init_grassroots

    base = open_database(tmp_path / "b.db", create=True)
    for key in (PASS, "ngắn"):
        with pytest.raises(ValidationError) as refused, base.writing() as s:
            init_grassroots(s, _enroll(office), passphrase=PASS, key_passphrase=key, actor="coso", file_name="k")
        assert refused.value.code == "weak_passphrase"
    base.close()


def _authorized_grassroots(office, tmp_path):  # type: ignore[no-untyped-def]
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.exchange.starter import init_grassroots
    from khoi_desktop.core.member_events.authority import set_admitting_bodies

    with office.writing() as s:
        set_admitting_bodies(s, add=["CS001"])
    base = open_database(tmp_path / "co-so-uy-quyen.db", create=True)
    with base.writing() as s:
        init_grassroots(s, _enroll(office), passphrase=PASS, key_passphrase=KEY, actor="coso", file_name="k")
    return base


def test_an_authorized_dang_uy_admits_and_recognizes_in_grassroots_mode(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Its own numbering and header; the decisions travel up, are accepted through review, and the office
    keeps the member under the code the body gave."""
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.models import Decision, Member
    from khoi_desktop.core.request_json import parse_request

    base = _authorized_grassroots(office, tmp_path)
    admit = {"action": "admit", "org": "CB0002", "admitted_on": "2025-10-06", "introducers": ["CB0002-001"],
             "person": {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1995-05-05",
                        "sex": "nu"}}
    with base.writing() as s:
        admitted, _ = apply_request(s, parse_request(admit), actor="coso", issue=True, today=dt.date(2025, 10, 8),
                                    render=render_pdf)
        assert (admitted.code, admitted.issuer.code, admitted.recorded) == ("01-QĐ/ĐU", "CS001", False)
        code = s.scalar(select(Member.code).where(Member.given_name == "Hoa"))
    assert code.startswith("CS001-"), "a code the office has not given"
    confirm = {"action": "confirm_full", "member": code, "on": "2026-10-06"}
    later = dt.date(2026, 10, 8)
    with base.writing() as s:
        recognized, _ = apply_request(s, parse_request(confirm), actor="coso", issue=True, today=later,
                                      render=render_pdf)
        assert recognized.code == "02-QĐ/ĐU"
        s.scalar(select(Member).where(Member.code == code)).job_title = "Chuyên viên Phòng Dược"
    with office.writing() as s:
        items = import_package(s, _export(base), "len.khoipkg", actor="vanphong", today=later).items
    assert [i.kind for i in items] == ["decision", "decision", "member"], "decided dates travel only with decisions"
    assert "Kết nạp đồng chí Lê Thị Hoa" in items[0].preview.changes[0]
    assert items[2].preview.ref == code and json.loads(_payload(office, items[2].id))["fields"] == ["job_title"]
    for item in items:
        with office.writing() as s:
            review(s, item.id, "accept", reason=None, actor="vanphong", today=later, render=render_pdf)
    with office.reading() as s:
        hoa = s.scalar(select(Member).where(Member.code == code))
        assert hoa is not None and hoa.full_member_on == dt.date(2026, 10, 6)
        assert hoa.job_title == "Chuyên viên Phòng Dược"
        recorded = s.scalars(select(Decision).where(Decision.recorded.is_(True)).order_by(Decision.id)).all()
        assert [(d.code, d.issuer.code) for d in recorded] == [("01-QĐ/ĐU", "CS001"), ("02-QĐ/ĐU", "CS001")]
    with base.reading() as s:
        from khoi_desktop.core.exchange.upward import pending_records

        assert pending_records(s)[0] == [], "nothing sent twice"
    base.close()


def _payload(db, item_id: int) -> str:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.exchange.models import ExchangeItem

    with db.reading() as s:
        return s.get(ExchangeItem, item_id).payload


def test_a_dang_uy_not_authorized_to_admit_is_refused_in_grassroots_mode(grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.errors import RequestRefused
    from khoi_desktop.core.request_json import parse_request

    admit = {"action": "admit", "org": "CB0002", "admitted_on": SPLIT_ON.isoformat(), "introducers": ["CB0002-001"],
             "person": {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1995-05-05",
                        "sex": "nu"}}
    with pytest.raises(RequestRefused, match="đề nghị lên Đảng ủy Khối") as refused, grassroots.writing() as s:
        apply_request(s, parse_request(admit), actor="coso", issue=True, today=SPLIT_ON, render=render_pdf)
    assert refused.value.code == "grassroots_mode"


def test_the_body_edits_its_received_subtree_where_it_decides_and_not_where_the_office_does(office, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What the starter package brought is the body's to change by its own decisions (its chi bộ's chi ủy, a
    move between its chi bộ, an exemption when it is authorized); what only the office decides (the đảng ủy's
    own committee) stays the office's: refused, to be proposed upward."""
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.errors import RequestRefused
    from khoi_desktop.core.members import members_of
    from khoi_desktop.core.models import CommitteeSeat, Organization
    from khoi_desktop.core.request_json import parse_request

    base = _authorized_grassroots(office, tmp_path)
    own = [
        {"action": "approve_election", "org": "CB0002", "term": "2025-2027", "committee_size": 3,
         "seats": [{"member": "CB0002-001", "role": "cap_uy_vien"}, {"member": "CB0002-001", "role": "bi_thu"},
                   {"member": "CB0002-002", "role": "cap_uy_vien"}, {"member": "CB0002-003", "role": "cap_uy_vien"}],
         "effective": "2026-03-03"},
        {"action": "transfer_member", "member": "CB0002-005", "to": "CB0001", "on": "2026-03-04"},
        {"action": "exempt", "member": "CB0002-006", "on": "2026-03-05"},
    ]
    with base.writing() as s:
        for number, request in enumerate(own, start=1):
            decision, _ = apply_request(s, parse_request(request), actor="coso", issue=True, today=TODAY,
                                        render=render_pdf)
            assert (decision.code, decision.issuer.code) == (f"{number:02d}-QĐ/ĐU", "CS001")
    with base.reading() as s:
        first = s.scalar(select(Organization.id).where(Organization.code == "CB0001"))
        assert "CB0002-005" in {m.code for m in members_of(s, [first], TODAY)}
        assert s.scalar(select(CommitteeSeat.id).join(Organization).where(Organization.code == "CB0002"))
    office_only = {"action": "end_seat", "org": "CS001", "member": "CB0001-001", "role": "bi_thu",
                   "reason": "chuyen_cong_tac", "effective": "2026-03-06"}
    with pytest.raises(RequestRefused, match="đề nghị lên Đảng ủy Khối") as refused, base.writing() as s:
        apply_request(s, parse_request(office_only), actor="coso", issue=True, today=TODAY, render=render_pdf)
    assert refused.value.code == "grassroots_mode"
    with office.writing() as s:
        items = import_package(s, _export(base), "len.khoipkg", actor="vanphong", today=TODAY).items
    assert [i.kind for i in items] == ["decision"] * 3 and not any(i.preview.problems for i in items)
    base.close()


def test_the_offices_decision_about_the_body_is_recorded_there_read_only(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    """An admission the office decides (the đảng ủy is not authorized) travels down with its PDF; the body
    records it as the office signed it (number, scan), the member under the office's code; typing the office's
    decision in at the grassroots is refused."""
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.errors import RequestRefused
    from khoi_desktop.core.exchange.downward import export_down
    from khoi_desktop.core.models import Decision, Member
    from khoi_desktop.core.request_json import parse_request

    admit = {"action": "admit", "org": "CB0002", "admitted_on": "2026-03-10", "introducers": ["CB0002-001"],
             "person": {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1995-05-05",
                        "sex": "nu"}}
    with office.writing() as s:
        decision, _ = apply_request(s, parse_request(admit), actor="vanphong", issue=True, today=TODAY,
                                    render=render_pdf)
        number, pdf = decision.code, decision.pdf
        code = s.scalar(select(Member.code).where(Member.given_name == "Hoa"))
        down, _ = export_down(s, "CS001", actor="vanphong", today=TODAY)
    with grassroots.writing() as s:
        items = import_package(s, down, "xuong.khoipkg", actor="coso", today=TODAY, key_passphrase=KEY).items
    (item,) = [i for i in items if i.kind == "decision"]
    assert item.status == "pending" and not item.preview.problems
    assert any("Kết nạp đồng chí Lê Thị Hoa" in line for line in item.preview.changes), item.preview.changes
    with grassroots.writing() as s:
        review(s, item.id, "accept", reason=None, actor="coso", today=TODAY, render=render_pdf)
    with grassroots.reading() as s:
        recorded = s.scalars(select(Decision).where(Decision.code == number)).one()
        assert (recorded.issuer_id, recorded.recorded, recorded.pdf) == (None, True, pdf)
        assert s.scalar(select(Member.code).where(Member.given_name == "Hoa")) == code
    typed = {**admit, "person": {**admit["person"], "given_name": "Lan"},
             "recorded": {"number": "99-QĐ/ĐUK", "signed_on": "2026-03-10", "signer": "Nguyễn Văn Hùng"}}
    with pytest.raises(RequestRefused) as refused, grassroots.writing() as s:
        apply_request(s, parse_request(typed), actor="coso", issue=True, today=TODAY, render=render_pdf)
    assert refused.value.code == "grassroots_mode"
    with grassroots.reading() as s:
        from khoi_desktop.core.exchange.upward import pending_records

        assert pending_records(s)[0] == [], "the office's decision and its member do not travel back up"


def test_keys_kept_in_plain_by_an_older_grassroots_database_are_wrapped_on_request(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.core.exchange.identity import key_pair, self_peer
    from khoi_desktop.core.exchange.key_lock import set_key_passphrase

    with grassroots.writing() as s:  # as a database made before the keys were wrapped
        me = self_peer(s)
        keys = key_pair(me, passphrase=KEY)
        me.sign_private, me.box_private, me.sealed_keys = keys.sign_private, keys.box_private, None
    with grassroots.writing() as s:
        export_up(s, "CS001", actor="coso")  # still works, in plain
        set_key_passphrase(s, new="mật khẩu khóa mới", old=None, actor="coso")
    with grassroots.reading() as s:
        assert self_peer(s).sign_private is None and self_peer(s).sealed_keys is not None
    with pytest.raises(ValidationError) as refused, grassroots.writing() as s:
        export_up(s, "CS001", actor="coso")
    assert refused.value.code == "key_passphrase_needed"
    with grassroots.writing() as s:
        assert export_up(s, "CS001", actor="coso", key_passphrase="mật khẩu khóa mới")[1] == 2


def test_an_authorization_to_admit_given_after_enrolment_reaches_the_body(office, grassroots) -> None:  # type: ignore[no-untyped-def]
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.exchange.downward import export_down
    from khoi_desktop.core.member_events.authority import set_admitting_bodies
    from khoi_desktop.core.request_json import parse_request

    with office.writing() as s:
        set_admitting_bodies(s, add=["CS001"])
        down, _ = export_down(s, "CS001", actor="vanphong", today=TODAY)
    with grassroots.writing() as s:
        items = import_package(s, down, "xuong.khoipkg", actor="coso", today=TODAY, key_passphrase=KEY).items
    assert [i.preview.title for i in items if i.kind == "authorization"] == [
        "Văn phòng đã ủy quyền kết nạp đảng viên cho Đảng ủy Sở Y tế"]
    admit = {"action": "admit", "org": "CB0002", "admitted_on": SPLIT_ON.isoformat(), "introducers": ["CB0002-001"],
             "person": {"family_name": "Lê", "middle_name": "Thị", "given_name": "Hoa", "birth_date": "1995-05-05",
                        "sex": "nu"}}
    with grassroots.writing() as s:
        decision, _ = apply_request(s, parse_request(admit), actor="coso", issue=True, today=SPLIT_ON,
                                    render=render_pdf)
        assert decision.issuer.code == "CS001"
    with office.writing() as s:
        set_admitting_bodies(s, remove=["CS001"])
        down, _ = export_down(s, "CS001", actor="vanphong", today=TODAY)
    with grassroots.writing() as s:
        items = import_package(s, down, "xuong.khoipkg", actor="coso", today=TODAY, key_passphrase=KEY).items
    assert any(i.preview.title.startswith("Văn phòng đã thôi ủy quyền") for i in items)
    with grassroots.reading() as s:
        from khoi_desktop.core.settings import load_settings

        assert load_settings(s).admitting_bodies == []
