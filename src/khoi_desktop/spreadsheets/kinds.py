"""The kinds of Excel export, apart from the writers: the command line's parser and the GUI's menus name
them without loading a spreadsheet library."""

from __future__ import annotations

import enum


class ExportKind(enum.StrEnum):
    MEMBERS = "members"
    ORGANIZATIONS = "organizations"
    REGISTER = "register"
    RECORDED = "recorded"
    BIEU1 = "bieu1"
    BIEU5 = "bieu5"
    BADGES = "badges"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def uses_period(self) -> bool:
        return self in (ExportKind.BIEU1, ExportKind.REGISTER, ExportKind.RECORDED)


_LABELS = {
    ExportKind.MEMBERS: "Danh sách đảng viên",
    ExportKind.ORGANIZATIONS: "Danh sách tổ chức đảng và số đảng viên",
    ExportKind.REGISTER: "Sổ đăng ký văn bản đi",
    ExportKind.RECORDED: "Sổ ghi nhận quyết định của đảng ủy cơ sở",
    ExportKind.BIEU1: "Biểu 1: Tăng, giảm đảng viên",
    ExportKind.BIEU5: "Biểu 5: Tổ chức đảng và đảng viên theo loại hình",
    ExportKind.BADGES: "Danh sách đề nghị tặng Huy hiệu Đảng",
}
