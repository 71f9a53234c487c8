"""No dialog asks for more than an office laptop's screen: 1366×768, less the taskbar (issue 21)."""

from __future__ import annotations

from dialog_catalogue import close_all, dialog_makers
from PySide6.QtWidgets import QApplication

SCREEN_WIDTH, SCREEN_HEIGHT = 1366, 768
TASKBAR_AND_TITLE = 70  # Windows' taskbar (40) and a window's title bar (30)


def test_every_dialog_fits_an_office_laptop_screen(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSize

    from khoi_desktop.gui import dialogs

    # Dialogs that size themselves to the screen see a laptop's: 1366×768 less a 40-pixel taskbar.
    monkeypatch.setattr(dialogs, "screen_room", lambda _widget: QSize(SCREEN_WIDTH, SCREEN_HEIGHT - 40))
    too_big = {}
    makers = dialog_makers(main_window)
    for name, make in makers.items():
        dialog = make()
        qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
        QApplication.processEvents()
        assert dialog is not None, name
        needed = dialog.minimumSize().expandedTo(dialog.minimumSizeHint())
        if needed.width() > SCREEN_WIDTH or needed.height() > SCREEN_HEIGHT - TASKBAR_AND_TITLE:
            too_big[name] = (needed.width(), needed.height())
        if dialog.width() > SCREEN_WIDTH or dialog.height() > SCREEN_HEIGHT - TASKBAR_AND_TITLE:
            too_big[f"{name} (as opened)"] = (dialog.width(), dialog.height())
        close_all(main_window)
    assert len(makers) >= 30
    assert too_big == {}
