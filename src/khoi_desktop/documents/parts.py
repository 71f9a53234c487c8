"""Texts the PDF and Word copies share: NFC content, recipient punctuation, attachment notes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from typing import Any

from khoi_desktop.core.decision_content import DecisionContent, PrintInfo, document_code
from khoi_desktop.core.wording.compounds import DEFAULT_COMPOUNDS
from khoi_desktop.documents import layout

_TERM_RANGE = re.compile(r"(\d{4}) ([-–]) (\d{4})")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_PURPOSE = re.compile(r"\(để [^()]*\)")  # «(để báo cáo)», «(để phối hợp)» at the end of a recipient
DRAFT_BLANK = "……"  # where the clerk writes the number and the date by hand


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        # NFD marks print detached in reportlab; line breaks in body names are kept.
        # Runs of ordinary white space become one space; no-break spaces are kept.
        text = "\n".join(_SPACES.sub(" ", unicodedata.normalize("NFC", line)).strip(" ")
                         for line in value.split("\n"))
        return _TERM_RANGE.sub("\\1\u00a0\\2\u00a0\\3", text)  # "2025 - 2030" never breaks across lines
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _nfc(getattr(value, f.name))
                                             for f in dataclasses.fields(value)})
    return value


def nfc_content(content: DecisionContent) -> DecisionContent:
    result: DecisionContent = _nfc(content)
    return result


def prefixed(line: str) -> str:
    """Căn cứ and 'Xét …' lines as party decisions print them: '- Căn cứ …'."""
    return line if line.startswith(("-", "–")) else layout.CAN_CU_PREFIX + line


def preamble_lines(content: DecisionContent) -> list[str]:
    """The lines above the articles. A decision's căn cứ and 'Xét …' lines each take a dash; a document
    without the enacting formula (a giấy giới thiệu) carries its own body there, printed as written
    ('Kính gửi: …' never starts with a dash)."""
    lines = content.can_cu + content.basis
    return [prefixed(line) for line in lines] if content.enacting.strip() else lines


def recipient_lines(recipients: list[str]) -> list[str]:
    """'- Như Điều 3,' … '- Lưu Văn phòng.': a comma after each, a full stop after the last."""
    lines = []
    for index, text in enumerate(recipients):
        text = text.lstrip("-– ").rstrip()
        last = index == len(recipients) - 1
        if text and text[-1] not in ",.;:":
            text += "." if last else ","
        # The narrow column broke «(để» / «báo cáo),»: the purpose stays on one line with its brackets.
        text = _PURPOSE.sub(lambda m: m[0].replace(" ", "\u00a0"), text)
        lines.append(f"- {text}")
    return lines


def enacting_lines(enacting: str) -> list[str]:
    """'BAN THƯỜNG VỤ … QUYẾT ĐỊNH' breaks before 'QUYẾT ĐỊNH' when it needs two lines."""
    head, sep, tail = enacting.rpartition(" QUYẾT ĐỊNH")
    if sep and not tail.strip():
        return [head, "QUYẾT ĐỊNH"]
    return [enacting]


def attachment_note(content: DecisionContent, info: PrintInfo) -> str:
    """'(Kèm theo Quyết định số 12-QĐ/ĐUK, ngày 05/03/2020 của Ban Thường vụ Đảng ủy Khối …)'; on a draft
    the number and the date are dotted blanks a clerk can write in."""
    header = content.header
    if info.code:
        number = info.code
    elif info.number is None:
        number = f"{DRAFT_BLANK}-{header.doc_type_code}/{header.issuer_code}"
    else:
        number = document_code(info.number, header.doc_type_code, header.issuer_code)
    if info.issued_on is None:
        year = info.made_at.year if info.made_at is not None else dt.date.today().year
        day = f"{DRAFT_BLANK}/{DRAFT_BLANK}/{year}"
    else:
        day = info.issued_on.strftime("%d/%m/%Y")
    title = content.title[:1] + content.title[1:].lower()
    by = f" của {content.decided_by}" if content.decided_by else ""
    return f"(Kèm theo {title} số {number}, ngày {day}{by})"


def compounds(content: DecisionContent) -> tuple[str, ...]:
    """What a subject line or a list title must not split: the defaults and the office's own."""
    return (*DEFAULT_COMPOUNDS, *content.keep_together)


def article_label(index: int) -> str:
    return f"Điều {index}."


def tear_off_note(content: DecisionContent, info: PrintInfo) -> str:
    """The document a tear-off slip answers: '(Theo Giấy giới thiệu sinh hoạt đảng số …, ngày … của …)'."""
    return attachment_note(content, info).replace("(Kèm theo ", "(Theo ", 1)
