"""Qt's own buttons and texts appear in Vietnamese."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWizard

from khoi_desktop.gui.app import make_application


def test_standard_buttons_message_boxes_and_wizards_speak_vietnamese(qtbot) -> None:  # type: ignore[no-untyped-def]
    make_application()
    box = QMessageBox(QMessageBox.Icon.Warning, "Lỗi", "x",
                      QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    assert {b.text() for b in box.buttons()} == {"Đồng ý", "Hủy", "Xem chi tiết…"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert [b.text() for b in buttons.buttons()] == ["Lưu", "Đóng"]
    wizard = QWizard()
    qtbot.addWidget(wizard)
    assert wizard.buttonText(QWizard.WizardButton.BackButton) == "< &Quay lại"
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "&Tiếp >"


def test_texts_without_a_translation_keep_qt_wording(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    make_application()
    assert QCoreApplication.translate("QFileDialog", "Look in:") == "Tìm trong:"
    assert QCoreApplication.translate("QFileDialog", "Something Qt says") == "Something Qt says"
    assert QCoreApplication.translate("QCalendarWidget", "Today") == "Today"
