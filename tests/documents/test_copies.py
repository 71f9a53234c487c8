"""Issued copies are immutable: the PDF stored at issue, checked by its SHA-256, returned on every reprint."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

import khoi_desktop.core.workflows  # noqa: F401  (registers its effects before the no-op ones below)
from khoi_desktop.core import decisions
from khoi_desktop.core.db import Database
from khoi_desktop.core.decision_content import PrintInfo
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.models import Decision
from khoi_desktop.core.office import create_office
from khoi_desktop.core.register import register_rows
from khoi_desktop.core.settings import OfficeSettings
from khoi_desktop.documents.copies import decision_docx, decision_pdf
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.documents.sample import sample_content
from khoi_desktop.spreadsheets.exports import register_workbook

ISSUED_ON = dt.date(2020, 3, 5)


@pytest.fixture
def office(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    with db.writing() as session:
        create_office(session, OfficeSettings(), term="2020-2025", term_starts_on=dt.date(2020, 1, 1), actor="test")
    return db


def draft(db: Database, action: str = "split", subject: str | None = None) -> int:
    with db.writing() as session:
        decision = decisions.create_draft(session, action=action, content=sample_content(subject=subject),
                                          request_json=None, effective_on=None, actor="test")
        return decision.id


def issue(db: Database, decision_id: int, on: dt.date = ISSUED_ON) -> None:
    with db.writing() as session:
        decisions.issue(session, session.get(Decision, decision_id), on=on, actor="test", render=render_pdf,
                        effect=None)


def test_issue_stores_the_pdf_and_reprints_return_the_same_bytes(office: Database) -> None:
    decision_id = draft(office)
    issue(office, decision_id)
    with office.reading() as session:
        decision = session.get(Decision, decision_id)
        assert decision.code == "01-QĐ/ĐUK"
        stored = decision.pdf
        assert stored and decision.pdf_sha256 == hashlib.sha256(stored).hexdigest()
        assert stored == render_pdf(sample_content(), PrintInfo(1, ISSUED_ON, draft=False))
        assert decision_pdf(session, decision) == stored
        assert decision_pdf(session, decision) == stored


def test_a_tampered_copy_is_refused(office: Database) -> None:
    decision_id = draft(office)
    issue(office, decision_id)
    with office.writing() as session:
        decision = session.get(Decision, decision_id)
        middle = len(decision.pdf) // 2
        decision.pdf = decision.pdf[:middle] + bytes([decision.pdf[middle] ^ 1]) + decision.pdf[middle + 1:]
    with office.reading() as session, pytest.raises(KhoiError) as refused:
        decision_pdf(session, session.get(Decision, decision_id))
    assert refused.value.code == "pdf_tampered" and "SHA-256" in refused.value.message


def test_a_draft_is_rendered_fresh_with_the_mark(office: Database) -> None:
    decision_id = draft(office)
    with office.reading() as session:
        decision = session.get(Decision, decision_id)
        pdf = decision_pdf(session, decision)
        assert pdf == render_pdf(sample_content(), PrintInfo(None, None, draft=True, made_at=decision.created_at))
        assert decision_docx(session, decision)[:2] == b"PK"


def test_an_issued_decision_without_a_stored_copy_renders_the_same_each_time(office: Database) -> None:
    decision_id = draft(office)
    issue(office, decision_id)
    with office.writing() as session:  # a row from before copies were stored at issue
        decision = session.get(Decision, decision_id)
        assert decision.pdf is not None
        decision.pdf = decision.pdf_sha256 = None
    with office.reading() as session:
        decision = session.get(Decision, decision_id)
        assert decision_pdf(session, decision) == decision_pdf(session, decision)


def test_outgoing_register_filters(office: Database) -> None:
    first = draft(office, "split")
    second = draft(office, "found", subject="về việc thành lập Chi bộ Kho bạc Nhà nước tỉnh")
    draft(office, "found", subject="về việc thành lập Chi bộ chưa ban hành")
    issue(office, first, dt.date(2020, 3, 5))
    issue(office, second, dt.date(2021, 6, 1))
    with office.reading() as session:
        rows = register_rows(session)
        assert [r.code for r in rows] == ["01-QĐ/ĐUK", "02-QĐ/ĐUK"]  # drafts are not in the register
        # The sample prints the office's list, as written in the settings («… Đảng ủy Khối.»).
        assert rows[0].recipients[-1] == "Lưu Văn phòng Đảng ủy Khối." and rows[0].signer == "Nguyễn Văn Hùng"
        assert [r.code for r in register_rows(session, action="found")] == ["02-QĐ/ĐUK"]
        assert [r.code for r in register_rows(session, text="kho bac")] == ["02-QĐ/ĐUK"]
        assert [r.code for r in register_rows(session, date_from=dt.date(2020, 1, 1),
                                              date_to=dt.date(2020, 12, 31))] == ["01-QĐ/ĐUK"]
        assert register_rows(session, term="2025-2030") == []
        assert len(register_rows(session, term="2020-2025")) == 2
    with office.reading() as session:
        data = register_workbook(session, rows, "Nhiệm kỳ 2020-2025")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(data)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    first = cells["01-QĐ/ĐUK"]
    assert sheet.cell(first.row, first.column + 1).value.date() == dt.date(2020, 3, 5)
    assert "Nhiệm kỳ 2020-2025" in cells and "Tổng số: 2 văn bản" in cells
    assert "- Lưu Văn phòng Đảng ủy Khối" in sheet.cell(first.row, first.column + 5).value
