"""The outgoing register (sổ đăng ký văn bản đi): every issued document with number, date, subject,
signer and recipients; filtered by term, action and date range; exported to Excel."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.models import Decision, DecisionStatus, Term
from khoi_desktop.core.text import fold
from khoi_desktop.documents.templates import ACTION_LABELS


@dataclass(frozen=True)
class RegisterRow:
    id: int
    number: int | None
    code: str | None
    issued_on: dt.date | None
    doc_type: str
    action: str
    subject: str
    signer: str
    recipients: tuple[str, ...]
    term: str | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def _recipients(content: str) -> tuple[str, ...]:
    try:
        return tuple(json.loads(content).get("recipients", []))
    except (ValueError, AttributeError):
        return ()


def register_rows(session: Session, *, term: str | None = None, text: str | None = None,
                  action: str | None = None, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> list[RegisterRow]:
    query = select(Decision, Term.name).outerjoin(Term, Term.id == Decision.term_id).where(
        Decision.status == DecisionStatus.ISSUED)
    if term:
        query = query.where(Term.name == term)
    if action:
        query = query.where(Decision.action == action)
    if date_from:
        query = query.where(Decision.issued_on >= date_from)
    if date_to:
        query = query.where(Decision.issued_on <= date_to)
    query = query.order_by(Decision.issued_on, Decision.number, Decision.id)
    needle = fold(text)
    rows = []
    for decision, term_name in session.execute(query):
        row = RegisterRow(decision.id, decision.number, decision.code, decision.issued_on, decision.doc_type,
                          decision.action, decision.subject, decision.signer or "",
                          _recipients(decision.content), term_name)
        if needle and needle not in fold(" ".join([row.code or "", row.subject, row.signer, *row.recipients])):
            continue
        rows.append(row)
    return rows


def term_names(session: Session) -> list[str]:
    return list(session.scalars(select(Term.name).order_by(Term.starts_on.desc())))


HEADINGS = ["Số", "Ký hiệu", "Ngày ban hành", "Loại văn bản", "Loại quyết định", "Trích yếu", "Người ký",
            "Nơi nhận", "Nhiệm kỳ"]
_WIDTHS = [7, 16, 14, 12, 22, 60, 22, 45, 12]


def register_xlsx(rows: list[RegisterRow], *, title: str = "SỔ ĐĂNG KÝ VĂN BẢN ĐI") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADINGS)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for row in rows:
        sheet.append([row.number, row.code, row.issued_on, row.doc_type, row.action_label, row.subject,
                      row.signer, "\n".join(f"- {r}" for r in row.recipients), row.term])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
        sheet.cell(sheet.max_row, 3).number_format = "DD/MM/YYYY"
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(2, index).column_letter].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
