"""Details of the selected member or organization, with its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTextBrowser, QWidget

from khoi_desktop.core.text import show_date

if TYPE_CHECKING:  # the window shows before the ORM loads
    from khoi_desktop.core.members import MemberDetail, SeatLine
    from khoi_desktop.core.organizations import OrgDetail


def escape(text: str) -> str:
    from html import escape as html_escape  # with the first detail shown: html loads its entity tables

    return html_escape(text)


_STYLE = """<style>
h3 { margin: 0 0 6px 0; } table.f td { padding: 1px 8px 1px 0; } td.l { color: #555; }
table.h { border-collapse: collapse; margin-top: 4px; } table.h th { background: #eee; text-align: left; }
table.h td, table.h th { border: 1px solid #ccc; padding: 2px 6px; } p.s { margin: 10px 0 2px 0; font-weight: bold; }
</style>"""


def _period(start, end) -> str:  # type: ignore[no-untyped-def]
    return f"{show_date(start)} – {show_date(end) if end else 'nay'}"


def _fields(fields: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><td class='l'>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in fields if v)
    return f"<table class='f'>{rows}</table>"


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"<p><i>{escape(empty)}</i></p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table class='h'><tr>{head}</tr>{body}</table>"


def _seat_rows(seats: list[SeatLine], who: str) -> list[list[str]]:
    return [[getattr(s, who), s.role_label, s.term, _period(s.valid_from, s.valid_to), s.decision or ""] for s in seats]


def member_html(detail: MemberDetail) -> str:
    history = [[h.org_name, _period(h.valid_from, h.valid_to), h.decision or ""] for h in detail.history]
    return (
        _STYLE + f"<h3>{escape(detail.full_name)}</h3>" + _fields(detail.fields)
        + "<p class='s'>Quá trình sinh hoạt đảng</p>"
        + _table(["Tổ chức đảng", "Thời gian", "Quyết định"], history, "Chưa có.")
        + "<p class='s'>Tham gia cấp ủy</p>"
        + _table(["Tổ chức", "Chức vụ", "Nhiệm kỳ", "Thời gian", "Quyết định"], _seat_rows(detail.seats, "org_name"),
                 "Không tham gia cấp ủy.")
        + "<p class='s'>Diễn biến</p>"
        + _table(["Ngày", "Sự kiện", "Quyết định"],
                 [[show_date(t.on), t.what, t.decision or ""] for t in detail.timeline], "Chưa có.")
    )


def org_html(detail: OrgDetail) -> str:
    placements = [[p.parent_name, _period(p.valid_from, p.valid_to), p.decision or ""] for p in detail.placements]
    return (
        _STYLE + f"<h3>{escape(detail.name)}</h3>" + _fields(detail.fields)
        + "<p class='s'>Cấp ủy hiện tại</p>"
        + _table(["Họ và tên", "Chức vụ", "Nhiệm kỳ", "Thời gian", "Quyết định"],
                 _seat_rows(detail.committee, "member_name"), "Chưa có cấp ủy vào ngày này.")
        + "<p class='s'>Trực thuộc</p>" + _table(["Cấp trên", "Thời gian", "Quyết định"], placements, "Chưa có.")
        + "<p class='s'>Cấp ủy các nhiệm kỳ trước</p>"
        + _table(["Họ và tên", "Chức vụ", "Nhiệm kỳ", "Thời gian", "Quyết định"],
                 _seat_rows(detail.past_seats, "member_name"), "Không có.")
    )


class DetailsPanel(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("details")
        self.setOpenLinks(False)
        self.show_placeholder()

    def show_placeholder(self) -> None:
        self.setHtml("<p style='color:#777'>Chọn một tổ chức hoặc một đảng viên để xem chi tiết.</p>")

    def show_member(self, detail: MemberDetail) -> None:
        self.setHtml(member_html(detail))

    def show_org(self, detail: OrgDetail) -> None:
        self.setHtml(org_html(detail))
