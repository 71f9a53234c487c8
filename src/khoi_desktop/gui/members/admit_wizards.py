"""Wizards for members coming into the office: admission (kết nạp, one or several people in one decision) and
reception from a body outside it (tiếp nhận sinh hoạt đảng). A short form, then the decision page, checked as
the clerk types; the chi bộ picker takes only a chi bộ that the typed text names exactly."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.kinds import OrgKind
from khoi_desktop.core.member_events.requests import Admit, Person, ReceiveMember
from khoi_desktop.core.models import MemberStatus, Sex
from khoi_desktop.core.requests import MemberRecord, Request
from khoi_desktop.core.text import clean_text, nfc, show_date
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.date_edits import UNSET_DAY, UNSET_TEXT, DateEdit, OptionalDateEdit
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.members.wizards import AUTHORIZED_ROLE
from khoi_desktop.gui.workflows.form_wizards import FormPage, shown_snapshot
from khoi_desktop.gui.workflows.pickers import OrgPicker
from khoi_desktop.gui.workflows.request_wizard import RequestWizard, pydate, qdate

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

CHI_BO = [OrgKind.CHI_BO_CO_SO, OrgKind.CHI_BO_TRUC_THUOC]
NO_DAY = dt.date(1930, 1, 1)  # the first-admission picker at its minimum: no re-admission
PEOPLE_COLUMNS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chức vụ, nghề nghiệp"]


def date_edit(parent: QGroupBox | FormPage, name: str, day: dt.date) -> QDateEdit:
    edit = DateEdit(qdate(day), parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


NO_ADMISSION_DAY = "Chưa nhập ngày vào Đảng của đảng viên được tiếp nhận."
NO_ADMIT_DAY = "Chưa nhập ngày kết nạp."


def birth_edit(parent: QGroupBox) -> QDateEdit:
    """A birth date starts unset (no made-up day a clerk might leave): the prompt, until a date is typed."""
    edit = OptionalDateEdit(UNSET_DAY, UNSET_TEXT, dt.date.today, parent)
    edit.setObjectName("birth_date")
    edit.setToolTip("Ngày sinh, dạng ngày/tháng/năm (ví dụ 08/03/1996)")
    edit.calendarWidget().setCurrentPage(1990, 1)  # the calendar opens near a likely year, not in 1900
    return edit


def text_of(edit: QLineEdit) -> str:
    return nfc(clean_text(edit.text())).strip()


class PersonBox(QGroupBox):
    """The core of form 2-HSĐV for one person: names kept apart, birth date, sex, CCCD, job."""

    def __init__(self, title: str, parent: FormPage) -> None:
        super().__init__(title, parent)
        self.family = QLineEdit(self)
        self.family.setObjectName("family_name")
        self.middle = QLineEdit(self)
        self.middle.setObjectName("middle_name")
        self.given = QLineEdit(self)
        self.given.setObjectName("given_name")
        self.birth = birth_edit(self)
        self.sex = QComboBox(self)
        self.sex.setObjectName("sex")
        for sex in Sex:
            self.sex.addItem(sex.label, sex.value)
        # Chosen by the clerk, as the birth date is typed: it opened on «Nam» (and kept the last person's after
        # «Thêm vào danh sách»), so a woman left as it was went into the records as a man.
        self.sex.setPlaceholderText("Chọn giới tính")
        self.sex.setCurrentIndex(-1)
        self.national_id = QLineEdit(self)
        self.national_id.setObjectName("national_id")
        self.national_id.setPlaceholderText("12 chữ số (không bắt buộc)")
        self.job = QLineEdit(self)
        self.job.setObjectName("job_title")
        names = QHBoxLayout()
        for label, edit in (("Họ", self.family), ("Tên đệm", self.middle), ("Tên", self.given)):
            edit.setPlaceholderText(label)
            names.addWidget(edit, 2 if edit is self.middle else 1)
        self.form = QFormLayout(self)
        self.form.addRow(row_label("Họ, tên đệm, tên:", self.family), names)
        self.form.addRow("Ngày sinh:", self.birth)
        self.form.addRow("Giới tính:", self.sex)
        self.form.addRow("Số CCCD:", self.national_id)
        self.form.addRow("Chức vụ, nghề nghiệp:", self.job)

    def fields(self) -> list:  # type: ignore[type-arg]
        return [self.family, self.middle, self.given, self.birth, self.sex, self.national_id, self.job]

    def problem(self) -> str | None:
        if not text_of(self.family) or not text_of(self.given):
            return "Chưa ghi đủ họ và tên."
        if pydate(self.birth.date()) == UNSET_DAY:
            return "Chưa ghi ngày sinh."
        if self.sex.currentData() is None:
            return "Chưa chọn giới tính."
        return None

    def person(self) -> Person:
        return Person(family_name=text_of(self.family), middle_name=text_of(self.middle),
                      given_name=text_of(self.given), birth_date=pydate(self.birth.date()),
                      sex=Sex(self.sex.currentData()), national_id=text_of(self.national_id) or None,
                      job_title=text_of(self.job) or None)

    def clear(self) -> None:
        for edit in (self.family, self.middle, self.given, self.national_id, self.job):
            edit.clear()
        self.birth.setDate(qdate(UNSET_DAY))
        self.sex.setCurrentIndex(-1)
        self.family.setFocus()


def chi_bo_picker(window: MainWindow, page: FormPage, what: str) -> OrgPicker:
    snapshot = shown_snapshot(window)
    picker = OrgPicker(snapshot, CHI_BO, what=what, ended=window.ended_orgs, parent=page)
    picker.setObjectName("org")
    chosen = snapshot.nodes.get(getattr(window, "_selected_org", None) or -1)
    if chosen is not None and chosen.kind in CHI_BO:
        picker.select_code(chosen.code)  # the chi bộ selected in the tree
    return picker


class AdmitWizard(RequestWizard):
    """Kết nạp đảng viên: one decision for everyone listed (a list attached when more than one)."""

    issuer_role = AUTHORIZED_ROLE

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "Kết nạp đảng viên")
        self.people: list[Person] = []
        page = self.form_page = AdmitPage(self)
        page.setTitle("Kết nạp đảng viên")
        page.setSubTitle("Ghi từng người rồi bấm «Thêm vào danh sách»; mọi người trong danh sách được kết nạp bằng "
                         "một quyết định.")
        self.org = chi_bo_picker(window, page, "chi bộ kết nạp")
        # Unset until chosen, as the birth date and the sex: it opened on today, a day a clerk could leave unseen
        # as the day of admission (the chi bộ's meeting that voted is usually days or weeks before).
        self.admitted_on = OptionalDateEdit(UNSET_DAY, UNSET_TEXT, dt.date.today, page)
        self.admitted_on.setObjectName("admitted_on")
        self.admitted_on.setToolTip("Ngày kết nạp, dạng ngày/tháng/năm (ví dụ 19/05/2026)")
        self.introducers = QLineEdit(page)
        self.introducers.setObjectName("introducers")
        self.introducers.setPlaceholderText("Mã đảng viên chính thức, cách nhau bởi dấu phẩy (ví dụ DV000123, "
                                            "DV000456)")
        page.form.addRow("Chi bộ:", self.org)
        page.form.addRow("Ngày kết nạp:", self.admitted_on)
        page.form.addRow("Người giới thiệu:", self.introducers)
        self.person = PersonBox("Người được kết nạp", page)
        self.add_button = tag(QPushButton("Thêm vào danh sách", page), Permission.DRAFT_ISSUE)
        self.add_button.setObjectName("add_person")
        self.add_button.clicked.connect(self.add_person)
        self.remove_button = tag(QPushButton("Bớt người đã chọn", page), Permission.DRAFT_ISSUE)
        self.remove_button.setObjectName("remove_person")
        self.remove_button.clicked.connect(self.remove_person)
        self.table = QTableWidget(0, len(PEOPLE_COLUMNS), page)
        self.table.setObjectName("people")
        self.table.setHorizontalHeaderLabels(PEOPLE_COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for section in range(1, len(PEOPLE_COLUMNS)):  # every header whole («Chức vụ, nghề nghiệp» was cut)
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        column = QVBoxLayout()
        column.addWidget(self.person)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        page.box.addLayout(column)
        self.watch(self.org, self.admitted_on, self.introducers)
        self.addPage(page)
        self.add_decision_page()
        fit_to_screen(self, 900, 720)  # 720 was under a laptop's taskbar (1366×768)

    def add_person(self) -> None:
        problem = self.person.problem()
        if problem is not None:
            self.form_page.person_problem = problem
            self.form_page.show_reason()
            return
        self.form_page.person_problem = None
        person = self.person.person()
        self.people.append(person)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for c, text in enumerate([person.full_name, show_date(person.birth_date), person.sex.label,
                                  person.national_id or "", person.job_title or ""]):
            self.table.setItem(row, c, QTableWidgetItem(text))
        self.person.clear()
        self.schedule_check()

    def remove_person(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self.people[row]
        if rows:
            self.schedule_check()

    def action_fields(self) -> Request:
        if pydate(self.admitted_on.date()) == UNSET_DAY:
            raise ValidationError(NO_ADMIT_DAY, code="admitted_on")
        codes = [nfc(c).strip().upper() for c in self.introducers.text().replace(";", ",").split(",")]
        return Admit(action="admit", org=self.org.code() or "", admitted_on=pydate(self.admitted_on.date()),
                     people=list(self.people), introducers=[c for c in codes if c])


class AdmitPage(FormPage):
    def __init__(self, wizard: AdmitWizard) -> None:
        super().__init__(wizard, "")
        self.admit = wizard
        self.person_problem: str | None = None

    def local_problems(self) -> list[str]:
        problems = [self.person_problem] if self.person_problem else []
        if not self.admit.people:
            problems.append("Chưa có người nào trong danh sách kết nạp: ghi họ tên, ngày sinh rồi bấm «Thêm vào "
                            "danh sách».")
        if pydate(self.admit.admitted_on.date()) == UNSET_DAY:
            problems.append(NO_ADMIT_DAY)
        return problems


class ReceiveWizard(RequestWizard):
    """Tiếp nhận sinh hoạt đảng: a member coming from a body outside the office, with their record."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, "Tiếp nhận đảng viên từ ngoài Đảng bộ")
        page = self.form_page = ReceivePage(self)
        page.setTitle("Tiếp nhận sinh hoạt đảng")
        page.setSubTitle("Đảng viên chuyển đến từ một tổ chức đảng ngoài Đảng bộ, theo giấy giới thiệu sinh hoạt "
                         "đảng.")
        self.from_body = QLineEdit(page)
        self.from_body.setObjectName("from_body")
        self.from_body.setPlaceholderText("Ví dụ: Đảng bộ tỉnh Bắc Ninh")
        self.org = chi_bo_picker(window, page, "chi bộ tiếp nhận")
        self.on = date_edit(page, "on", dt.date.today())
        page.form.addRow("Chuyển đến từ:", self.from_body)
        page.form.addRow("Chi bộ tiếp nhận:", self.org)
        page.form.addRow("Ngày tiếp nhận:", self.on)
        self.person = PersonBox("Đảng viên", page)
        self.status = QComboBox(self.person)
        self.status.setObjectName("status")
        for status in (MemberStatus.CHINH_THUC, MemberStatus.DU_BI):
            self.status.addItem(f"Đảng viên {status.label.lower()}", status.value)
        # Unset until typed, as the birth date: it opened at 01/01/2010, a made-up day a clerk could leave as the
        # member's date of admission.
        self.admitted_on = OptionalDateEdit(UNSET_DAY, UNSET_TEXT, dt.date.today, self.person)
        self.admitted_on.setObjectName("admitted_on")
        self.admitted_on.setToolTip("Ngày vào Đảng theo giấy giới thiệu, dạng ngày/tháng/năm (ví dụ 02/09/2015)")
        self.card = QLineEdit(self.person)
        self.card.setObjectName("card_number")
        # An interrupted membership, as the record says: the first admission of a re-admitted member, and the
        # days outside party life; both left out of the party age (core/member_events/party_age.py).
        self.first_admitted = OptionalDateEdit(NO_DAY, "Không (chưa từng được kết nạp lại)", dt.date.today,
                                               self.person)
        self.first_admitted.setObjectName("first_admitted_on")
        self.gap_days = QSpinBox(self.person)
        self.gap_days.setObjectName("gap_days")
        self.gap_days.setRange(0, 36_500)
        self.gap_days.setSuffix(" ngày")
        self.gap_days.setSpecialValueText("Không")
        self.person.form.addRow("Là:", self.status)
        self.person.form.addRow("Ngày vào Đảng:", self.admitted_on)
        self.person.form.addRow("Số thẻ đảng viên:", self.card)
        self.person.form.addRow("Kết nạp lần đầu (nếu kết nạp lại):", self.first_admitted)
        self.person.form.addRow("Gián đoạn sinh hoạt đảng:", self.gap_days)
        page.box.addWidget(self.person)
        page.box.addStretch(1)
        self.watch(self.from_body, self.org, self.on, self.status, self.admitted_on, self.card, self.first_admitted,
                   self.gap_days, *self.person.fields())
        self.addPage(page)
        self.add_decision_page()
        fit_to_screen(self, 860, 680)

    def action_fields(self) -> Request:
        problem = self.person.problem()
        if problem is not None:
            raise ValidationError(problem, code="person_name")
        if pydate(self.admitted_on.date()) == UNSET_DAY:
            raise ValidationError(NO_ADMISSION_DAY, code="admitted_on")
        p = self.person.person()
        record = MemberRecord(family_name=p.family_name, middle_name=p.middle_name, given_name=p.given_name,
                              birth_date=p.birth_date, sex=p.sex, status=MemberStatus(self.status.currentData()),
                              admitted_on=pydate(self.admitted_on.date()), national_id=p.national_id,
                              card_number=text_of(self.card) or None, job_title=p.job_title)
        first = pydate(self.first_admitted.date())
        return ReceiveMember(action="receive_member", from_body=text_of(self.from_body), org=self.org.code() or "",
                             on=pydate(self.on.date()), person=record,
                             first_admitted_on=None if first == NO_DAY else first,
                             gap_days=self.gap_days.value() or None)


class ReceivePage(FormPage):
    def __init__(self, wizard: ReceiveWizard) -> None:
        super().__init__(wizard, "")
        self.receive = wizard

    def local_problems(self) -> list[str]:
        problems = [] if text_of(self.receive.from_body) else ["Chưa ghi tổ chức đảng chuyển đi."]
        if pydate(self.receive.admitted_on.date()) == UNSET_DAY:
            problems.append(NO_ADMISSION_DAY)
        return problems

