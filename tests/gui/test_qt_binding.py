"""The Qt binding must keep Python's reference counts: PySide6 6.12.0 released True/False once per bool
signal and per bool virtual call from C++, so a session aborted after some thousands of clicks."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton, QWizard, QWizardPage


class _Page(QWizardPage):
    def isComplete(self) -> bool:
        return True


class _Emitter(QObject):
    flag = Signal(bool)


def _true_refs_after(action, times: int = 2000) -> int:  # type: ignore[no-untyped-def]
    gc.collect()
    before = sys.getrefcount(True)
    for _ in range(times):
        action()
    gc.collect()
    return sys.getrefcount(True) - before


def test_bool_signals_and_virtuals_keep_reference_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    emitter.flag.connect(lambda value: None)
    wizard = QWizard()
    qtbot.addWidget(wizard)
    page = _Page()
    wizard.addPage(page)
    button = QPushButton("x")
    qtbot.addWidget(button)
    button.setCheckable(True)
    button.toggled.connect(lambda checked: None)
    assert abs(_true_refs_after(lambda: emitter.flag.emit(True))) < 50
    assert abs(_true_refs_after(page.completeChanged.emit)) < 50
    assert abs(_true_refs_after(lambda: button.setChecked(not button.isChecked()))) < 50
