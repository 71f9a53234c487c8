"""One small wizard per member action: a short form, then the decision page (checked as the clerk types)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.member_events.requests import (
    ConfirmFull,
    EndExemption,
    Exempt,
    LeaveParty,
    LeaveReason,
    TransferMember,
)
from khoi_desktop.core.members import MemberRow
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import nfc
from khoi_desktop.gui.date_edits import DateEdit
from khoi_desktop.gui.workflows.form_wizards import FormPage
from khoi_desktop.gui.workflows.jobs import Saved
from khoi_desktop.gui.workflows.pickers import OrgPicker
from khoi_desktop.gui.workflows.request_wizard import RequestWizard, pydate, qdate

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

# The đảng ủy cơ sở decides its chi bộ's member actions only as authorized by this office (DOMAIN.md §2).
AUTHORIZED_ROLE = "đảng ủy cơ sở được ủy quyền kết nạp đảng viên"


def _date_edit(page: FormPage, name: str, day: dt.date | None = None) -> QDateEdit:
    edit = DateEdit(qdate(day or dt.date.today()), page)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


class _MemberWizard(RequestWizard):
    issuer_role = AUTHORIZED_ROLE

    def __init__(self, window: MainWindow, member: MemberRow, title: str, subtitle: str) -> None:
        super().__init__(window, f"{title} – {member.full_name}")
        self.member = member
        self.form_page = FormPage(self, title, f"Đảng viên {member.full_name} ({member.code}), "
                                          f"{member.org_name or 'chưa có chi bộ'}. {subtitle}".strip())
        self.on = _date_edit(self.form_page, "on")
        self.form_page.form.addRow("Kể từ ngày:", self.on)
        self.watch(self.on)

    def finish_pages(self) -> None:
        self.addPage(self.form_page)
        self.add_decision_page()

    def day(self) -> dt.date:
        return pydate(self.on.date())


class LeaveWizard(_MemberWizard):
    def __init__(self, window: MainWindow, member: MemberRow) -> None:
        super().__init__(window, member, "Ra khỏi danh sách đảng viên",
                         "Từ ngày này đảng viên không còn sinh hoạt.")
        self.reason = QComboBox(self.form_page)
        self.reason.setObjectName("reason")
        for reason in LeaveReason:
            self.reason.addItem(reason.label[:1].upper() + reason.label[1:], reason.value)
        # Nothing chosen until the clerk chooses: it opened on «Từ trần», so a member meant to be struck off
        # (xóa tên) or to leave at their request was recorded as deceased when the box was left as it was.
        self.reason.setPlaceholderText("Chọn lý do")
        self.reason.setCurrentIndex(-1)
        self.form_page.form.addRow("Lý do:", self.reason)
        self.watch(self.reason)
        self.finish_pages()

    def action_fields(self) -> Request:
        if self.reason.currentData() is None:
            raise ValidationError("Chưa chọn lý do ra khỏi danh sách đảng viên.", code="leave_reason")
        return LeaveParty(action="leave", member=self.member.code, reason=LeaveReason(self.reason.currentData()),
                          on=self.day())


class ConfirmFullWizard(RequestWizard):
    """One member from the table's menu, or every member due from the probation list: one decision."""

    issuer_role = AUTHORIZED_ROLE

    def __init__(self, window: MainWindow, member: MemberRow | None = None, *, codes: list[str] | None = None) -> None:
        self.codes = [member.code] if member is not None else list(codes or [])
        who = member.full_name if member is not None else f"{len(self.codes)} đảng viên"
        super().__init__(window, f"Công nhận đảng viên chính thức – {who}")
        self.form_page = FormPage(self, "Công nhận đảng viên chính thức",
                                  f"{who}: chỉ khi đã đủ 12 tháng dự bị (tính từ ngày vào Đảng).")
        self.on = _date_edit(self.form_page, "on")
        self.form_page.form.addRow("Ngày xét:", self.on)
        self.watch(self.on)
        self.addPage(self.form_page)
        self.add_decision_page()

    def action_fields(self) -> Request:
        return ConfirmFull(action="confirm_full", members=self.codes, on=pydate(self.on.date()))


class ExemptWizard(_MemberWizard):
    def __init__(self, window: MainWindow, member: MemberRow, *, end: bool) -> None:
        self.end = end
        super().__init__(window, member, "Thôi miễn sinh hoạt đảng" if end else "Miễn sinh hoạt đảng", "")
        self.finish_pages()

    def action_fields(self) -> Request:
        if self.end:
            return EndExemption(action="end_exemption", member=self.member.code, on=self.day())
        return Exempt(action="exempt", member=self.member.code, on=self.day())


class TransferMemberWizard(_MemberWizard):
    def __init__(self, window: MainWindow, member: MemberRow) -> None:
        super().__init__(window, member, "Chuyển sinh hoạt đảng",
                         "Chọn một chi bộ trong Đảng bộ, hoặc ghi tên tổ chức đảng bên ngoài.")
        snapshot = window.tree_model.snapshot
        assert snapshot is not None  # the member table is filled from the tree shown
        here = snapshot.by_code(member.org_code or "")
        self.target = OrgPicker(snapshot, [OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC],
                                exclude={here.id} if here else None, near=here, what="chi bộ nơi đến",
                                ended=window.ended_orgs, parent=self.form_page)
        self.target.setObjectName("to")
        self.to_body = QLineEdit(self.form_page)
        self.to_body.setObjectName("to_body")
        self.to_body.setPlaceholderText("Ví dụ: Đảng bộ tỉnh Bắc Ninh (để trống khi chuyển trong Đảng bộ)")
        self.temporary = QCheckBox("Chuyển sinh hoạt tạm thời", self.form_page)
        self.temporary.setObjectName("temporary")
        self.until = _date_edit(self.form_page, "until", dt.date.today() + dt.timedelta(days=180))
        self.until.setEnabled(False)
        self.temporary.toggled.connect(self.until.setEnabled)
        self.form_page.form.addRow("Đến chi bộ:", self.target)
        self.form_page.form.addRow("Hoặc ra ngoài Đảng bộ, đến:", self.to_body)
        self.form_page.form.addRow("", self.temporary)
        self.form_page.form.addRow("Tạm thời đến ngày:", self.until)
        self.watch(self.target, self.to_body, self.temporary, self.until)
        self.finish_pages()

    def _saved(self, saved: Saved) -> None:
        """A transfer out of the office, issued: its giấy giới thiệu is the next step (the letters' list,
        the member selected)."""
        super()._saved(saved)
        if saved.decision.code and self.to_body.text().strip():
            from khoi_desktop.gui.members import open_letters

            self.letters = open_letters(self.main_window, self.member.code)

    def action_fields(self) -> Request:
        body = nfc(self.to_body.text()).strip() or None
        temporary = self.temporary.isChecked()
        # Both places given: both go to core, which refuses (the chi bộ chosen was dropped for the body typed,
        # silently); the box left empty means no chi bộ (its "Chưa chọn" is not the clerk's problem then).
        chosen = self.target.code() if self.target.currentText().strip() or body is None else None
        return TransferMember(action="transfer_member", member=self.member.code, on=self.day(),
                              to=chosen, to_body=body,
                              temporary=temporary, until=pydate(self.until.date()) if temporary else None)
