"""Hostile text at the seams, fuzzed: request JSON with control, bidi and surrogate characters, formula-like
and overlong names; spreadsheet cells likewise. A clear refusal or clean stored text; never a fault."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from fault_checks import file_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from khoi_desktop.__main__ import main
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.request_json import load_request
from khoi_desktop.core.requests import MULTILINE_FIELDS
from signin_support import signed_in

FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# What must never be stored: C0/C1 controls (tab and newline only in multi-line fields), bidi controls,
# lone surrogates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = ["\x00", "\x0b", "\x1b[31m", "\u202e", "\u2066", "\ud800", "\udfff", "\r\n", "\t", "\x85", "\u2028",
           "=", "+", "-", "@", "=HYPERLINK(\"http://x\")", "Đảng", "Chi bộ", " ", "ắ", "e\u0301"]


def hostile_text(max_size: int = 12) -> st.SearchStrategy[str]:
    pieces = st.sampled_from(HOSTILE) | st.text(max_size=3)
    return st.lists(pieces, max_size=max_size).map("".join) | st.just("Chi bộ " + "A" * 400)


def _strings(value: object, name: str = "") -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(name, value)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, name)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in _strings(getattr(value, f.name), f.name)]
    return []


@FUZZ
@given(name=hostile_text(), basis=hostile_text(), agency=hostile_text(), member=hostile_text(4))
def test_request_text_is_cleaned_or_refused(name: str, basis: str, agency: str, member: str) -> None:
    data = {"action": "found", "kind": "chi_bo_truc_thuoc", "name": name, "parent": "CS030", "agency": agency,
            "basis": basis, "members": [member]}
    try:
        request = load_request(json.dumps(data))  # ASCII JSON: surrogates travel as \\ud800 escapes
    except KhoiError as exc:
        exc.message.encode("utf-8")
        return
    for field, text in _strings(request):
        allowed = "\t\n" if field in MULTILINE_FIELDS else ""
        assert [ch for ch in FORBIDDEN.findall(text) if ch not in allowed] == [], (field, text)
        assert len(text) <= 4000
        if field not in MULTILINE_FIELDS and field != "action":
            assert not text.startswith(("=", "+", "-", "@")), (field, text)


def _sheet(path: Path, cells: list[object]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng", "Chức vụ", "Quê quán"])
    ws.append([1, *cells])
    for cell in ws[2]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, even when it looks like a formula
    wb.save(path)
    return path


# openpyxl refuses to write C0 controls; what a sheet can hold: bidi controls, line breaks, formulas, long text.
WRITABLE = [h for h in HOSTILE if not re.match("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", h)]
CELL_TEXT = st.lists(st.sampled_from(WRITABLE)
                     | st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=4),
                     max_size=10).map("".join)
CELL = CELL_TEXT | st.integers(-10, 10**13) | st.floats(allow_nan=False, allow_infinity=False) | st.none() \
    | st.dates().map(lambda d: d.strftime("%d/%m/%Y"))


def test_fuzzed_member_list_cells_never_fault(office: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    before = file_digest(office)

    @settings(FUZZ, max_examples=60)
    @given(cells=st.tuples(CELL, CELL, CELL, CELL, CELL, CELL))
    def check(cells: tuple[object, ...]) -> None:
        sheet = _sheet(tmp_path / "list.xlsx", list(cells))
        code = main([*signed_in(office), "import-members", str(office), str(sheet), "--org", "CB0278", "--dry-run",
                     "--json"])
        out, err = capsys.readouterr()
        assert code in (0, 2), (cells, out[-400:], err[-400:])
        assert "Traceback" not in out + err
        report = json.loads(out)
        for error in report.get("errors", []):
            assert not FORBIDDEN.search(json.dumps(error, ensure_ascii=False)), error

    check()
    assert file_digest(office) == before
