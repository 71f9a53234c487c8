"""Page geometry and type sizes of a party decision (DOMAIN.md §4, Hướng dẫn 36-HD/VPTW).

Lengths are in points (1/72 inch) unless the name ends in _MM.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

# Header: two blocks side by side, each centred in its column.
HEADER_LEFT_WIDTH = 80 * mm
HEADER_GAP = 3 * mm
HEADER_RIGHT_WIDTH = FRAME_WIDTH - HEADER_LEFT_WIDTH - HEADER_GAP
HEADER_MIN_GAP = 5 * mm  # between the "Số" line and a long place-and-date line
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
PARTY_NAME_SIZE = 15
PARTY_RULE_WIDTH = 0.6  # line width of the rule under the party name
SUPERIOR_SIZE = 14
ISSUER_SIZE = 14
NUMBER_SIZE = 14
DATE_SIZE = 14
# A header line too long for its column is set slightly smaller rather than wrapped.
HEADER_MIN_SIZE = 12.5
# A body name is shrunk down to this size before it is ever wrapped anywhere but at the administrator's
# line breaks.
HEADER_SHRINK_FLOOR = 11
DATE_MIN_SIZE = 11
HEADER_LEADING = 1.2  # line height / font size in the header

TITLE_SIZE = 16
SUBJECT_SIZE = 14
SUBJECT_RULE_WIDTH = 30 * mm
SUBJECT_WIDTH = FRAME_WIDTH - 20 * mm  # subject lines and attachment titles are balanced within this
BODY_SIZE = 14
BODY_LEADING = 1.25
BODY_INDENT = 10 * mm  # first line of each body paragraph
PARAGRAPH_SPACE = 4  # points after each body paragraph
CAN_CU_PREFIX = "- "

# Recipients (left) and signature (right) side by side under the body.
RECIPIENTS_WIDTH = 80 * mm
SIGNATURE_WIDTH = FRAME_WIDTH - RECIPIENTS_WIDTH
RECIPIENTS_TITLE_SIZE = 12
RECIPIENT_SIZE = 11
SIGNATURE_SIZE = 14
SIGNATURE_SPACE = 28 * mm  # room for the hand signature and the seal

PAGE_NUMBER_SIZE = 13
PAGE_NUMBER_Y = PAGE_HEIGHT - 12 * mm  # baseline, centred at the top, from page 2

DRAFT_MARK = "DỰ THẢO"
DRAFT_MARK_SIZE = 14

ATTACHMENT_TITLE_SIZE = 14
ATTACHMENT_NOTE_SIZE = 13
TABLE_SIZE = 12
# Widths (mm) of the standard member-list columns (core.decision_content.ATTACHMENT_COLUMNS).
STANDARD_COLUMN_WIDTHS_MM = [14, 47, 25, 51, 28]
STT_WIDTH_MM = 14

DRAFT_BLANK_NUMBER = "      "  # "Số      -QĐ/ĐUK"
DRAFT_BLANK_DAY = "    "  # "ngày    tháng    năm 2026"


def column_widths(columns: list[str]) -> list[float]:
    """Widths (points) of a list's columns, the same in the PDF and the Word copy: the standard
    member list as drawn up, else a narrow STT and the rest shared evenly."""
    if len(columns) == len(STANDARD_COLUMN_WIDTHS_MM):
        return [w * mm for w in STANDARD_COLUMN_WIDTHS_MM]
    if columns and columns[0] == "STT":
        rest = (FRAME_WIDTH - STT_WIDTH_MM * mm) / max(1, len(columns) - 1)
        return [STT_WIDTH_MM * mm] + [rest] * (len(columns) - 1)
    return [FRAME_WIDTH / max(1, len(columns))] * len(columns)
