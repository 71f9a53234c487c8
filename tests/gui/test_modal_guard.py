"""The suite's guard against a modal dialog nobody answers (tests/modal_guard.py) really ends the dialog."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from modal_guard import ModalWatch


def test_a_box_nobody_answers_is_closed_and_named(qtbot) -> None:  # type: ignore[no-untyped-def]
    watch = ModalWatch(0.3)
    timer = QTimer()
    timer.timeout.connect(watch.check)
    timer.start(50)
    answer = QMessageBox.question(None, "Xác nhận", "Ban hành quyết định?")  # returns only once closed
    timer.stop()
    assert answer != QMessageBox.StandardButton.Yes
    assert watch.closed == ["QMessageBox «Xác nhận»: Ban hành quyết định?"]
