"""Every dialog of the program, opened the way a clerk opens it, on the demo office.

Used by the test that no dialog asks for more than an office laptop's screen, and by
scripts/screenshots.py, which saves each dialog at 1366×768 and 1920×1080 for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QWidget

from khoi_desktop.core.models import OrgKind


def _chi_bo(window, *, members: int = 12):  # type: ignore[no-untyped-def]
    snapshot = window.tree_model.snapshot
    return next(n for n in sorted(snapshot.active_nodes(), key=lambda n: n.code)
                if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_members >= members)


def _dang_bo(window):  # type: ignore[no-untyped-def]
    snapshot = window.tree_model.snapshot
    return next(snapshot.nodes[i] for i in snapshot.roots if snapshot.nodes[i].kind is OrgKind.DANG_BO_CO_SO)


def _big_chi_bo(window):  # type: ignore[no-untyped-def]
    snapshot = window.tree_model.snapshot
    return max((n for n in snapshot.active_nodes() if n.kind.is_chi_bo), key=lambda n: n.direct_members)


def _member(window):  # type: ignore[no-untyped-def]
    """A member of the first chi bộ of 12 (its roster read here: the window lists members on demand)."""
    from khoi_desktop.core.members import members_of

    with window.worker.db.reading() as session:
        return members_of(session, [_chi_bo(window).id], TODAY)[0]


def dialog_makers(window) -> dict[str, Callable[[], QWidget | None]]:  # type: ignore[no-untyped-def]
    """Name -> a function that opens the dialog over `window` and returns it."""
    from khoi_desktop.gui import appointments, auth, documents, meetings, members, spreadsheets, workflows
    from khoi_desktop.gui.auth.account_dialogs import NewAccountDialog
    from khoi_desktop.gui.documents.compounds_dialog import CompoundsDialog
    from khoi_desktop.gui.first_start_dialog import FirstStartDialog
    from khoi_desktop.gui.members.admit_wizards import AdmitWizard
    from khoi_desktop.gui.members.admit_wizards import ReceiveWizard as MemberReceiveWizard
    from khoi_desktop.gui.members.thresholds_dialog import ThresholdsDialog
    from khoi_desktop.gui.members.wizards import LeaveWizard, TransferMemberWizard
    from khoi_desktop.gui.workflows.form_wizards import (
        AbsorbWizard,
        ConsolidateWizard,
        DissolveWizard,
        FoundWizard,
        HandOverWizard,
        TransferWizard,
    )
    from khoi_desktop.gui.workflows.receive_wizard import ReceiveWizard
    from khoi_desktop.gui.workflows.split_wizard import SplitWizard, UpgradeWizard

    def shown(widget: QWidget) -> QWidget:
        widget.show()
        return widget

    def preview() -> QWidget:
        from khoi_desktop.core.decision_content import PrintInfo
        from khoi_desktop.documents.pdf import render_pdf
        from khoi_desktop.documents.sample import sample_content
        from khoi_desktop.gui.documents.preview_dialog import PreviewDialog

        pdf = render_pdf(sample_content(), PrintInfo(12, TODAY, draft=False))
        return shown(PreviewDialog(pdf, "Quyết định số 12-QĐ/ĐUK", "QD-12", window))

    backup = window.backup_controller
    return {
        "preview": preview,
        "found": lambda: shown(FoundWizard(window, _dang_bo(window))),
        "split": lambda: shown(SplitWizard(window, _big_chi_bo(window))),
        "upgrade": lambda: shown(UpgradeWizard(window, _big_chi_bo(window))),
        "consolidate": lambda: shown(ConsolidateWizard(window, _chi_bo(window))),
        "absorb": lambda: shown(AbsorbWizard(window, _chi_bo(window))),
        "transfer": lambda: shown(TransferWizard(window, _chi_bo(window))),
        "hand_over": lambda: shown(HandOverWizard(window, _chi_bo(window))),
        "dissolve": lambda: shown(DissolveWizard(window, _chi_bo(window))),
        "receive": lambda: shown(ReceiveWizard(window)),
        "decisions": lambda: workflows.open_decisions(window),
        "register": lambda: documents.open_register(window),
        "templates": lambda: documents.open_templates(window),
        "compounds": lambda: shown(CompoundsDialog(window.worker, window)),
        "committee": lambda: appointments.open_committee_dialog(window, _dang_bo(window).id),
        "appoint": lambda: appointments.open_appoint_dialog(window, _chi_bo(window).id),
        "approve_election": lambda: appointments.open_appoint_dialog(window, _dang_bo(window).id, election=True),
        "end_seat": lambda: appointments.open_end_seat_dialog(window, _dang_bo(window).id),
        "submissions": lambda: appointments.open_submissions(window),
        "submission_form": lambda: appointments.open_submission_form(window),
        "appointment_summary": lambda: appointments.open_summary(window),
        "committee_alerts": lambda: appointments.open_alerts(window),
        "import": lambda: spreadsheets.open_import(window),
        "export": lambda: spreadsheets.open_export(window),
        "statistics": lambda: spreadsheets.open_statistics(window),
        "backup_usb": backup.open_usb_dialog,
        "backup_list": backup.open_list_dialog,
        "restore": backup.open_restore_dialog,
        "backup_settings": backup.open_settings_dialog,
        "users": lambda: auth.open_users(window),
        "new_account": lambda: shown(NewAccountDialog(window.worker.submit, window)),
        "change_password": lambda: auth.open_change_password(window),
        "audit": lambda: auth.open_audit(window),
        "lock_screen": lambda: window.idle_lock.lock(),
        # Shown before any window exists (gui/app.py): owned by the window, its gate would hide its buttons.
        "first_start": lambda: shown(FirstStartDialog()),
        "meeting": lambda: meetings.open_meeting_dialog(window, _chi_bo(window).id),
        "meeting_grid": lambda: meetings.open_grid(window),
        "meeting_history": lambda: meetings.open_history(window, _chi_bo(window)),
        "meeting_year": lambda: meetings.open_year(window),
        "meeting_criteria": lambda: meetings.open_criteria(window),
        "member_letters": lambda: members.open_letters(window),
        "member_thresholds": lambda: shown(ThresholdsDialog(window)),
        "admit": lambda: shown(AdmitWizard(window)),
        "member_receive": lambda: shown(MemberReceiveWizard(window)),
        "member_transfer": lambda: shown(TransferMemberWizard(window, _member(window))),
        "member_leave": lambda: shown(LeaveWizard(window, _member(window))),
    }


def close_all(window) -> None:  # type: ignore[no-untyped-def]
    """Close whatever the last dialog left open (the lock screen included)."""
    lock = getattr(window, "idle_lock", None)
    if lock is not None and lock.dialog is not None:
        dialog = lock.dialog
        lock._unlock()  # as if the password was typed
        dialog.done(0)
    for widget in QApplication.topLevelWidgets():
        if widget is not window and widget.isVisible():
            widget.close()


TODAY = dt.date.today()
