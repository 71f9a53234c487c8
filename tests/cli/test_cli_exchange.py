"""`exchange` on the command line: enrol, make the grassroots database, split there, send up, import, review,
status; refusals exit 2 with a Vietnamese message and change nothing."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from cli_support import json_answer
from factories import add_members, add_org, add_seat
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Term
from khoi_desktop.core.settings import OfficeSettings, save_settings


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "van-phong.db"
    db = open_database(path, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        health = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        first = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=health)
        a = add_members(s, first, 8)
        add_members(s, add_org(s, "CB0002", "Chi bộ Thanh tra Sở", "chi_bo_truc_thuoc", parent=health), 5)
        add_seat(s, health, a[0], "bi_thu", term="2025-2030", valid_from=dt.date(2025, 6, 1))
    db.close()
    return path


def test_enrol_split_send_up_review_and_status(office: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "matkhau.txt"
    secret.write_text("mật khẩu gói khởi tạo\n", encoding="utf-8")
    starter, base = tmp_path / "khoi-tao.khoipkg", tmp_path / "co-so.db"
    code, data = json_answer(capsys, "exchange", office, "enroll", "--org", "CS001", "-o", starter,
                             "--passphrase-file", secret)
    assert code == 0 and len(data["key"]) == 39
    wrong = tmp_path / "sai.txt"
    wrong.write_text("không phải mật khẩu\n", encoding="utf-8")
    key = tmp_path / "khoa.txt"
    key.write_text("mật khẩu khóa của cơ sở\n", encoding="utf-8")
    code, data = json_answer(capsys, "exchange", base, "init", starter, "--passphrase-file", wrong,
                             "--key-passphrase-file", key)
    assert (code, data["errors"][0]["code"]) == (2, "wrong_passphrase") and not base.exists()
    code, data = json_answer(capsys, "exchange", base, "init", starter, "--passphrase-file", secret,
                             "--key-passphrase-file", secret)
    assert (code, data["errors"][0]["code"]) == (2, "weak_passphrase") and not base.exists()
    code, data = json_answer(capsys, "exchange", base, "init", starter, "--passphrase-file", secret,
                             "--key-passphrase-file", key)
    assert (code, data["org"], data["members"]) == (0, "CS001", 13)

    split = tmp_path / "tach.json"
    split.write_text(json.dumps({"action": "split", "org": "CB0001", "into": [
        {"name": "Chi bộ Phòng Dược", "members": [f"CB0001-{i:03d}" for i in range(1, 5)]},
        {"name": "Chi bộ Phòng Nghiệp vụ", "members": [f"CB0001-{i:03d}" for i in range(5, 9)]}]},
        ensure_ascii=False), encoding="utf-8")
    code, data = json_answer(capsys, "apply", base, split, "--issue")
    assert code == 0 and data["decision"]["code"] == "01-QĐ/ĐU", data
    assert [c["code"] for c in data["created"]] == ["CS001-CB0001", "CS001-CB0002"]

    up = tmp_path / "len.khoipkg"
    code, data = json_answer(capsys, "exchange", base, "export", "--org", "CS001", "-o", up)
    assert (code, data["errors"][0]["code"]) == (2, "key_passphrase_needed") and not up.exists()
    code, data = json_answer(capsys, "exchange", base, "export", "--org", "CS001", "-o", up, "--key-passphrase-file",
                             wrong)
    assert (code, data["errors"][0]["code"]) == (2, "wrong_key_passphrase") and not up.exists()
    code, data = json_answer(capsys, "exchange", base, "export", "--org", "CS001", "-o", up, "--key-passphrase-file",
                             key)
    assert (code, data["sequence"]) == (0, 1)
    code, data = json_answer(capsys, "exchange", office, "import", up, "--dry-run")
    assert code == 0 and data["dry_run"] and [i["kind"] for i in data["items"]] == ["decision"]
    assert "Tổ chức mới: Chi bộ Phòng Dược (mã CS001-CB0001)" in data["items"][0]["changes"]

    tampered = tmp_path / "sua.khoipkg"
    with zipfile.ZipFile(up) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, content.replace(b'"sequence": 1', b'"sequence": 2'))
    code, data = json_answer(capsys, "exchange", office, "import", tampered)
    assert (code, data["errors"][0]["code"]) == (2, "package_tampered")

    code, data = json_answer(capsys, "exchange", office, "import", up)
    assert code == 0 and data["items"][0]["status"] == "pending"
    item = data["items"][0]["id"]
    code, data = json_answer(capsys, "exchange", office, "import", up)
    assert (code, data["errors"][0]["code"]) == (2, "already_imported")
    code, data = json_answer(capsys, "exchange", office, "status")
    assert data["bodies"][0]["pending"] == 1 and data["not_reported"] == []
    code, data = json_answer(capsys, "exchange", office, "review", str(item), "return")
    assert (code, data["errors"][0]["code"]) == (2, "reason_needed")
    code, data = json_answer(capsys, "exchange", office, "review", str(item), "accept")
    assert (code, data["item"]["result"]) == (0, "01-QĐ/ĐU")
    code, data = json_answer(capsys, "orgs", office)
    active = {o["code"]: o["status"] for o in data["orgs"]}
    assert active["CB0001"] == "ended" and active["CS001-CB0001"] == "active"
    code, data = json_answer(capsys, "exchange", office, "status")
    body = data["bodies"][0]
    assert (body["code"], body["pending"], body["last_received"]["sequence"]) == ("CS001", 0, 1)
    code, data = json_answer(capsys, "exchange", base, "status")
    assert (data["mode"], data["unsent"]) == ("grassroots", 0)

    notice = tmp_path / "Hướng dẫn quý II.pdf"
    notice.write_bytes("%PDF-1.4 Hướng dẫn".encode())
    down = tmp_path / "xuong.khoipkg"
    code, data = json_answer(capsys, "exchange", office, "export", "--org", "CS001", "-o", down, "--attach", notice)
    assert (code, data["sequence"]) == (0, 1)
    code, data = json_answer(capsys, "exchange", base, "import", down, "--key-passphrase-file", key)
    assert code == 0, data
    kinds = {i["kind"]: i for i in data["items"]}
    assert set(kinds) == {"answer", "document", "return", "subtree"}, kinds
    assert kinds["subtree"]["changes"] == ["Khớp với số liệu ở cơ sở."], "both databases agree"
    returns = [i for i in data["items"] if i["kind"] == "return"]
    assert [r["title"].split(" tháng")[0].split(" năm")[0] for r in returns] == [
        "Mẫu báo cáo: Báo cáo sinh hoạt chi bộ", "Mẫu báo cáo: Báo cáo xếp loại chất lượng"]
    saved = tmp_path / "bao-cao.xlsx"
    code, data = json_answer(capsys, "exchange", base, "save", returns[0]["id"], "-o", saved)
    assert code == 0 and saved.read_bytes()[:2] == b"PK"
    code, data = json_answer(capsys, "exchange", base, "save", kinds["subtree"]["id"], "-o", tmp_path / "x")
    assert (code, data["errors"][0]["code"]) == (2, "no_attachment")


def test_export_at_the_grassroots_needs_no_org_and_the_office_is_told_which(office: Path, tmp_path: Path,
                                                                           capsys) -> None:  # type: ignore[no-untyped-def]
    """A grassroots database is one body: `export` without --org was refused «Thiếu tham số bắt buộc: --org.» though
    only CS001 could be meant. At the office --org is still needed, and the refusal names the enrolled bodies."""
    secret, key = tmp_path / "matkhau.txt", tmp_path / "khoa.txt"
    secret.write_text("mật khẩu gói khởi tạo\n", encoding="utf-8")
    key.write_text("mật khẩu khóa của cơ sở\n", encoding="utf-8")
    starter, base, down = tmp_path / "khoi-tao.khoipkg", tmp_path / "co-so.db", tmp_path / "xuong.khoipkg"
    code, data = json_answer(capsys, "exchange", office, "export", "-o", down)
    assert (code, data["errors"][0]["code"]) == (2, "org_needed") and not down.exists()
    assert "chưa tổ chức nào được cấp gói khởi tạo" in data["errors"][0]["message"]
    assert json_answer(capsys, "exchange", office, "enroll", "--org", "cs001", "-o", starter,
                       "--passphrase-file", secret)[0] == 0
    assert json_answer(capsys, "exchange", base, "init", starter, "--passphrase-file", secret,
                       "--key-passphrase-file", key)[0] == 0
    up = tmp_path / "len.khoipkg"
    code, data = json_answer(capsys, "exchange", base, "export", "-o", up, "--key-passphrase-file", key)
    assert (code, data["sequence"]) == (0, 1) and up.exists(), data
    code, data = json_answer(capsys, "exchange", base, "export", "--org", "CS002", "-o", tmp_path / "x.khoipkg",
                             "--key-passphrase-file", key)
    assert (code, data["errors"][0]["code"]) == (2, "wrong_org")
    code, data = json_answer(capsys, "exchange", office, "export", "-o", down)
    assert (code, data["errors"][0]["code"]) == (2, "org_needed") and not down.exists()
    assert "hãy ghi --org MÃ (các tổ chức đã được cấp gói khởi tạo: CS001)" in data["errors"][0]["message"]
    code, data = json_answer(capsys, "exchange", office, "export", "--org", "cs001", "-o", down)
    assert (code, data["sequence"]) == (0, 1)


def test_a_package_goes_into_a_new_folder_only_inside_one_that_exists(office: Path, tmp_path: Path,
                                                                       capsys) -> None:  # type: ignore[no-untyped-def]
    """`enroll -o E:\\GoiMoi\\x.khoipkg` failed «Không ghi được tệp … không có thư mục» for a new folder on the
    stick; as export -o now. A missing parent is refused and nothing is recorded as sent."""
    secret = tmp_path / "matkhau.txt"
    secret.write_text("mật khẩu gói khởi tạo\n", encoding="utf-8")
    code, data = json_answer(capsys, "exchange", office, "enroll", "--org", "CS001", "-o",
                             tmp_path / "goi-moi" / "khoi-tao.khoipkg", "--passphrase-file", secret)
    assert code == 0 and (tmp_path / "goi-moi" / "khoi-tao.khoipkg").exists(), data
    code, data = json_answer(capsys, "exchange", office, "export", "--org", "CS001", "-o",
                             tmp_path / "khong-co" / "x" / "xuong.khoipkg")
    assert (code, data["errors"][0]["code"]) == (2, "no_directory") and not (tmp_path / "khong-co").exists()
    code, data = json_answer(capsys, "exchange", office, "export", "--org", "CS001", "-o",
                             tmp_path / "xuong" / "xuong.khoipkg")
    assert (code, data["sequence"]) == (0, 1)  # the refused one took no number
