"""One condition, one code and one wording: an organization or a member that does not exist."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import khoi_desktop
from factories import add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core.audit_log import AuditFilter, audit_entries
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import KhoiError, MemberNotFound, OrgNotFound
from khoi_desktop.core.members import member_detail
from khoi_desktop.core.organizations import org_by_code, org_detail

SOURCE = Path(khoi_desktop.__file__).parent


WORDINGS = ("Không có tổ chức đảng", "Không có đảng viên mã", "Không tìm thấy tệp cơ sở dữ liệu",
            "Không ghi được tệp", "Không tìm thấy tệp {")


def test_the_wording_is_written_once() -> None:
    faces = [p for p in SOURCE.rglob("*.py") if "gui" not in p.relative_to(SOURCE).parts]  # dialogs word their own
    places = {wording: sorted(str(p.relative_to(SOURCE)) for p in faces if wording in p.read_text(encoding="utf-8"))
              for wording in WORDINGS}
    assert places == dict.fromkeys(WORDINGS, ["core/errors.py"])


def _raised(call) -> KhoiError:  # type: ignore[no-untyped-def]
    with pytest.raises(KhoiError) as caught:
        call()
    return caught.value


def test_core_reports_a_missing_organization_or_member_the_same_way(db: Database) -> None:
    with db.writing() as s:
        add_members(s, add_org(s, "CB01", "Chi bộ Văn phòng", "chi_bo_co_so"), 2)
    with db.reading() as s:
        errors = [_raised(lambda: org_by_code(s, "XX")), _raised(lambda: org_detail(s, 999, dt.date.today(), "Khối")),
                  _raised(lambda: audit_entries(s, AuditFilter(org_code="XX")))]
        member = _raised(lambda: member_detail(s, "DV404", dt.date.today()))
    assert [e.code for e in errors] == ["org_not_found"] * 3
    assert [e.message for e in errors] == ["Không có tổ chức đảng mã XX.", "Không có tổ chức đảng số 999.",
                                           "Không có tổ chức đảng mã XX."]
    assert all(isinstance(e, OrgNotFound) for e in errors)
    assert isinstance(member, MemberNotFound) and member.problem == ("member_not_found", "Không có đảng viên mã DV404.")


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_the_cli_json_carries_the_same_code_and_words(db: Database, capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    with db.writing() as s:
        add_members(s, add_org(s, "CB01", "Chi bộ Văn phòng", "chi_bo_co_so"), 2)
    db.close()
    out = tmp_path / "x.xlsx"
    for argv in (["members", str(db.path), "--org", "XX", "--as-of", "2025-01-02"],
                 ["export", str(db.path), "members", "-o", str(out), "--org", "XX", "--as-of", "2025-01-02"]):
        assert main([*argv, "--json"]) == 2
        errors = json.loads(capsys.readouterr().out)["errors"]
        # The core's words, then where the codes are listed (729a382: a code naming nothing says where to look)
        assert errors == [{"code": "org_not_found",
                           "message": "Không có tổ chức đảng mã XX (tính đến ngày 02/01/2025). "
                                      f"Xem mã các tổ chức: khoi-desktop orgs {db.path}"}]
