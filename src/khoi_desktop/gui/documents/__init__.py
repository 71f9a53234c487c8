"""Documents in the GUI: a "Văn bản" menu (outgoing register, wording templates) and the decision preview.

`open_preview(window, decision_id)` is for any screen (the workflow wizards) that wants to show,
print or save a decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.gui.dialogs import raise_or_open
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.gating import tag

if TYPE_CHECKING:
    from khoi_desktop.gui.documents.ops import PdfCopy
    from khoi_desktop.gui.documents.preview_dialog import PreviewDialog
    from khoi_desktop.gui.main_window import MainWindow

# The document libraries (reportlab, python-docx, openpyxl) load when a document is first shown, not at
# start-up; issuing renders the PDF through core.decisions whether or not this menu was opened.


def show_pdf(window: MainWindow, copy: PdfCopy, over: QWidget | None = None) -> PreviewDialog:
    """Show a PDF in a preview window, owned by `over` (a modal list it was opened from) so that list does
    not block it; by default by whatever modal dialog is open, else the main window."""
    from khoi_desktop.gui.documents import ops
    from khoi_desktop.gui.documents.preview_dialog import PreviewDialog

    loader = None
    if copy.decision_id is not None:
        decision_id = copy.decision_id

        def loader(on_done, on_error):  # type: ignore[no-untyped-def]
            window.worker.submit(ops.load_docx(decision_id=decision_id), on_done, on_error)

    owner = over or QApplication.activeModalWidget() or window
    dialog = PreviewDialog(copy.pdf, copy.title, copy.file_stem, owner, docx_loader=loader)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_preview(window: MainWindow, decision_id: int, over: QWidget | None = None) -> None:
    """Load the decision's PDF on the worker, then show it in a preview window (owned by `over`)."""
    from khoi_desktop.gui.documents import ops

    window.worker.submit(ops.load_pdf(decision_id=decision_id), lambda copy: show_pdf(window, copy, over),
                         lambda error: present_error(window, error))



def open_register(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.documents.register_dialog import RegisterDialog

    return raise_or_open(window, RegisterDialog, lambda: RegisterDialog(
        window.worker, lambda decision_id: open_preview(window, decision_id), window))


def open_templates(window: MainWindow) -> QDialog:
    from khoi_desktop.gui.documents.template_dialog import TemplateDialog

    return raise_or_open(window, TemplateDialog, lambda: TemplateDialog(
        window.worker, lambda copy: show_pdf(window, copy), window))


def install(window: MainWindow) -> None:
    menu = window.menuBar().addMenu("&Văn bản")
    menu.setObjectName("documents_menu")
    register = tag(QAction("&Sổ văn bản đi…", window), Permission.READ)
    register.setObjectName("open_register")
    register.triggered.connect(lambda: open_register(window))
    menu.addAction(register)
    templates = tag(QAction("&Mẫu văn bản…", window), Permission.TEMPLATES)
    templates.setObjectName("open_templates")
    templates.triggered.connect(lambda: open_templates(window))
    menu.addAction(templates)
