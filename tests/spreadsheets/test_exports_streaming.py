"""Exports stream to a file beside the target: complete or absent, with progress, and a cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factories import add_members, add_org
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import OrgKind
from khoi_desktop.spreadsheets.exports import ExportCancelled, ExportOptions, export

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def office(db: Database) -> Database:
    with db.writing() as s:
        add_members(s, add_org(s, "CS01", "Chi bộ Ban Dân tộc", OrgKind.CHI_BO_CO_SO), 1200)
    return db


def test_progress_counts_every_row(office: Database, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with office.reading() as session:
        result = export(session, "members", tmp_path / "ds.xlsx", ExportOptions(today=TODAY),
                        progress=lambda done, total: seen.append((done, total)))
    assert result.rows == 1200
    assert seen[0] == (0, 1200) and (500, 1200) in seen and seen[-1] == (1200, 1200)


def test_cancel_keeps_the_previous_file_and_leaves_nothing_else(office: Database, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "ds.xlsx"
    target.write_bytes(b"the clerk's earlier export")
    calls = iter(range(100))
    with office.reading() as session, pytest.raises(ExportCancelled, match="không có tệp nào được ghi"):
        export(session, "members", target, ExportOptions(today=TODAY), cancelled=lambda: next(calls) >= 1)
    assert target.read_bytes() == b"the clerk's earlier export"
    assert sorted(p.name for p in target.parent.iterdir()) == ["ds.xlsx"]


def test_streamed_rows_match_xlsxwriters_own(db: Database, tmp_path: Path) -> None:
    """A file's table rows are written as XML text (layout._raw_row); bytes for a window go through
    xlsxwriter cell by cell. Both readings of the same register must agree in every value and style."""
    import io
    import json

    from openpyxl import load_workbook

    from factories import add_decision
    from khoi_desktop.core.register import register_rows
    from khoi_desktop.spreadsheets.exports import register_workbook

    with db.writing() as s:
        for number, subject in enumerate([" có & <dấu> ", "về việc thành lập\nChi bộ A", "=1+1"], start=1):
            decision = add_decision(s, number, subject, issued_on=dt.date(2025, 2, number))
            decision.signer = "Nguyễn Văn Hùng"
            decision.content = json.dumps({"recipients": ["Như Điều 3", "Lưu VP"]}, ensure_ascii=False)
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    subtitle = "Từ ngày 01/01/2025 đến ngày 31/12/2025"
    with db.reading() as session:
        export(session, "register", tmp_path / "so.xlsx", ExportOptions(start=start, end=end, today=TODAY))
        data = register_workbook(session, register_rows(session, date_from=start, date_to=end), subtitle,
                                 today=TODAY)

    def cells(ws):  # type: ignore[no-untyped-def]
        return [[(c.value, c.data_type, c.number_format, c.font.b, c.alignment.wrap_text, c.alignment.indent,
                  bool(c.border.left.style)) for c in row] for row in ws.iter_rows()]

    streamed, in_memory = load_workbook(tmp_path / "so.xlsx").active, load_workbook(io.BytesIO(data)).active
    assert streamed is not None and in_memory is not None
    assert cells(streamed) == cells(in_memory)
    assert {r: d.height for r, d in streamed.row_dimensions.items() if r > 7 and d.height} == \
        {r: d.height for r, d in in_memory.row_dimensions.items() if r > 7 and d.height}
