"""After saving: say what happened and offer the next step (view the document, appoint the committee)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QPushButton

from khoi_desktop.gui.workflows.jobs import Saved

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def show_result(window: MainWindow, saved: Saved) -> QMessageBox:
    decision = saved.decision
    if decision.code and decision.recorded:  # a đảng ủy cơ sở signed it; this office records it
        text = f"Đã ghi nhận Quyết định số {decision.code} {decision.subject}; tổ chức và đảng viên đã được cập nhật."
    elif decision.code:
        text = f"Đã ban hành Quyết định số {decision.code} {decision.subject}."
    else:
        text = (f"Đã lưu dự thảo quyết định {decision.subject}. Có thể sửa, ban hành hoặc hủy trong "
                "«Danh sách quyết định».")
    box = QMessageBox(QMessageBox.Icon.Information, "Đã ghi", text, parent=window)
    box.setObjectName("workflow_result")
    from khoi_desktop.gui.appointments import open_appoint_dialog as appoint  # areas that import this one
    from khoi_desktop.gui.documents import open_preview as preview

    actions: list[tuple[QPushButton, Callable[[], object]]] = []
    actions.append((box.addButton("Xem văn bản", QMessageBox.ButtonRole.ActionRole),
                    lambda: preview(window, decision.id)))
    if decision.code and saved.created_org_ids:
        actions.append((box.addButton("Chỉ định cấp ủy", QMessageBox.ButtonRole.ActionRole),
                        lambda: appoint(window, saved.created_org_ids[0])))
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)

    def follow(button) -> None:  # type: ignore[no-untyped-def]
        for candidate, run in actions:
            if button is candidate:
                run()

    box.buttonClicked.connect(follow)
    box.open()  # not modal-blocking: the window stays usable and tests can close it
    return box
