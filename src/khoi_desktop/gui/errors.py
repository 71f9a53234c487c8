"""One presenter for errors: known refusals show their message, faults a dialog with copyable details."""

from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING

from khoi_desktop.core.errors import KhoiError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


def present_error(parent: QWidget | None, error: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox  # a message box's class is not part of the first frame

    from khoi_desktop.core.faults import known_fault

    error = known_fault(error) or error  # a full disk or a damaged file, in Vietnamese
    if isinstance(error, KhoiError):
        QMessageBox.warning(parent, "Không thực hiện được", error.message)
        return
    details = "".join(traceback.format_exception(error))
    log.error("unexpected fault: %s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "Lỗi không mong đợi",
                      # One sentence a line: the box's width wrapped «…Dữ liệu không bị thay / đổi.»
                      "Đã xảy ra lỗi không mong đợi.\nDữ liệu không bị thay đổi.\n"
                      "Hãy gửi phần chi tiết dưới đây cho bộ phận kỹ thuật.", QMessageBox.StandardButton.Ok, parent)
    box.setDetailedText(details)
    box.button(QMessageBox.StandardButton.Ok).setText("Đóng")
    box.exec()
