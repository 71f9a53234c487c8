"""Monthly returns by Excel in the GUI: produce a đảng bộ's workbook; import one back (check first, list the
problems by sheet, row and column, ask before replacing a month already recorded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from khoi_desktop.core.changes import Area
from khoi_desktop.core.meetings.recording import month_label
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.meetings import ops

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow


def _tccsd_of(window: MainWindow, node: OrgNode | None) -> OrgNode | None:
    snapshot = window.tree_model.snapshot
    while node is not None and snapshot is not None and not node.kind.is_tccsd:
        node = snapshot.nodes.get(node.parent_id) if node.parent_id is not None else None
    return node


def make_template(window: MainWindow, node: OrgNode | None, month: dt.date | None = None,
                  path: Path | None = None) -> None:
    tccsd = _tccsd_of(window, node)
    if tccsd is None:
        QMessageBox.information(window, "Báo cáo sinh hoạt chi bộ",
                                "Hãy chọn một đảng bộ cơ sở (hoặc chi bộ cơ sở) trong cây tổ chức trước.")
        return
    if month is None:
        today = dt.date.today()
        last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        choices = [last, today.replace(day=1)]
        labels = [month_label(m) for m in choices]
        label, ok = QInputDialog.getItem(window, "Báo cáo sinh hoạt chi bộ", "Tháng báo cáo:", labels, 0, False)
        if not ok:
            return
        month = choices[labels.index(label)]
    if path is None:
        default = Path.home() / f"sinh-hoat-chi-bo-{tccsd.code}-{month:%Y-%m}.xlsx"
        name, _ = QFileDialog.getSaveFileName(window, "Lưu tệp báo cáo tháng", str(default), "Excel (*.xlsx)")
        if not name:
            return
        path = Path(name)
    window.worker.submit(
        ops.write_template(org_code=tccsd.code, month=month, path=path),
        lambda count: QMessageBox.information(
            window, "Đã lập báo cáo", f"Đã lập tệp báo cáo sinh hoạt chi bộ {month_label(month)} của {tccsd.name} "
                                      f"({count} chi bộ): {path}\nGửi tệp cho đảng bộ điền, rồi nhập lại bằng "
                                      "“Nhập báo cáo tháng từ Excel”."),
        lambda e: present_error(window, e))


def import_workbook(window: MainWindow, path: Path | None = None) -> None:
    if path is None:
        name, _ = QFileDialog.getOpenFileName(window, "Nhập báo cáo sinh hoạt chi bộ", str(Path.home()),
                                              "Excel (*.xlsx)")
        if not name:
            return
        path = Path(name)
    window.worker.submit(ops.analyze_return(path=path), lambda report: _checked(window, path, report),
                         lambda e: present_error(window, e))


def _box(window: MainWindow, icon: QMessageBox.Icon, title: str, text: str, details: list[str],
         name: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, window)
    box.setObjectName(name)
    if details:
        box.setDetailedText("\n".join(details))
        box.setInformativeText("\n".join(details[:12]) + ("\n…" if len(details) > 12 else ""))
    return box


def _checked(window: MainWindow, path: Path, report: Any) -> None:
    if not report.ok:
        box = _box(window, QMessageBox.Icon.Warning, "Tệp báo cáo có lỗi", report.summary(),
                   [p.text() for p in report.errors], "return_errors")
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        return
    if not report.plans:
        QMessageBox.information(window, "Không có gì mới", report.summary())
        return
    lines = [f"{label}: {change}" for label, changes in report.changes.items() for change in changes]
    box = _box(window, QMessageBox.Icon.Question, "Nhập báo cáo sinh hoạt chi bộ", report.summary() +
               ("\nCác thay đổi so với số liệu đã có:" if lines else ""), lines, "return_confirm")
    yes = box.addButton("Ghi đè và nhập" if lines else "Nhập", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Không nhập", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not yes:
        return

    def done(result: Any) -> None:
        window.notify_changed(frozenset({Area.MEETINGS}))
        QMessageBox.information(window, "Đã nhập", result.summary())

    window.worker.submit(ops.import_return(path=path, replace=bool(lines)), done, lambda e: present_error(window, e))
