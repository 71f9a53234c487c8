"""First start: the issuing-body dialog creates a configured database; bad input is refused."""

from __future__ import annotations

import datetime as dt
import unicodedata

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from khoi_desktop.core.models import AuditEntry, Term
from khoi_desktop.core.settings import load_settings
from khoi_desktop.gui.app import open_new_office
from khoi_desktop.gui.first_start_dialog import FirstStartChoice, FirstStartDialog


def test_new_office_is_created_with_normalized_settings(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.place.setText(unicodedata.normalize("NFD", "Bắc Kạn"))
    dialog.secretary.setText("Hoàng Văn Thụ")
    dialog.term.setText("2025 – 2030")
    dialog.new_button.click()
    assert dialog.choice is FirstStartChoice.NEW

    worker = open_new_office(tmp_path / "khoi.db", dialog)
    with worker.db.reading() as session:
        settings = load_settings(session)
        term = session.scalars(select(Term)).one()
        audit = session.scalars(select(AuditEntry)).all()
    worker.close()
    assert settings.configured
    assert settings.place_name == "Bắc Kạn" and unicodedata.is_normalized("NFC", settings.place_name)
    assert [s.name for s in settings.signers] == ["Hoàng Văn Thụ"]
    assert (term.name, term.starts_on, term.ends_on) == ("2025-2030", dt.date(2025, 10, 1), dt.date(2030, 9, 30))
    assert [a.action for a in audit] == ["office.create"]


def test_missing_signer_or_bad_term_is_refused(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.term.setText("hai nghìn")
    messages: list[str] = []

    def close_warning() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            messages.append(box.text())
            box.accept()

    QTimer.singleShot(50, close_warning)
    dialog.new_button.click()
    assert dialog.choice is None
    assert messages and "Nhiệm kỳ" in messages[0]
