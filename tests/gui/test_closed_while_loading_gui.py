"""A dialog closed while its load is on the worker: the answer comes to a deleted dialog (WA_DeleteOnClose) and is
dropped, instead of raising «Internal C++ object … already deleted» in the event loop (f27f0bb fixed the month
grid alone; 16 other dialogs raised it)."""

from __future__ import annotations

from dialog_catalogue import close_all, dialog_makers
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

# Every dialog of the catalogue that asks the worker for something when it opens.
LOADING = ["split", "upgrade", "decisions", "register", "templates", "compounds", "committee", "appoint",
           "approve_election", "end_seat", "submissions", "appointment_summary", "committee_alerts", "import",
           "export", "statistics", "backup_list", "users", "audit", "meeting", "meeting_grid", "meeting_history",
           "meeting_year", "meeting_criteria", "member_letters"]


def test_each_dialog_closed_while_it_loads_drops_the_late_answer(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    worker = main_window.worker
    makers = dialog_makers(main_window)
    raised: dict[str, str] = {}
    for name in LOADING:
        with qtbot.capture_exceptions() as exceptions:
            worker.hold()  # the dialog's loads wait until it has been closed and deleted
            try:
                assert makers[name]() is not None, name
                QApplication.processEvents()
                assert worker.pending >= 1, f"{name} asked the worker for nothing"
                close_all(main_window)
                QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            finally:
                worker.release()
            qtbot.waitUntil(lambda: worker.pending == 0, timeout=20_000)
            QApplication.processEvents()
        if exceptions:
            raised[name] = str(exceptions[0][1])
    assert raised == {}


def test_a_late_error_of_a_closed_dialog_is_still_told(qtbot, main_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The error of a job whose dialog was closed meanwhile is shown without it, not lost."""
    from khoi_desktop.core.errors import ValidationError
    from khoi_desktop.gui import errors
    from khoi_desktop.gui.meetings.history_dialog import HistoryDialog

    shown: list[tuple[object, str]] = []
    monkeypatch.setattr(errors, "present_error", lambda parent, error: shown.append((parent, str(error))))
    dialog = dialog_makers(main_window)["meeting_history"]()
    assert isinstance(dialog, HistoryDialog)
    qtbot.waitUntil(lambda: main_window.worker.pending == 0, timeout=20_000)
    worker = main_window.worker
    worker.hold()

    def fail(_db: object) -> None:
        raise ValidationError("Không đọc được.", code="x")

    worker.submit(fail, lambda _r: None, lambda e: errors.present_error(dialog, e))
    close_all(main_window)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    worker.release()
    qtbot.waitUntil(lambda: worker.pending == 0, timeout=20_000)
    assert len(shown) == 1 and shown[0][0] is None and "Không đọc được." in shown[0][1]
