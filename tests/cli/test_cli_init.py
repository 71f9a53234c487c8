"""`init`: a new, empty office from the command line (what the GUI's first start makes), then used as CLI.md
says: organizations received, a decision issued, `check` clean. Refusals leave nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from cli_support import checked_json, secret_file, write_request
from khoi_desktop.core.auth import passwords
from khoi_desktop.core.backup import storage
from khoi_desktop.core.backup.storage import StorageKind
from khoi_desktop.core.keyslots.opening import is_encrypted


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                              type=Type.ID))


def _member(family: str, middle: str, given: str, born: str, status: str = "chinh_thuc",
            admitted: str = "2010-03-04") -> dict[str, str]:
    return {"family_name": family, "middle_name": middle, "given_name": given, "birth_date": born, "sex": "nam",
            "status": status, "admitted_on": admitted}


@pytest.mark.parametrize("plain", [False, True])
def test_init_makes_an_empty_office_that_the_contract_then_works_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], plain: bool) -> None:
    office = tmp_path / "van-phong.db"
    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    made = checked_json(capsys, "init", office, "--admin", "quantri", "--full-name", "Trần Quản Trị",
                        "--password-file", password, "--secretary", "Lê Văn Bí", "--deputy", "Trần Thị Phó",
                        "--issuing-body", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN|TỈNH BẮC NINH", "--place", "Bắc Ninh",
                        "--term", "2025-2030", "--term-start", "2025-10-01", *(["--unencrypted"] if plain else []))
    assert made["ok"] and made["admin"] == "quantri" and made["encrypted"] is not plain
    assert is_encrypted(office) is not plain and (made["recovery_key"] is None) is plain
    sign = ["--user", "quantri", "--password-file", str(password)]
    stats = checked_json(capsys, *sign, "stats", office)
    assert stats["tccsd"] == 0 and stats["members"] == 0
    request = write_request(tmp_path, {
        "action": "receive", "from_body": "Đảng ủy Khối Doanh nghiệp tỉnh", "parent": None, "orgs": [
            {"name": "Chi bộ Sở Tư pháp", "kind": "chi_bo_co_so", "members": [
                _member("Nguyễn", "Văn", "An", "1980-01-02"), _member("Trần", "Văn", "Bình", "1985-05-06"),
                _member("Lê", "Văn", "Cường", "1990-07-08")]}]})
    issued = checked_json(capsys, *sign, "apply", office, request, "--issue")
    assert issued["decision"]["number"] == 1 and issued["decision"]["code"].endswith("-QĐ/ĐUK")
    assert checked_json(capsys, *sign, "check", office)["findings"] == []
    orgs = checked_json(capsys, *sign, "orgs", office)["orgs"]
    assert [(o["name"], o["members"]) for o in orgs] == [("Chi bộ Sở Tư pháp", 3)]
    decisions = checked_json(capsys, *sign, "decisions", office, "--term", "2025-2030")["decisions"]
    assert len(decisions) == 1 and decisions[0]["status"] == "issued"


def test_init_refusals_are_vietnamese_with_codes_and_leave_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    base = ["--admin", "quantri", "--password-file", password, "--secretary", "Lê Văn Bí"]

    def refused(path: Path, *extra: object) -> dict[str, str]:
        answer = checked_json(capsys, "init", path, *base, *extra, expect=2)
        return answer["errors"][0]  # type: ignore[no-any-return]

    existing = tmp_path / "co-roi.db"
    existing.write_bytes(b"")
    assert refused(existing)["code"] == "file_exists" and existing.read_bytes() == b""
    assert refused(tmp_path / "danh-sach.xlsx")["code"] == "bad_file_name"
    assert refused(tmp_path)["code"] == "is_directory"
    fresh = tmp_path / "moi.db"
    error = refused(fresh, "--term", "2025")
    assert error["code"] == "invalid_term" and "2025-2030" in error["message"]
    for start in ("2031-01-01", "2020-10-01"):  # a term saved ending before it began
        error = refused(fresh, "--term", "2025-2030", "--term-start", start, "--unencrypted")
        assert error["code"] == "invalid_term" and "phải trong năm 2025" in error["message"], error
    assert not fresh.exists()
    assert refused(fresh, "--admin", "quản trị")["code"] == "invalid_username"
    assert checked_json(capsys, "init", fresh, "--admin", "qt", "--password-file", password,
                        expect=2)["errors"][0]["code"] == "missing_signer"
    monkeypatch.setattr(storage, "probe", lambda _p: StorageKind.REMOVABLE)
    error = refused(fresh)
    assert error["code"] == "unsafe_location" and "USB" in error["message"]
    monkeypatch.setattr(storage, "probe", lambda _p: StorageKind.NETWORK)
    assert refused(fresh)["code"] == "unsafe_location"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["co-roi.db", "pw.txt"]


def test_a_new_office_s_folder_is_made_only_inside_one_that_exists(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """`init D:\\Khoi\\2026\\khoi.db` with «D:\\Khoi» mistyped made every missing folder silently (as did `demo`);
    now, as `export -o` and `restore --to`: one missing folder is made and said, a missing parent is refused."""
    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    init = ["init", "--admin", "quantri", "--password-file", password, "--secretary", "Lê Văn Bí", "--unencrypted"]
    typo = tmp_path / "Khoii" / "2026" / "khoi.db"
    refused = checked_json(capsys, init[0], typo, *init[1:], expect=2)
    assert refused["errors"][0]["code"] == "no_directory" and not typo.parent.parent.exists()
    refused = checked_json(capsys, init[0], tmp_path / "moi" / "khoi.db", "--admin", "q", *init[2:], expect=2)
    assert not (tmp_path / "moi").exists()  # refused on the way (a bad account name): no empty folder left
    made = checked_json(capsys, init[0], tmp_path / "moi" / "khoi.db", *init[1:])
    assert made["created_folder"] == str(tmp_path / "moi") and (tmp_path / "moi" / "khoi.db").exists()
    refused = checked_json(capsys, "demo", typo, expect=2)
    assert refused["errors"][0]["code"] == "no_directory" and not typo.parent.parent.exists()


def test_init_says_which_names_are_defaults_and_how_to_give_them(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Without --issuing-body, `init` printed «Cơ quan ban hành: ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN» as if it
    had been given: it is said to be the default, with the option that gives it (nothing changes it later)."""
    from khoi_desktop.__main__ import main

    password = secret_file(tmp_path, "pw.txt", "mat-khau-qt-1")
    office = tmp_path / "van-phong.db"
    assert main(["init", str(office), "--admin", "quantri", "--password-file", str(password), "--secretary",
                 "Lê Văn Bí", "--place", "Bắc Ninh", "--unencrypted"]) == 0
    out = capsys.readouterr().out
    assert "Cơ quan ban hành (mặc định): ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN; ký hiệu QĐ/ĐUK" in out
    assert ("Chưa ghi nên dùng tên mặc định: cấp ủy cấp trên «ĐẢNG BỘ TỈNH THÁI NGUYÊN» (--superior-body), cơ quan "
            "ban hành «ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH THÁI NGUYÊN» (--issuing-body), tên ngắn") in out
    assert "địa danh" not in out  # given
    assert (f"không sửa được sau khi tạo: nếu chưa đúng, hãy xóa tệp vừa tạo ({office}, còn trống) rồi chạy lại lệnh "
            "init với các tùy chọn trên.") in out
    given = checked_json(capsys, "init", tmp_path / "khac.db", "--admin", "quantri", "--password-file", password,
                         "--secretary", "Lê Văn Bí", "--issuing-body", "ĐẢNG ỦY KHỐI X|TỈNH Y", "--unencrypted")
    assert given["defaults"]["superior_body"] == "ĐẢNG BỘ TỈNH THÁI NGUYÊN" and "issuing_body" not in given["defaults"]
