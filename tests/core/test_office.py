"""Setting up a new office: settings saved in NFC, the committee's current term, the audit entry."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select

from khoi_desktop.core import audit
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import AuditEntry, Term
from khoi_desktop.core.office import create_office, parse_term
from khoi_desktop.core.settings import OfficeSettings, load_settings


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-2030", ("2025-2030", 2025, 2030)),
    ("2025 – 2030", ("2025-2030", 2025, 2030)),
    (" 2020 - 2025 ", ("2020-2025", 2020, 2025)),
])
def test_parse_term(text: str, expected: tuple[str, int, int]) -> None:
    assert parse_term(text) == expected


@pytest.mark.parametrize("text", ["2025", "2030-2025", "2025-2040", "nhiệm kỳ mới", ""])
def test_parse_term_refuses(text: str) -> None:
    with pytest.raises(ValidationError, match="Nhiệm kỳ") as caught:
        parse_term(text)
    assert caught.value.code == "invalid_term"


def test_create_office(db: Database) -> None:
    typed = OfficeSettings(place_name=unicodedata.normalize("NFD", " Bắc Kạn "))
    with db.writing() as session:
        saved = create_office(session, typed, term="2025 – 2030", term_starts_on=dt.date(2025, 10, 1),
                              actor="vanthu")
    assert saved.configured is True
    assert saved.place_name == "Bắc Kạn"
    with db.reading() as session:
        assert load_settings(session) == saved
        term = session.scalars(select(Term)).one()
        assert (term.name, term.starts_on, term.ends_on) == ("2025-2030", dt.date(2025, 10, 1),
                                                              dt.date(2030, 9, 30))
        entries = session.scalars(select(AuditEntry)).all()
        assert [(e.actor, e.action) for e in entries] == [("vanthu", "office.create")]
        assert audit.first_broken_entry(session) is None


def test_a_term_starts_in_its_first_year_or_one_either_side_and_ends_the_day_before() -> None:
    # «2025-2030» from 01/01/2031 was saved ending 31/12/2029, before it began; from 29/02/2024 («2024-2029») the
    # end date did not exist and the command failed (exit 1, ValueError).
    from khoi_desktop.core.office import term_dates

    assert term_dates("2025 - 2030", dt.date(2025, 10, 1)) == ("2025-2030", dt.date(2025, 10, 1),
                                                                 dt.date(2030, 9, 30))
    assert term_dates("2024-2029", dt.date(2024, 2, 29))[2] == dt.date(2029, 2, 28)
    assert term_dates("2025-2030", dt.date(2026, 6, 1))[2] == dt.date(2030, 5, 31)  # a congress a year late
    for day in (dt.date(2031, 1, 1), dt.date(2023, 12, 31)):
        with pytest.raises(ValidationError) as caught:
            term_dates("2025-2030", day)
        assert caught.value.code == "invalid_term"
        assert caught.value.message.startswith(f"Nhiệm kỳ 2025-2030 không thể bắt đầu ngày {day:%d/%m/%Y}: ngày "
                                               "bắt đầu phải trong năm 2025 (đại hội có thể sớm hoặc muộn một "
                                               "năm: từ năm 2024 đến năm 2026).")


def test_create_office_refuses_missing_names_and_changes_nothing(db: Database) -> None:
    blank = dataclasses.replace(OfficeSettings(), place_name=" ", issuer_code="")
    with pytest.raises(ValidationError) as caught, db.writing() as session:
        create_office(session, blank, term="2025-2030", term_starts_on=dt.date(2025, 10, 1), actor="vanthu")
    assert caught.value.code == "missing_settings"
    assert "địa danh" in caught.value.message and "ký hiệu cơ quan ban hành" in caught.value.message
    with db.reading() as session:
        assert session.scalars(select(Term)).all() == []
        assert session.scalars(select(AuditEntry)).all() == []
        assert load_settings(session).configured is False


def test_settings_read_together_see_what_the_transaction_writes(db: Database) -> None:
    """The usual settings are read in one query on a session's first setting; one missing then and written
    later in the same transaction (flushed or only added) is read back, and the next transaction reads again."""
    from khoi_desktop.core.audit_chain import ANCHOR_KEY
    from khoi_desktop.core.models import Setting
    from khoi_desktop.core.settings import read_setting, setting_row, write_setting
    from khoi_desktop.core.wording.compounds import KEY as COMPOUNDS
    from khoi_desktop.core.wording.template_store import KEY as TEMPLATES

    with db.writing() as s:
        s.execute(Setting.__table__.delete().where(Setting.key.in_([TEMPLATES, COMPOUNDS, ANCHOR_KEY])))
    with db.writing() as s:
        load_settings(s)
        assert read_setting(s, TEMPLATES) is None
        write_setting(s, TEMPLATES, {"found": "x"})
        assert read_setting(s, TEMPLATES) == {"found": "x"}
        assert setting_row(s, COMPOUNDS) is None
        s.add(Setting(key=COMPOUNDS, value='["a b"]'))  # added, not flushed
        assert read_setting(s, COMPOUNDS) == ["a b"]
    with db.writing() as s:
        assert read_setting(s, TEMPLATES) == {"found": "x"}
        assert read_setting(s, COMPOUNDS) == ["a b"]
        assert read_setting(s, ANCHOR_KEY) is None
