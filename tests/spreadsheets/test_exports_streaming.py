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
