"""Rating returns by Excel in the GUI: produce a TCCSĐ's workbook; import one back (checked first: problems by
sheet, row and column; otherwise the changes listed and confirmed before the body's ratings are replaced)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from khoi_desktop.core.changes import Area
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.gui.errors import present_error
from khoi_desktop.gui.ratings import ops

if TYPE_CHECKING:
    from khoi_desktop.gui.main_window import MainWindow

TITLE = "Báo cáo xếp loại chất lượng"


def _tccsd_of(window: MainWindow, node: OrgNode | None) -> OrgNode | None:
    snapshot = window.tree_model.snapshot
    while node is not None and snapshot is not None and not node.kind.is_tccsd:
        node = snapshot.nodes.get(node.parent_id) if node.parent_id is not None else None
    return node


def ask_year(window: MainWindow) -> int | None:
    last = dt.date.today().year - 1
    year, ok = QInputDialog.getInt(window, TITLE, "Năm xếp loại:", last, 2000, 2100)
    return year if ok else None


def make_template(window: MainWindow, node: OrgNode | None, year: int | None = None,
                  path: Path | None = None) -> None:
    tccsd = _tccsd_of(window, node)
    if tccsd is None:
        QMessageBox.information(window, TITLE, "Hãy chọn một đảng bộ cơ sở (hoặc chi bộ cơ sở) trong cây tổ chức "
                                               "trước.")
        return
    year = year or ask_year(window)
    if year is None:
        return
    if path is None:
        default = Path.home() / f"xep-loai-{tccsd.code}-{year}.xlsx"
        name, _ = QFileDialog.getSaveFileName(window, "Lưu tệp báo cáo xếp loại", str(default), "Excel (*.xlsx)")
        if not name:
            return
        path = Path(name)
    def done(counts: tuple[int, int]) -> None:
        QMessageBox.information(
            window, "Đã lập báo cáo", f"Đã lập tệp báo cáo xếp loại năm {year} của {tccsd.name} ({counts[0]} tổ "
                                      f"chức đảng, {counts[1]} đảng viên): {path}\nGửi tệp cho tổ chức cơ sở đảng "
                                      "điền, rồi nhập lại bằng “Nhập báo cáo xếp loại từ Excel”.")

    window.worker.submit(ops.write_template(org_code=tccsd.code, year=year, path=path), done,
                         lambda e: present_error(window, e))


def make_all_templates(window: MainWindow, year: int | None = None, folder: Path | None = None) -> None:
    """Every TCCSĐ's return workbook at once, into one folder (xep-loai-MÃ-NĂM.xlsx each)."""
    from khoi_desktop.gui.file_dialogs import ask_folder

    year = year or ask_year(window)
    if year is None:
        return
    folder = folder or ask_folder(window, "Thư mục nhận các tệp báo cáo xếp loại")
    if folder is None:
        return
    chosen = folder

    def done(written: list[tuple[str, int, int]]) -> None:
        members = sum(count for _code, _orgs, count in written)
        box = QMessageBox(QMessageBox.Icon.Information, "Đã lập báo cáo",
                          f"Đã lập {len(written)} tệp báo cáo xếp loại năm {year} ({members} đảng viên) trong thư mục"
                          f" {chosen}.\nMỗi tổ chức cơ sở đảng một tệp xep-loai-<mã>-{year}.xlsx: gửi cho từng tổ "
                          "chức điền, rồi nhập lại bằng “Nhập báo cáo xếp loại từ Excel”.",
                          QMessageBox.StandardButton.Close, window)
        box.setObjectName("ratings_all_done")
        box.open()

    window.worker.submit(ops.write_all_templates(year=year, folder=chosen), done, lambda e: present_error(window, e))


def import_workbook(window: MainWindow, path: Path | None = None, year: int | None = None) -> None:
    year = year or ask_year(window)
    if year is None:
        return
    if path is None:
        name, _ = QFileDialog.getOpenFileName(window, "Nhập báo cáo xếp loại", str(Path.home()), "Excel (*.xlsx)")
        if not name:
            return
        path = Path(name)
    window.worker.submit(ops.analyze_return(path=path, year=year), lambda r: _checked(window, path, year, r),
                         lambda e: present_error(window, e))


def _box(window: MainWindow, icon: QMessageBox.Icon, title: str, text: str, details: list[str],
         name: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, window)
    box.setObjectName(name)
    if details:
        box.setDetailedText("\n".join(details))
        box.setInformativeText("\n".join(details[:12]) + ("\n…" if len(details) > 12 else ""))
    return box


def _checked(window: MainWindow, path: Path, year: int, report: Any) -> None:
    if not report.ok:
        box = _box(window, QMessageBox.Icon.Warning, "Tệp báo cáo có lỗi", report.summary(),
                   [p.text() for p in report.errors], "rating_return_errors")
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        return
    box = _box(window, QMessageBox.Icon.Question, TITLE, report.summary() +
               ("\nCác thay đổi so với số liệu đã có:" if report.changes else ""), report.changes,
               "rating_return_confirm")
    yes = box.addButton("Nhập và thay kết quả đã có", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Không nhập", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not yes:
        return

    def done(result: Any) -> None:
        window.notify_changed(frozenset({Area.RATINGS}))
        QMessageBox.information(window, "Đã nhập", result.summary())

    window.worker.submit(ops.import_return(path=path, year=year), done, lambda e: present_error(window, e))
