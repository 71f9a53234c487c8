"""The register of submissions (tờ trình): register one, see what waits and for how long, return one."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.appointments.submissions import SubmissionRow
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import Area
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import OrgKind
from khoi_desktop.gui.appointments import ops
from khoi_desktop.gui.appointments.models import SubmissionsModel
from khoi_desktop.gui.appointments.request_dialog import date_edit, pydate
from khoi_desktop.gui.buttons import vietnamese_buttons
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.escape_guard import guard_escape
from khoi_desktop.gui.file_dialogs import ask_open_path
from khoi_desktop.gui.gating import tag
from khoi_desktop.gui.workflows.form_wizards import shown_snapshot
from khoi_desktop.gui.workflows.member_picker import MemberPicker
from khoi_desktop.gui.workflows.pickers import OrgPicker

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


class SubmissionForm(QDialog):
    """Register a submission received from an organization."""

    registered = Signal(object)  # SubmissionRow

    def __init__(self, window: MainWindow, org_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("submission_form")
        self.setWindowTitle("Vào sổ tờ trình")
        self.escape_guard = guard_escape(self)  # Esc asks before throwing away what was typed
        self.main_window = window
        self.number = QLineEdit(self)
        self.number.setObjectName("register_number")
        self.number.setPlaceholderText("Ví dụ: 15-TTr/ĐU")
        self.dated = date_edit(self, dt.date.today())
        self.received = date_edit(self, dt.date.today())
        # Typed as a clerk does ("chi bo hoi cuu chien binh", no accents): the picker completes on names and tells
        # the 13 "Chi bộ Văn phòng" apart by their parents; the codes-first list completed on nothing typed.
        snapshot = shown_snapshot(window)
        here = snapshot.nodes.get(org_id) if org_id is not None else None
        self.org = OrgPicker(snapshot, list(OrgKind), near=here, what="tổ chức gửi tờ trình",
                             ended=window.ended_orgs, parent=self)
        self.org.setObjectName("submission_org")
        if here is not None:
            self.org.select_code(here.code)
        self.subject = QLineEdit(self)
        self.subject.setObjectName("submission_subject")
        self.subject.setPlaceholderText("Ví dụ: đề nghị chuẩn y Bí thư Chi bộ")
        self.members = MemberPicker(window, self)  # the people proposed, found by name (may stay empty)
        self.members.setObjectName("submission_members")
        self.members.search.setPlaceholderText("Gõ tên người được đề nghị (không cần dấu); có thể để trống")
        self.files = QListWidget(self)  # the scan of the submission and its enclosures (PDF), kept with it
        self.files.setObjectName("submission_files")
        self.files.setMaximumHeight(70)
        add_file = tag(QPushButton("Thêm tệp PDF…", self), Permission.DRAFT_ISSUE)
        add_file.setObjectName("add_submission_file")
        add_file.clicked.connect(self.choose_file)
        drop_file = tag(QPushButton("Bỏ tệp", self), Permission.DRAFT_ISSUE)
        drop_file.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(add_file)
        file_buttons.addWidget(drop_file)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addLayout(file_buttons)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Số tờ trình:", self.number)
        form.addRow("Ngày ký tờ trình:", self.dated)
        form.addRow("Ngày nhận:", self.received)
        form.addRow("Tổ chức gửi:", self.org)
        form.addRow("Nội dung đề nghị:", self.subject)
        form.addRow("Đề nghị cho:", self.members)
        form.addRow("Tệp kèm theo:", files_row)
        buttons = vietnamese_buttons(QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(760, 520)

    def save(self) -> None:
        try:
            org = self.org.code() or ""  # no "top level" entry here: always a code
        except ValidationError as error:
            self.error.setText(error.message)
            return
        members = self.members.codes()
        job = ops.add_submission(register_number=self.number.text(), dated_on=pydate(self.dated.date()),
                                 received_on=pydate(self.received.date()), org_code=org, subject=self.subject.text(),
                                 members=members, today=dt.date.today(), files=self.file_paths())
        self.main_window.worker.submit(job, self._saved, self._failed)

    def choose_file(self) -> None:
        path = ask_open_path(self, "Chọn bản quét tờ trình, hồ sơ kèm theo", "Tệp PDF (*.pdf)")
        if path is not None:
            self.add_file(path)

    def add_file(self, path: Path) -> None:
        if str(path) not in self.file_paths_text():
            self.files.addItem(str(path))

    def file_paths_text(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def file_paths(self) -> list[Path]:
        return [Path(text) for text in self.file_paths_text()]

    def _failed(self, error: Exception) -> None:
        if isinstance(error, ValidationError):
            self.error.setText(error.message)
        else:
            present_error(self, error)

    def _saved(self, row: SubmissionRow) -> None:
        self.main_window.notify_changed(frozenset({Area.COMMITTEES}))  # the list of submissions hears it too
        self.registered.emit(row)
        self.accept()


class SubmissionsDialog(QDialog):
    loaded = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("submissions_dialog")
        self.setWindowTitle("Sổ tờ trình đề nghị chỉ định, chuẩn y")
        self.main_window = window
        self.model = SubmissionsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("submissions_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SubmissionsModel.COL_SUBJECT, QHeaderView.ResizeMode.Stretch)
        self.pending_only = QCheckBox("Chỉ tờ trình chưa giải quyết", self)
        self.pending_only.setObjectName("pending_only")
        self.pending_only.setChecked(True)
        self.pending_only.toggled.connect(lambda _on: self.reload())
        self.summary = QLabel(self)
        add = tag(QPushButton("Vào sổ tờ trình…", self), Permission.DRAFT_ISSUE)
        add.setObjectName("add_submission")
        self.answer_button = tag(QPushButton("Chỉ định, chuẩn y theo tờ trình…", self), Permission.DRAFT_ISSUE)
        self.return_button = tag(QPushButton("Trả lại…", self), Permission.DRAFT_ISSUE)
        self.files_button = tag(QPushButton("Mở tệp &kèm theo", self), Permission.READ)
        self.files_button.setObjectName("open_submission_files")
        self.files_button.clicked.connect(self.open_files)
        self._opened = tempfile.TemporaryDirectory(prefix="khoi-to-trinh-")
        self.destroyed.connect(lambda *_: self._opened.cleanup())
        close = tag(QPushButton("Đóng", self), Permission.READ)
        add.clicked.connect(self.open_form)
        self.answer_button.clicked.connect(self._answer)
        self.return_button.clicked.connect(self._return)
        close.clicked.connect(self.reject)
        self.table.doubleClicked.connect(lambda _index: self._answer())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        top = QHBoxLayout()
        top.addWidget(self.pending_only)
        top.addStretch(1)
        top.addWidget(self.summary)
        buttons = QHBoxLayout()
        for button in (add, self.answer_button, self.return_button, self.files_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1180, 520)
        self._on_change = window.on_change(frozenset({Area.COMMITTEES, Area.DECISIONS}), self.reload)
        self.reload()

    def done(self, result: int) -> None:
        try:
            self.main_window.data_changed.disconnect(self._on_change)
        except (RuntimeError, TypeError):
            pass
        super().done(result)

    def reload(self) -> None:
        self.main_window.worker.submit(ops.load_submissions(pending_only=self.pending_only.isChecked(),
                                                       today=dt.date.today()),
                                  self._show, lambda e: present_error(self, e))

    def _show(self, rows: list[SubmissionRow]) -> None:
        self.model.set_rows(rows)
        waiting = [r for r in rows if r.pending]
        oldest = max((r.age_days for r in waiting), default=0)
        self.summary.setText(f"{len(waiting)} tờ trình chờ giải quyết" + (f", lâu nhất {oldest} ngày" if waiting
                                                                         else ""))
        self._update_buttons()
        self.loaded.emit()

    def selected(self) -> SubmissionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.answer_button.setEnabled(row is not None and row.pending)
        self.return_button.setEnabled(row is not None and row.pending and row.decision_id is None)
        self.files_button.setEnabled(row is not None and bool(row.files))
        self.files_button.setText(f"Mở tệp &kèm theo ({len(row.files)})" if row is not None and row.files
                                  else "Mở tệp &kèm theo")  # its Alt letter kept as the text changes

    def open_files(self) -> None:
        """Every file attached to the selected submission, each in the program the system uses for PDF."""
        from khoi_desktop.gui.exchange.exchange_dialog import open_with_system

        row = self.selected()
        if row is None or not row.files:
            return
        folder = Path(self._opened.name) / str(row.id)

        def done(files: list[tuple[str, bytes]]) -> None:
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in files:
                path = folder / (Path(name).name or "tep.pdf")
                path.write_bytes(content)
                open_with_system(path)

        self.main_window.worker.submit(ops.submission_files(submission_id=row.id), done,
                                       lambda e: present_error(self, e))

    def open_form(self) -> SubmissionForm:
        node = self.main_window.selected_node()
        form = SubmissionForm(self.main_window, node.id if node else None, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.show()
        return form

    def _answer(self) -> None:
        from khoi_desktop.gui.appointments import open_appoint_dialog

        row = self.selected()
        if row is not None and row.pending:
            open_appoint_dialog(self.main_window, row.org_id, submission=row.register_number)

    def _return(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Trả lại tờ trình")
        dialog.setLabelText(f"Lý do trả lại Tờ trình số {row.register_number} của {row.org_name}:")
        dialog.setOkButtonText("Trả lại")
        dialog.setCancelButtonText("Hủy")
        if dialog.exec() and dialog.textValue().strip():
            self.main_window.worker.submit(ops.send_back(submission_id=row.id, reason=dialog.textValue(),
                                                    today=dt.date.today()),
                                      lambda _none: self.main_window.notify_changed(frozenset({Area.COMMITTEES})),
                                      lambda e: present_error(self, e))
