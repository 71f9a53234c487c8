"""Texts the PDF and Word copies share: NFC content, recipient punctuation, attachment notes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from typing import Any

from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
from khoi_desktop.documents import layout
from khoi_desktop.documents.header import number_text

_TERM_RANGE = re.compile(r"(\d{4}) ([-–]) (\d{4})")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        # NFD marks print detached in reportlab; line breaks in body names are kept.
        text = "\n".join(" ".join(unicodedata.normalize("NFC", line).split()) for line in value.split("\n"))
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


def recipient_lines(recipients: list[str]) -> list[str]:
    """'- Như Điều 3,' … '- Lưu Văn phòng.': a comma after each, a full stop after the last."""
    lines = []
    for index, text in enumerate(recipients):
        text = text.lstrip("-– ").rstrip()
        last = index == len(recipients) - 1
        if text and text[-1] not in ",.;:":
            text += "." if last else ","
        lines.append(f"- {text}")
    return lines


def enacting_lines(enacting: str) -> list[str]:
    """'BAN THƯỜNG VỤ … QUYẾT ĐỊNH' breaks before 'QUYẾT ĐỊNH' when it needs two lines."""
    head, sep, tail = enacting.rpartition(" QUYẾT ĐỊNH")
    if sep and not tail.strip():
        return [head, "QUYẾT ĐỊNH"]
    return [enacting]


def attachment_note(content: DecisionContent, info: PrintInfo) -> str:
    """'(Kèm theo Quyết định số 12-QĐ/ĐUK, ngày 05/03/2020 của Ban Thường vụ …)'."""
    number = number_text(content.header, info).removeprefix("Số ")
    if info.issued_on is None:
        blank = layout.DRAFT_BLANK_DAY
        day = f"{blank}/{blank}/"
        year = str(dt.date.today().year)
    else:
        day = info.issued_on.strftime("%d/%m/")
        year = str(info.issued_on.year)
    title = content.title[:1] + content.title[1:].lower()
    return f"(Kèm theo {title} số {number}, ngày {day}{year})"


def article_label(index: int) -> str:
    return f"Điều {index}."
