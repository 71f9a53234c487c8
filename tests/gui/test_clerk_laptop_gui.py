"""A clerk's day at an office laptop's 1366×768 (session 12's walk): what they saw, clicked and typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_appointments_gui import chi_bo, pick, wait_checked  # noqa: F401  (chi_bo is a fixture)

from khoi_desktop.core.models import SeatRole

TIMEOUT = 20_000


def test_the_appointment_mode_is_chosen_not_assumed(qtbot, main_window, chi_bo) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """«Hình thức» opened on «Chuẩn y (bổ sung)»: a clerk who meant a chỉ định and never looked at the box issued a
    chuẩn y. Now nothing is chosen and the decision cannot be drafted until the clerk chooses."""
    from khoi_desktop.gui.appointments import open_appoint_dialog

    node = chi_bo["node"]
    dialog = open_appoint_dialog(main_window, node.id)
    qtbot.waitUntil(lambda: dialog.loaded and not dialog.picker.searching, timeout=TIMEOUT)
    assert dialog.mode.currentIndex() == -1 and dialog.mode.currentText() == ""
    assert "Chọn hình thức, đồng chí và chức danh" in dialog.status.text()
    outside = chi_bo["outside"]
    pick(qtbot, dialog, outside.full_name)
    assert [(s.member, s.role) for s in dialog.seats()] == [(outside.code, SeatRole.CAP_UY_VIEN)]
    assert not wait_checked(qtbot, dialog)
    assert "Chưa chọn hình thức: chỉ định hay chuẩn y (bổ sung)." in dialog.status.text()
    qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and not dialog.draft_button.isEnabled()

    dialog.mode.setCurrentIndex(dialog.mode.findData("chi_dinh"))
    qtbot.keyClicks(dialog.override, "Bo sung can bo tre")  # the demo's chi ủy is full
    assert wait_checked(qtbot, dialog), dialog.status.text()
    assert "về việc chỉ định bổ sung Chi ủy viên" in dialog.preview.toPlainText()
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.draft_button, Qt.MouseButton.LeftButton)
