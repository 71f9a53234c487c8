"""Thresholds edited by an administrator: saved and used (the probation's length), refused out of range."""

from __future__ import annotations

import datetime as dt

import pytest

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.threshold_edit import update_thresholds


def test_thresholds_saved_and_refused_out_of_range(db) -> None:  # type: ignore[no-untyped-def]
    from test_member_events import build_office, refused, run

    office = build_office(db)
    with office.writing() as s:
        with pytest.raises(RequestRefused) as caught:
            update_thresholds(s, {"probation_months": 0, "admission_target_percent": 5.0})
        assert [code for code, _ in caught.value.problems] == ["threshold_out_of_range"]
        assert "Thời gian dự bị: 0 tháng nằm ngoài khoảng 1 – 60." in caught.value.problems[0][1]
    with office.reading() as s:
        assert load_settings(s).thresholds.admission_target_percent == 3.0, "nothing saved"
    with office.writing() as s:
        update_thresholds(s, {"probation_months": 18, "admission_target_percent": 5.0})
    with office.reading() as s:
        saved = load_settings(s).thresholds
    assert (saved.probation_months, saved.admission_target_percent) == (18, 5.0)
    # CB0001-009 was admitted on 02/03/2025: 12 months served on 02/03/2026, 18 only on 02/09/2026.
    recognize = {"action": "confirm_full", "member": "CB0001-009", "on": "2026-03-02"}
    assert refused(office, recognize) == ["probation_not_over"]
    run(office, {**recognize, "on": "2026-09-02"}, today=dt.date(2026, 9, 2))
