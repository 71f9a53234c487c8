"""Screenshots of the main window and every dialog on the demo office, at an office laptop's 1366×768 and a
1920×1080 monitor, for a person to look at (nothing cut off, nothing squeezed).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=src python scripts/screenshots.py OUT_FOLDER [--tour docs/screenshots]

OUT_FOLDER gets 1366x768/NAME.png and 1920x1080/NAME.png; with --tour, the README's walkthrough of a
clerk's day is also written there, as small PNGs (reduced colours).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "gui"))  # the catalogue of dialogs the size test also uses

from PySide6.QtCore import QSize, QStandardPaths, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget  # noqa: E402

SIZES = (QSize(1366, 768), QSize(1920, 1080))
TASKBAR = 40
TOUR_WIDTH = 960  # the README's pictures, scaled down


def wait(app: QApplication, done: Callable[[], bool], seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, window, seconds: float = 0.3) -> None:  # type: ignore[no-untyped-def]
    wait(app, lambda: window.worker.pending == 0)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    wait(app, lambda: window.worker.pending == 0)


def save_small(widget: QWidget, path: Path) -> None:
    image = widget.grab().toImage()
    if image.width() > TOUR_WIDTH:
        image = image.scaledToWidth(TOUR_WIDTH, Qt.TransformationMode.SmoothTransformation)
    flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither  # flat colours pack small
    image.convertToFormat(QImage.Format.Format_Indexed8, flags).save(str(path), "PNG", 9)


def open_demo(app: QApplication, folder: Path):  # type: ignore[no-untyped-def]
    from conftest import ADMIN
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.demo import generate_demo
    from khoi_desktop.gui.main_window import MainWindow
    from khoi_desktop.gui.worker import DbWorker

    path = folder / "du-lieu-mau.db"
    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=1, today=dt.date.today())
    db.user = ADMIN
    window = MainWindow(DbWorker(db))
    window.show()
    wait(app, lambda: window.tree_model.snapshot is not None)
    settle(app, window)
    return window


def every_dialog(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    from dialog_catalogue import close_all, dialog_makers

    from khoi_desktop.gui import dialogs

    for size in SIZES:
        folder = out / f"{size.width()}x{size.height()}"
        folder.mkdir(parents=True, exist_ok=True)
        dialogs.screen_room = lambda _widget, size=size: QSize(size.width(), size.height() - TASKBAR)
        window.resize(size.width(), size.height() - TASKBAR - 30)
        settle(app, window)
        window.grab().save(str(folder / "main_window.png"))
        for name, make in dialog_makers(window).items():
            dialog = make()
            settle(app, window)
            if dialog is not None:
                dialog.grab().save(str(folder / f"{name}.png"))
            close_all(window)
            settle(app, window, 0.05)


def tour(app: QApplication, window, out: Path) -> None:  # type: ignore[no-untyped-def]
    """A clerk's day: find a member, split a chi bộ over 30, issue, print, appoint, back up."""
    from test_main_window import type_vietnamese

    from khoi_desktop.gui import appointments, workflows
    from khoi_desktop.gui.documents import open_preview
    from khoi_desktop.gui.workflows.split_wizard import SplitWizard

    out.mkdir(parents=True, exist_ok=True)
    window.resize(1366, 768 - TASKBAR - 30)
    type_vietnamese(window.search_edit, "nguyen thi hoa")
    wait(app, lambda: "Kết quả tìm" in window.members_title.text())
    settle(app, window)
    window.member_table.selectRow(0)
    settle(app, window)
    save_small(window, out / "1-tim-dang-vien.png")
    window.search_edit.clear()
    settle(app, window)

    finding = next(f for f in window.findings._findings if f.rule == "chi_bo_over_30")
    node = window.tree_model.snapshot.by_code(finding.org)
    window.select_org(node.id)
    window.bottom_tabs.setCurrentWidget(window.findings)
    settle(app, window)
    save_small(window, out / "2-phat-hien.png")
    wizard = SplitWizard(window, node)
    wizard.show()
    wait(app, lambda: wizard.assignment.source.count() == node.members)
    first, second = wizard.assignment.targets
    type_vietnamese(first.name_edit, "Chi bộ Phòng Kỹ thuật số 1")
    type_vietnamese(second.name_edit, "Chi bộ Phòng Kỹ thuật số 2")
    wizard.assignment.share_remaining()
    settle(app, window, 0.6)
    save_small(wizard, out / "3-tach-chi-bo.png")
    wizard.next()
    wait(app, lambda: wizard.last_check is not None)
    # A chi bộ trực thuộc is split by its đảng ủy cơ sở (Điều 10 khoản 3): the clerk records their signed decision.
    recorded = wizard.decision_page.recorded
    recorded.setChecked(True)
    recorded.number.setText("05-QĐ/ĐU")
    type_vietnamese(recorded.signer, "Nguyễn Văn Bình")
    settle(app, window, 0.6)
    save_small(wizard, out / "4-ban-hanh.png")
    wizard.save(issue=True, confirm=lambda: True)
    settle(app, window, 1.0)
    for box in QApplication.topLevelWidgets():
        if isinstance(box, QMessageBox) and box.isVisible():
            save_small(box, out / "5-da-ban-hanh.png")
            box.done(0)
    dialog = workflows.open_decisions(window)
    settle(app, window)
    dialog.table.selectRow(0)
    open_preview(window, dialog.visible_rows()[0].id, dialog)
    settle(app, window, 1.0)
    from khoi_desktop.gui.documents.preview_dialog import PreviewDialog

    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog) and w.isVisible())
    preview.resize(900, 680)
    settle(app, window, 0.5)
    save_small(preview, out / "6-xem-in.png")
    preview.close()
    dialog.close()
    new = max((n for n in window.tree_model.snapshot.active_nodes() if n.name == "Chi bộ Phòng Kỹ thuật số 1"),
              key=lambda n: n.id)
    appoint = appointments.open_appoint_dialog(window, new.id)
    wait(app, lambda: appoint.loaded and not appoint.picker.searching)
    for row in range(2):
        appoint.picker.results.setCurrentRow(row)
        appoint.picker.pick_current()
    appoint.refresh()
    settle(app, window, 0.8)
    save_small(appoint, out / "7-chi-dinh.png")
    appoint.close()
    usb = window.backup_controller.open_usb_dialog()
    settle(app, window)
    save_small(usb, out / "8-sao-luu.png")
    usb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tour", type=Path)
    parser.add_argument("--tour-only", action="store_true", help="only the walkthrough, not every dialog")
    args = parser.parse_args()
    QStandardPaths.setTestModeEnabled(True)
    from khoi_desktop.gui.app import make_application

    app = make_application()
    with tempfile.TemporaryDirectory() as temp:
        window = open_demo(app, Path(temp))
        if not args.tour_only:
            every_dialog(app, window, args.out)
        if args.tour:
            tour(app, window, args.tour)
        window.close()
        window.worker.close()


if __name__ == "__main__":
    main()
