"""One meeting of one chi bộ: dates, topic, chair, the members of the day pre-listed for attendance, content,
resolutions and the criteria sheet's scores. Saving a month already recorded shows what changes and asks."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.meetings.criteria import score
from khoi_desktop.core.meetings.forms import MeetingForm
from khoi_desktop.core.meetings.models import MeetingKind
from khoi_desktop.core.meetings.recording import MeetingExists, MeetingInput, month_label
from khoi_desktop.core.members import MemberRow
from khoi_desktop.gui.alt_letters import row_label
from khoi_desktop.gui.date_edits import UNSET_DAY, UNSET_TEXT, DateEdit, OptionalDateEdit
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.escape_guard import guard_escape
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.meetings import ops
from khoi_desktop.gui.meetings.attendance_table import WITH_REASON, AttendanceTable

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


NO_HELD_DAY = ("Chưa nhập ngày họp: gõ ngày chi bộ đã họp (ví dụ 05/03/2026), hoặc bỏ dấu «Đã họp» nếu cuộc họp chưa "
               "diễn ra.")


NOT_HELD = "Chưa họp: chưa điểm danh."


def default_day(month: dt.date, today: dt.date) -> dt.date:
    """Today in the current month, else the tenth (most chi bộ meet early in the month)."""
    return today if (today.year, today.month) == (month.year, month.month) else month.replace(day=10)


class MeetingDialog(QDialog):
    saved = Signal(int)
    loaded = Signal()

    def __init__(self, window: MainWindow, org_id: int, *, month: dt.date | None = None,
                 kind: MeetingKind = MeetingKind.THUONG_KY) -> None:
        super().__init__(window)
        self.setObjectName("meeting_dialog")
        self.window_ = window
        self.org_id = org_id
        self.form: MeetingForm | None = None
        today = dt.date.today()
        month = (month or today).replace(day=1)
        self.setWindowTitle("Sinh hoạt chi bộ")
        self.escape_guard = guard_escape(self)  # Esc asks before throwing away what was typed
        fit_to_screen(self, 980, 780)  # smaller on an office laptop (1366×768)
        self.heading = QLabel("Đang tải…", self)
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for item in MeetingKind:
            self.kind.addItem(item.label, item.value)
        self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self.month = DateEdit(_qdate(month), self)
        self.month.setObjectName("month")
        self.month.setDisplayFormat("MM/yyyy")
        self.planned = DateEdit(_qdate(default_day(month, today)), self)
        self.planned.setObjectName("planned_on")
        self.held_check = QCheckBox("Đã họp, ngày:", self)
        self.held_check.setObjectName("held_check")
        # Unset until the clerk types it, as the day of admission (4953ba4): ticking «Đã họp» filled today, a day
        # a clerk recording an earlier meeting could leave unseen, and the record said it was held today.
        self.held = OptionalDateEdit(UNSET_DAY, UNSET_TEXT, lambda: min(default_day(self.current_month, today), today),
                                     self)
        self.held.setObjectName("held_on")
        self.held.setToolTip("Ngày chi bộ đã họp, dạng ngày/tháng/năm (ví dụ 05/03/2026)")
        self.planned.setDisplayFormat("dd/MM/yyyy")
        self.planned.setCalendarPopup(True)
        self.topic = QLineEdit(self)
        self.topic.setObjectName("topic")
        self.topic.setPlaceholderText("Chủ đề (bắt buộc với sinh hoạt chuyên đề)")
        self.chair = QComboBox(self)
        self.chair.setObjectName("chair")
        self.table = AttendanceTable(self)
        self.counts = QLabel(self)
        self.counts.setObjectName("attendance_counts")
        all_present = tag(QPushButton("Tất cả có mặt", self), Permission.MEETINGS)
        all_present.setObjectName("all_present")
        all_present.clicked.connect(self.table.all_present)
        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("summary")
        self.summary.setPlaceholderText("Tóm tắt nội dung sinh hoạt")
        self.resolutions = QPlainTextEdit(self)
        self.resolutions.setObjectName("resolutions")
        self.resolutions.setPlaceholderText("Nghị quyết, kết luận")
        for box in (self.summary, self.resolutions):
            box.setTabChangesFocus(True)
            box.setMaximumHeight(70)
        self.scores_box = QGroupBox("Chấm điểm theo phiếu", self)
        self.scores_box.setObjectName("scores_box")
        self.scores_box.setCheckable(True)
        self.scores_box.setChecked(False)
        # The criteria show while «Chấm điểm theo phiếu» is ticked: greyed out they stood six rows tall under the
        # attendance list, which at 1366×768 showed 8 members of a chi bộ of 12.
        self.scores_panel = QWidget(self.scores_box)
        self.scores_panel.setObjectName("scores_panel")
        self.scores_panel.setVisible(False)
        QVBoxLayout(self.scores_box).addWidget(self.scores_panel)
        self.scores_layout = QGridLayout(self.scores_panel)
        self.scores_layout.setContentsMargins(0, 0, 0, 0)
        self.score_edits: dict[str, QSpinBox] = {}
        self.total = QLabel(self)
        self.total.setObjectName("total")
        self.save_button = tag(QPushButton("&Lưu", self), Permission.MEETINGS)
        self.save_button.setObjectName("save_button")
        self.save_button.setProperty("permission", Permission.MEETINGS.value)
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(lambda: self.save())
        close = tag(QPushButton("Đóng", self), Permission.READ)
        close.clicked.connect(self.reject)

        top = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(QLabel("tháng", self))
        row.addWidget(self.month)
        row.addSpacing(16)
        row.addWidget(row_label("Ngày dự kiến:", self.planned))
        row.addWidget(self.planned)
        row.addSpacing(16)
        row.addWidget(self.held_check)
        row.addWidget(self.held)
        row.addStretch(1)
        top.addRow(row_label("Sinh hoạt:", self.kind), row)
        top.addRow("Chủ đề:", self.topic)
        top.addRow("Chủ trì:", self.chair)
        marks = QHBoxLayout()
        marks.addWidget(self.counts, 1)
        marks.addWidget(all_present)
        texts = QHBoxLayout()
        texts.addWidget(self.summary)
        texts.addWidget(self.resolutions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.total, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addLayout(marks)
        layout.addWidget(self.table, 1)
        layout.addLayout(texts)
        layout.addWidget(self.scores_box)
        layout.addLayout(buttons)

        self.held_check.toggled.connect(self._held_toggled)
        self.held.dateChanged.connect(lambda _d: self._reload_roster())
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.month.dateChanged.connect(lambda _d: self.load())
        self.table.changed.connect(self._update_counts)
        self.scores_box.toggled.connect(self.scores_panel.setVisible)
        self.scores_box.toggled.connect(lambda _on: self._update_total())
        self._held_toggled(False)
        self.load()

    # --- loading -----------------------------------------------------------------------------
    @property
    def current_kind(self) -> MeetingKind:
        return MeetingKind(self.kind.currentData())

    @property
    def current_month(self) -> dt.date:
        return _date(self.month.date()).replace(day=1)

    def load(self) -> None:
        self.save_button.setEnabled(False)
        month = self.current_month
        day = self.held_day() or _date(self.planned.date())
        if (day.year, day.month) != (month.year, month.month):
            day = default_day(month, dt.date.today())
        self.window_.worker.submit(ops.load_meeting_form(org_id=self.org_id, kind=self.current_kind, month=month,
                                                         day=day), self._loaded, lambda e: present_error(self, e))

    def _loaded(self, form: MeetingForm) -> None:
        self.form = form
        kind, month = self.current_kind, self.current_month
        self.setWindowTitle(f"Sinh hoạt chi bộ – {form.org_name}")
        state = "đã ghi, sửa rồi lưu lại" if form.stored else "chưa ghi"
        self.heading.setText(f"{form.org_name}: sinh hoạt {kind.label.lower()} {month_label(month)} ({state})")
        stored = form.stored or {}
        planned = _date(self.planned.date())
        if (planned.year, planned.month) != (month.year, month.month):  # another month was shown before
            planned = default_day(month, dt.date.today())
        # The days recorded for this month's meeting; the held day unset when none is recorded (never one made up,
        # nor the day of the meeting shown before).
        for edit, key, day in ((self.planned, "planned_on", planned), (self.held, "held_on", UNSET_DAY)):
            edit.blockSignals(True)
            edit.setDate(_qdate(dt.date.fromisoformat(stored[key]) if stored.get(key) else day))
            edit.blockSignals(False)
        self.held_check.blockSignals(True)
        self.held_check.setChecked(bool(stored.get("held_on")) or not form.stored and form.day <= dt.date.today())
        self.held_check.blockSignals(False)
        self._held_toggled(self.held_check.isChecked(), reload=False)
        self.topic.setText(stored.get("topic") or "")
        self.summary.setPlainText(stored.get("summary") or "")
        self.resolutions.setPlainText(stored.get("resolutions") or "")
        words = {"present": "Có mặt", "excused": "Miễn sinh hoạt"}
        marks = {code: ((WITH_REASON if reason else "Vắng không lý do") if status == "absent" else words[status],
                        reason) for code, (status, reason) in stored.get("attendance", {}).items()}
        self._show_members(form.members, marks, stored.get("chair"))
        self._build_scores(form, stored.get("scores"))
        self.save_button.setEnabled(True)
        self.table.setFocus()
        self.loaded.emit()

    def _show_members(self, members: list[MemberRow], marks: dict[str, tuple[str, str | None]],
                      chair: str | None) -> None:
        self.table.set_members(members, marks)
        keep = chair or self.chair.currentData()
        self.chair.clear()
        self.chair.addItem("(không ghi)", None)
        for member in members:
            self.chair.addItem(f"{member.full_name} ({member.code})", member.code)
        self.chair.setCurrentIndex(max(0, self.chair.findData(keep)))

    def held_day(self) -> dt.date | None:
        """The day typed in «Đã họp, ngày», while ticked; None unticked or not typed yet."""
        return _date(self.held.date()) if self.held_check.isChecked() and not self.held.is_unset() else None

    def _reload_roster(self) -> None:
        day = self.held_day()
        if self.form is None or day is None:
            return
        def show(members: list[MemberRow]) -> None:
            # The marks and the chair as they are now: a clerk marks on while the roster of the day is read.
            self._show_members(members, self.table.marks(), self.chair.currentData())

        self.window_.worker.submit(ops.load_roster(org_id=self.org_id, day=day), show,
                                   lambda e: present_error(self, e))

    def _build_scores(self, form: MeetingForm, scores: dict[str, int] | None) -> None:
        while self.scores_layout.count():
            item = self.scores_layout.takeAt(0)
            if item is not None and (widget := item.widget()) is not None:
                widget.deleteLater()
        self.score_edits = {}
        for n, criterion in enumerate(form.sheet.criteria):
            label = QLabel(f"{criterion.name} (tối đa {criterion.max_points})", self.scores_panel)
            label.setWordWrap(True)
            edit = QSpinBox(self.scores_panel)
            edit.setObjectName(f"score_{criterion.code}")
            edit.setRange(0, criterion.max_points)
            edit.setValue((scores or {}).get(criterion.code, 0))
            edit.valueChanged.connect(lambda _v: self._update_total())
            self.scores_layout.addWidget(label, n // 2, (n % 2) * 2)
            self.scores_layout.addWidget(edit, n // 2, (n % 2) * 2 + 1)
            self.score_edits[criterion.code] = edit
        self.scores_box.setChecked(scores is not None)
        self._update_total()

    # --- reactions ---------------------------------------------------------------------------
    def _held_toggled(self, held: bool, *, reload: bool = True) -> None:
        self.held.setEnabled(held)
        self.table.setEnabled(held)
        self.scores_box.setEnabled(held)
        self._update_counts()
        if held and reload:
            self._reload_roster()

    def _update_counts(self) -> None:
        if not self.held_check.isChecked():  # the greyed list's «Có mặt» is no attendance: nothing is saved
            self.counts.setText(f"{NOT_HELD} Đánh dấu «Đã họp» và gõ ngày họp để điểm danh.")
            return
        c = self.table.counts()
        self.counts.setText(f"Có mặt {c['Có mặt']}, vắng có lý do {c['Vắng có lý do']}, vắng không lý do "
                            f"{c['Vắng không lý do']}, miễn sinh hoạt {c['Miễn sinh hoạt']}. Phím C / L / K để "
                            "điểm danh, Cách để đổi.")

    def scores(self) -> dict[str, int] | None:
        if not self.scores_box.isChecked() or not self.held_check.isChecked():
            return None
        return {code: edit.value() for code, edit in self.score_edits.items()}

    def _update_total(self) -> None:
        scores = self.scores()
        if self.form is None or scores is None:
            self.total.setText("Chưa chấm điểm.")
            return
        result = score(self.form.sheet, scores)
        self.total.setText(f"Tổng điểm {result.points}/{self.form.sheet.total}: xếp loại {result.rating.label}.")

    # --- saving ------------------------------------------------------------------------------
    def meeting(self) -> MeetingInput:
        if self.form is None:
            raise ValidationError("Đang tải danh sách đảng viên, xin chờ.", code="loading")
        held = self.held_check.isChecked()
        if held and self.held.is_unset():
            raise ValidationError(NO_HELD_DAY, code="held_on")
        attendance = self.table.attendance() if held else []
        missing = [a.member for a, mark in zip(attendance, self.table.marks().values(), strict=True)
                   if mark[0] == WITH_REASON and not a.reason]
        if missing:
            raise ValidationError("Vắng có lý do: cần ghi lý do cho " + ", ".join(missing) + " (hoặc chọn vắng không "
                                  "lý do).", code="no_reason")
        return MeetingInput(
            org=self.form.org_code, kind=self.current_kind, month=self.current_month,
            planned_on=_date(self.planned.date()), held_on=_date(self.held.date()) if held else None,
            topic=self.topic.text().strip() or None, chair=self.chair.currentData() if held else None,
            summary=self.summary.toPlainText().strip() or None,
            resolutions=self.resolutions.toPlainText().strip() or None,
            attendance=tuple(attendance), scores=self.scores())

    def accept(self) -> None:
        self.save()

    def save(self, replace: bool = False) -> None:
        try:
            meeting = self.meeting()
        except ValidationError as error:
            present_error(self, error)
            return
        self.save_button.setEnabled(False)
        self.window_.worker.submit(ops.save_meeting(meeting=meeting, replace=replace), self._saved,
                                   self._failed)

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, MeetingExists):
            box = QMessageBox(QMessageBox.Icon.Question, "Ghi đè cuộc sinh hoạt đã có",
                              error.headline + "\nGhi đè bằng nội dung mới?",
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
            box.setObjectName("replace_question")
            box.button(QMessageBox.StandardButton.Yes).setText("Ghi đè")
            box.button(QMessageBox.StandardButton.No).setText("Không")
            box.setInformativeText("Những thay đổi:\n" + "\n".join(error.changes[:25]))
            if box.exec() == QMessageBox.StandardButton.Yes:
                self.save(replace=True)
            return
        present_error(self, error)

    def _saved(self, meeting_id: int) -> None:
        self.saved.emit(meeting_id)
        self.window_.notify_changed(frozenset({Area.MEETINGS}))
        super().accept()

