"""Preview of a decision PDF: zoom, page navigation, print through the system dialog, save as PDF or Word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize
from PySide6.QtGui import QAction, QKeySequence, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QSpinBox,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.dialogs import fit_to_screen
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.file_dialogs import ask_save_path, tell_saved
from khoi_desktop.gui.gating import tag

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 5.0
PRINT_DPI = 300

# Asks for the Word copy: (on_done(bytes), on_error(exception)).
DocxLoader = Callable[[Callable[[bytes], None], Callable[[Exception], None]], None]


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint the pages the printer asks for (all when no range was chosen); returns pages printed."""
    count = document.pageCount()
    first, last = printer.fromPage(), printer.toPage()
    pages = range(first - 1, last) if first > 0 and last > 0 else range(count)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("Không mở được máy in.")
    printed = 0
    try:
        for page in pages:
            if page >= count:
                break
            if printed:
                printer.newPage()
            target: QRect = painter.viewport()
            size = document.pagePointSize(page)
            width = round(size.width() / 72 * printer.resolution())
            height = round(size.height() / 72 * printer.resolution())
            image = document.render(page, QSize(width, height))
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
            printed += 1
    finally:
        painter.end()
    return printed


class PreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str, file_stem: str, parent: QWidget | None = None,
                 docx_loader: DocxLoader | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 900, 1000)  # a whole A4 page where the screen has room
        self.pdf = pdf
        self.file_stem = file_stem
        self._docx_loader = docx_loader
        self._closed = False
        self.finished.connect(lambda _code: setattr(self, "_closed", True))
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._build_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view)
        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self._on_page_changed(0)

    # --- construction ----------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                name: str = "") -> QAction:
        action = tag(QAction(text, self), Permission.READ)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.print_action = self._action("In…", self.print_dialog, QKeySequence.StandardKey.Print, "print")
        self.save_pdf_action = self._action("Lưu PDF…", self.save_pdf, QKeySequence.StandardKey.Save, "save_pdf")
        self.save_docx_action = self._action("Lưu Word…", self.save_docx, None, "save_docx")
        self.save_docx_action.setEnabled(self._docx_loader is not None)
        self.toolbar.addSeparator()
        self._action("◀ Trang trước", self.previous_page, "PgUp", "previous")
        self.page_box = QSpinBox(self)
        self.page_box.setObjectName("page")
        self.page_box.setRange(1, max(1, self.page_count))
        self.page_box.valueChanged.connect(lambda value: self.go_to_page(value - 1))
        self.toolbar.addWidget(self.page_box)
        self.page_label = QLabel(f" / {self.page_count} ", self)
        self.toolbar.addWidget(self.page_label)
        self._action("Trang sau ▶", self.next_page, "PgDown", "next")
        self.toolbar.addSeparator()
        self._action("Thu nhỏ", self.zoom_out, QKeySequence.StandardKey.ZoomOut, "zoom_out")
        self._action("Phóng to", self.zoom_in, QKeySequence.StandardKey.ZoomIn, "zoom_in")
        self._action("Vừa chiều rộng", self.fit_width, None, "fit_width")
        self._action("Vừa trang", self.fit_page, None, "fit_page")
        self.toolbar.addSeparator()
        self._action("Đóng", self.close, None, "close")

    # --- pages and zoom ----------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count - 1))
        if page != self.current_page:
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def next_page(self) -> None:
        self.go_to_page(self.current_page + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page - 1)

    def _on_page_changed(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)

    def _set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))

    def zoom_in(self) -> None:
        self._set_zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.view.zoomFactor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    # --- output ------------------------------------------------------------------------------
    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setResolution(PRINT_DPI)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF carries its own margins
        printer.setDocName(self.windowTitle())
        return printer

    def print_dialog(self) -> None:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In quyết định")
        dialog.setMinMax(1, max(1, self.page_count))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            print_document(self.document, printer)
        except OSError as error:
            QMessageBox.warning(self, "Không in được", str(error))

    def _ask_path(self, caption: str, suffix: str, filter_text: str) -> Path | None:
        return ask_save_path(self, caption, f"{self.file_stem}.{suffix}", filter_text, suffix)

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.write_bytes(data)
        except OSError as error:
            QMessageBox.warning(None if self._closed else self, "Không lưu được",
                                f"Không ghi được tệp {path}: {error.strerror or error}.")
            return
        tell_saved(None if self._closed else self, path)

    def save_pdf(self) -> None:
        path = self._ask_path("Lưu bản PDF", "pdf", "Tệp PDF (*.pdf)")
        if path is not None:
            self._write(path, self.pdf)

    def save_docx(self) -> None:
        if self._docx_loader is None:
            return
        path = self._ask_path("Lưu bản Word để sửa lời văn", "docx", "Tài liệu Word (*.docx)")
        if path is not None:
            self._docx_loader(lambda data: self._write(path, data),
                              lambda error: None if self._closed else present_error(self, error))
