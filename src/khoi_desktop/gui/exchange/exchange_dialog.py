"""Trao đổi với tổ chức cơ sở: the status per body, the received items with what each would change, a
conflict's two sides next to each other, and the reviewer's accept / return with a reason."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.changes import EVERYTHING
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.exchange import ops
from khoi_desktop.gui.file_dialogs import ask_open_path, ask_save_path
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.core.exchange.receive import ItemView
    from khoi_desktop.gui.main_window import MainWindow

KIND_LABELS = {"decision": "Quyết định", "meeting": "Sinh hoạt chi bộ", "rating": "Xếp loại", "member": "Đảng viên",
               "submission": "Tờ trình", "document": "Văn bản", "return": "Mẫu báo cáo", "answer": "Kết quả xét",
               "subtree": "Đối chiếu số liệu", "authorization": "Ủy quyền"}
STATUS_LABELS = {"pending": "Chờ xét", "accepted": "Đã chấp nhận", "returned": "Đã trả lại", "received": "Đã nhận"}
BODY_COLUMNS = ["Mã", "Tổ chức", "Gửi gần nhất", "Nhận gần nhất", "Chờ xét", "Tháng này"]
ITEM_COLUMNS = ["Số", "Loại", "Nội dung", "Trạng thái", "Xung đột"]


def open_with_system(path: Path) -> None:
    """Open a received file (a scan, a document) in the program the system uses for it."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def ask_key_passphrase(parent: QWidget) -> str | None:
    """The passphrase of the body's private keys (set at init), asked each time a package is signed or opened."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("key_passphrase")
    dialog.setWindowTitle("Mật khẩu khóa của đơn vị")
    dialog.setLabelText("Mật khẩu bảo vệ khóa riêng của đơn vị (đặt khi khởi tạo cơ sở dữ liệu):")
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    dialog.setOkButtonText("Đồng ý")
    dialog.setCancelButtonText("Hủy")
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.textValue():
        return None
    return dialog.textValue()


def _when(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "chưa có"
    return f"số {entry['sequence']}, {dt.datetime.fromisoformat(entry['at']):%d/%m/%Y}"


def _table(parent: QWidget, name: str, headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(0)
    for values in rows:
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    table.resizeColumnsToContents()


class ExchangeDialog(QDialog):
    loaded = Signal()
    reviewed = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("exchange_dialog")
        self.setWindowTitle("Trao đổi với tổ chức cơ sở")
        self.window_ = window
        self.items: list[ItemView] = []
        self.mode = "none"
        self.body_code: str | None = None
        self._opened = tempfile.TemporaryDirectory(prefix="khoi-trao-doi-")  # files opened from here, removed on close
        self.destroyed.connect(lambda *_: self._opened.cleanup())
        self.resize(1100, 700)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.bodies = _table(self, "bodies", BODY_COLUMNS, 1)
        self.table = _table(self, "items", ITEM_COLUMNS, 2)
        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("detail")
        self.detail.setReadOnly(True)
        self.sides = _table(self, "sides", ["Nội dung", "Văn phòng", "Cơ sở"], 0)
        self.sides.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.sides.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("Lý do (bắt buộc khi trả lại, hoặc khi chấp nhận một mục xung đột)")
        self.accept_button = tag(QPushButton("Chấp nhận", self), Permission.IMPORT)
        self.accept_button.setObjectName("accept_item")
        self.return_button = tag(QPushButton("Trả lại", self), Permission.IMPORT)
        self.return_button.setObjectName("return_item")
        self.import_button = tag(QPushButton("Nhập gói…", self), Permission.IMPORT)
        self.import_button.setObjectName("import_package")
        self.export_button = tag(QPushButton("Gửi báo cáo lên…", self), Permission.IMPORT)
        self.export_button.setObjectName("export_package")
        self.export_button.setToolTip("Xuất gói báo cáo lên Văn phòng (ký bằng khóa của đơn vị) để chép vào USB")
        self.export_button.setVisible(False)
        self.files = QListWidget(self)
        self.files.setObjectName("item_files")
        self.files.setMaximumHeight(80)
        self.open_file_button = tag(QPushButton("Mở tệp", self), Permission.READ)
        self.open_file_button.setObjectName("open_file")
        self.open_file_button.setEnabled(False)
        self.open_file_button.clicked.connect(self.open_selected_file)
        self.files.itemDoubleClicked.connect(lambda _item: self.open_selected_file())
        self.files.currentRowChanged.connect(lambda row: self.open_file_button.setEnabled(row >= 0))
        close = tag(QPushButton("Đóng", self), Permission.READ)
        close.clicked.connect(self.reject)
        self.accept_button.clicked.connect(lambda: self._review("accept"))
        self.return_button.clicked.connect(lambda: self._review("return"))
        self.import_button.clicked.connect(self.choose_package)
        self.export_button.clicked.connect(self.export_package)
        self.table.itemSelectionChanged.connect(self._show_item)

        right = QWidget(self)
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        self.changes_label = QLabel("Thay đổi đề xuất so với dữ liệu của Văn phòng:", right)
        side.addWidget(self.changes_label)
        side.addWidget(self.detail, 2)
        files_row = QHBoxLayout()
        files_row.addWidget(self.files, 1)
        files_row.addWidget(self.open_file_button, 0, Qt.AlignmentFlag.AlignTop)
        side.addWidget(QLabel("Tệp kèm theo (mã băm đã được kiểm tra khi nhập gói):", right))
        side.addLayout(files_row)
        side.addWidget(QLabel("Xung đột, hai bên cạnh nhau:", right))
        side.addWidget(self.sides, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([600, 500])
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.return_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.bodies, 1)
        layout.addWidget(split, 3)
        layout.addLayout(buttons)
        self._enable(None)
        self.reload()

    # --- data ------------------------------------------------------------------------------------
    def reload(self) -> None:
        self.window_.worker.submit(ops.load_exchange(), self._loaded, lambda e: present_error(self, e))

    def _loaded(self, answer: tuple[Any, list[ItemView]]) -> None:
        status, self.items = answer
        self.mode = status.mode
        self.body_code = status.me if status.mode == "grassroots" else None
        self.export_button.setVisible(status.mode == "grassroots")
        self.changes_label.setText("Nội dung, và thay đổi sẽ ghi vào dữ liệu ở cơ sở (quyết định của Văn phòng):"
                                   if status.mode == "grassroots" else
                                   "Thay đổi đề xuất so với dữ liệu của Văn phòng:")
        if status.mode == "none":
            self.heading.setText("Cơ sở dữ liệu này chưa trao đổi với tổ chức cơ sở nào: cấp gói khởi tạo bằng lệnh "
                                 "«exchange … enroll».")
        elif status.mode == "grassroots":
            self.heading.setText(f"Chế độ cơ sở ({status.me}). Dấu vân tay khóa của đơn vị: {status.key}. "
                                 f"{status.unsent} mục chờ gửi lên.")
        else:
            missing = ", ".join(status.not_reported) or "không có"
            self.heading.setText(f"Văn phòng. Dấu vân tay khóa: {status.key}. Chưa báo cáo tháng "
                                 f"{status.month:%m/%Y}: {missing}.")
        _fill(self.bodies, [[p.code or "", p.name, _when(p.last_sent), _when(p.last_received), str(p.pending),
                             "đã báo cáo" if p.reported_this_month else "chưa báo cáo"] for p in status.peers])
        _fill(self.table, [[str(i.id), KIND_LABELS.get(i.kind, i.kind), i.preview.title,
                            STATUS_LABELS.get(i.status, i.status), "có" if i.preview.conflict else ""]
                           for i in self.items])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._show_item()
        self.loaded.emit()

    def current(self) -> ItemView | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) and self.table.selectedItems() else None

    def _enable(self, item: ItemView | None) -> None:
        pending = item is not None and item.status == "pending"
        self.accept_button.setEnabled(pending)
        self.return_button.setEnabled(pending)

    def _show_item(self) -> None:
        item = self.current()
        self._enable(item)
        self.files.clear()
        if item is None:
            self.detail.setPlainText("")
            _fill(self.sides, [])
            return
        for name, sha in item.files:
            self.files.addItem(f"{name}  (SHA-256 {sha[:16]}…)")
        p = item.preview
        lines = [p.title, ""] + [f"• {line}" for line in p.changes]
        if p.problems:
            lines += ["", "Không chấp nhận được:"] + [f"• {line}" for line in p.problems]
        if p.conflict:
            lines += ["", f"XUNG ĐỘT: {p.conflict['message']}"]
        if item.reason:
            lines += ["", f"Lý do: {item.reason}"]
        if item.result:
            lines += ["", f"Kết quả: {item.result}"]
        self.detail.setPlainText("\n".join(lines))
        _fill(self.sides, [list(map(str, row)) for row in (p.conflict or {}).get("rows", [])])

    # --- actions ---------------------------------------------------------------------------------
    def choose_package(self) -> None:
        path = ask_open_path(self, "Chọn gói trao đổi", "Gói trao đổi (*.khoipkg)")
        if path is None:
            return
        passphrase = ask_key_passphrase(self) if self.mode == "grassroots" else None
        if self.mode == "grassroots" and passphrase is None:
            return
        self.import_path(path, passphrase)

    def import_path(self, path: Any, key_passphrase: str | None = None) -> None:
        def done(result: Any) -> None:
            self.window_.notify_changed(EVERYTHING)
            self.reload()

        self.window_.worker.submit(ops.import_file(path=path, key_passphrase=key_passphrase), done,
                                   lambda e: present_error(self, e))

    def export_package(self) -> None:
        """At the grassroots: the key passphrase, where to save, then the signed package."""
        if self.body_code is None:
            return
        passphrase = ask_key_passphrase(self)
        if passphrase is None:
            return
        path = ask_save_path(self, "Lưu gói báo cáo lên", f"bao-cao-len-{self.body_code}.khoipkg",
                             "Gói trao đổi (*.khoipkg)", "khoipkg")
        if path is not None:
            self.export_to(path, passphrase)

    def export_to(self, path: Path, key_passphrase: str) -> None:
        assert self.body_code is not None

        def done(sequence: int) -> None:
            box = QMessageBox(QMessageBox.Icon.Information, "Đã xuất gói",
                              f"Đã xuất gói báo cáo lên số {sequence} vào tệp <b>{path.name}</b> ({path.parent}). "
                              "Chép tệp vào USB hoặc gửi qua hệ thống văn bản cho Văn phòng Đảng ủy Khối.",
                              QMessageBox.StandardButton.Close, self)
            box.setObjectName("exported_notice")
            box.open()
            self.reload()

        self.window_.worker.submit(ops.export_up_file(code=self.body_code, path=path, key_passphrase=key_passphrase),
                                   done, lambda e: present_error(self, e))

    def open_selected_file(self) -> None:
        item, row = self.current(), self.files.currentRow()
        if item is None or item.id is None or row < 0:
            return
        folder = Path(self._opened.name) / str(item.id)

        def done(answer: tuple[str, bytes]) -> None:
            name, content = answer
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / (Path(name).name or "tep.pdf")
            path.write_bytes(content)
            open_with_system(path)

        self.window_.worker.submit(ops.item_file(item_id=item.id, number=row + 1), done,
                                   lambda e: present_error(self, e))

    def _review(self, verdict: str) -> None:
        item = self.current()
        if item is None or item.id is None:
            return
        reason = self.reason.text().strip() or None

        def done(result: Any) -> None:
            self.reason.clear()
            self.window_.notify_changed(EVERYTHING)
            self.reviewed.emit(item.id)
            self.reload()

        self.window_.worker.submit(ops.review_item(item_id=item.id, verdict=verdict, reason=reason), done,
                                   lambda e: present_error(self, e))
