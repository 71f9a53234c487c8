"""The log file in the data folder: no member's name, birth date or CCCD from a fault, no password ever."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from sqlalchemy import insert

from khoi_desktop.core.auth.accounts import authenticate, create_first_admin
from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.models import Member
from khoi_desktop.logs import LogFile, setup_logging

SECRET_NAME, SECRET_BIRTH, SECRET_ID = "Bí Mật", dt.date(1961, 7, 19), "001061000999"


def _log_text() -> str:
    setup_logging()
    for handler in logging.getLogger().handlers:
        if isinstance(handler, LogFile):
            handler.flush()
            return Path(handler.baseFilename).read_text(encoding="utf-8")
    raise AssertionError("no log file")


def test_a_fault_while_writing_members_logs_no_personal_data(db: Database) -> None:
    setup_logging()
    row = {"code": "DV-X", "family_name": "Nguyễn", "middle_name": "Văn", "given_name": SECRET_NAME,
           "search_key": "x", "sort_key": "x", "birth_date": SECRET_BIRTH, "national_id": SECRET_ID,
           "sex": "nam", "status": "chinh_thuc"}
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any database fault will do
        with db.writing() as session:
            session.execute(insert(Member), [row, row])  # the same code twice
    logging.getLogger("khoi_desktop.cli.main").error("unexpected fault", exc_info=caught.value)
    logging.getLogger("khoi_desktop.cli.main").warning("import refused: %s", {"full_name": "Nguyễn Văn Bí Mật",
                                                                               "national_id": SECRET_ID})
    text = _log_text()
    assert "unexpected fault" in text and "IntegrityError" in text
    for secret in (SECRET_NAME, SECRET_BIRTH.isoformat(), SECRET_ID):
        assert secret not in text, secret


def test_passwords_never_reach_the_log(db: Database) -> None:
    setup_logging()
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        with db.writing() as session:
            create_first_admin(session, username="quantri", full_name="Quản trị", password="Mật-khẩu-đúng-123")
        for attempt in ("Sai-mật-khẩu-456", "Mật-khẩu-đúng-123"):
            try:
                authenticate(db, "quantri", attempt)
            except KhoiError:
                pass
    finally:
        logging.getLogger().setLevel(logging.INFO)
    text = _log_text()
    assert "Mật-khẩu-đúng-123" not in text and "Sai-mật-khẩu-456" not in text
