"""A modal dialog nobody answers fails its test instead of hanging the suite.

pytest-timeout (pyproject) bounds every test, but its alarm cannot end a test that sits in a modal dialog's
own event loop: Python's signal handler runs, raises inside whatever Qt slot happens to be running, and the
dialog stays open. So while a GUI test runs, a timer watches the active modal widget; one left open longer
than MODAL_LIMIT_S is closed (rejected) and the test is failed, naming the dialog's text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

MODAL_LIMIT_S = 60.0  # a test answers its boxes within milliseconds; a minute open is a box nobody answers
CHECK_MS = 250


def _describe(widget: object) -> str:
    from PySide6.QtWidgets import QMessageBox, QWidget

    if isinstance(widget, QMessageBox):
        return f"{type(widget).__name__} «{widget.windowTitle()}»: {widget.text()}"
    if isinstance(widget, QWidget):
        return f"{type(widget).__name__} «{widget.windowTitle()}» ({widget.objectName() or 'no object name'})"
    return repr(widget)


class ModalWatch:
    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.closed: list[str] = []
        self._seen: object | None = None
        self._since = 0.0

    def check(self) -> None:
        from PySide6.QtWidgets import QApplication, QDialog

        modal = QApplication.activeModalWidget()
        if modal is None or modal is not self._seen:
            self._seen, self._since = modal, time.monotonic()
            return
        if time.monotonic() - self._since < self.limit_s:
            return
        self.closed.append(_describe(modal))
        self._seen = None
        if isinstance(modal, QDialog):
            modal.reject()  # ends its exec(): the test goes on and is failed at teardown
        else:
            modal.close()


@pytest.fixture(autouse=True)
def _modal_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QTimer

    request.getfixturevalue("qapp")
    watch = ModalWatch(request.node.get_closest_marker("modal_limit").args[0]
                       if request.node.get_closest_marker("modal_limit") else MODAL_LIMIT_S)
    timer = QTimer()
    timer.timeout.connect(watch.check)
    timer.start(CHECK_MS)
    yield
    timer.stop()
    if watch.closed:
        pytest.fail("Hộp thoại mở mà không ai trả lời (đã đóng sau "
                    f"{watch.limit_s:g} giây): " + "; ".join(watch.closed), pytrace=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "modal_limit(seconds): how long a modal dialog may stay unanswered")
