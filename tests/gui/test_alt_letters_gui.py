"""Automatic Alt letters (gui/alt_letters.py): the first letter of a word whenever the matching allows one, and a
control whose text is changed after its dialog was shown still gets a letter."""

from __future__ import annotations

from dialog_catalogue import close_all, dialog_makers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from khoi_desktop.gui.alt_letters import letter_of, pick_letters

TIMEOUT = 20_000


def test_a_text_takes_a_free_first_letter_of_its_own_before_moving_another() -> None:
    """«Họ tên» came after «Hủy» and took its h, moving «Hủy» to «Hủ&y», though «Họ tên»'s t was free."""
    assert pick_letters(["Hủy", "Họ tên"], set()) == {0: "h", 1: "t"}
    # Moving another is still done when nothing else gives both a letter.
    assert pick_letters(["Hủy", "Họ"], set()) == {0: "y", 1: "h"}
    # First letters are matched before any other letter: «Thêm chi bộ» keeps a first letter.
    assert pick_letters(["Tìm", "Thêm chi bộ", "Chọn"], {"b"}) == {0: "t", 1: "c", 2: "h"}
    assert pick_letters(["&Lưu", "Lưu tạm"], set()) == {1: "t"}  # a hand letter is kept and never given again


def test_the_new_account_forms_cancel_reads_huy_with_its_first_letter(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """«Thêm tài khoản»: the matching gave «Hủ&y» (its h went to «Họ và tên», which had a free t)."""
    dialog = dialog_makers(main_window)["new_account"]()
    QApplication.processEvents()
    texts = {b.text().replace("&", ""): b.text() for b in dialog.findChildren(QPushButton)}
    assert texts["Hủy"] == "&Hủy"
    letters = [letter_of(b.text()) for b in dialog.findChildren(QPushButton) if b.isVisible()]
    assert None not in letters and len(letters) == len(set(letters))
    close_all(main_window)


def test_a_button_whose_text_changed_without_a_letter_gets_one_at_alt(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    """A button given a new text without «&» after its dialog was shown had no Alt letter any more."""
    from khoi_desktop.gui import meetings

    grid = meetings.open_grid(main_window)
    qtbot.waitUntil(lambda: grid.status is not None, timeout=TIMEOUT)
    grid.activateWindow()
    qtbot.waitUntil(grid.isActiveWindow, timeout=5_000)
    assert letter_of(grid.close_button.text()) is not None
    grid.close_button.setText("Đóng")  # as code changing a button's text does
    assert letter_of(grid.close_button.text()) is None
    qtbot.keyClick(grid.table, Qt.Key.Key_Alt)  # Alt pressed first, as a clerk does
    letter = letter_of(grid.close_button.text())
    assert letter is not None
    with qtbot.waitSignal(grid.finished, timeout=5_000):
        qtbot.keyClick(grid.table, letter, Qt.KeyboardModifier.AltModifier)
