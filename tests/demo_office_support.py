"""A demo office (scale 1, dated) generated once per session and copied for each test that takes `office`:
import both fixtures into a conftest (tests/faults, tests/security)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from khoi_desktop.core.db import backup_copy, open_database

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from khoi_desktop.core.demo import generate_demo

    path = tmp_path_factory.mktemp("demo-office") / "office.db"
    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=3, today=TODAY)
    db.close()
    return path


@pytest.fixture
def office(office_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    backup_copy(office_template, path)
    return path
