"""Shared fixtures: every test gets its own data folder and, if it asks, a fresh database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before anything imports Qt: no window system in tests.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import settings  # noqa: E402

from khoi_desktop.core.db import Database, open_database  # noqa: E402

# CI replays the same examples every run (a new failure shows up locally, where KHOI_HYPOTHESIS=dev explores).
settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("dev")
settings.load_profile(os.environ.get("KHOI_HYPOTHESIS", "ci"))
from khoi_desktop.core.paths import HOME_ENV  # noqa: E402

pytest_plugins = ["modal_guard"]  # a modal dialog nobody answers fails its test (tests/modal_guard.py)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the user's data folder (database, logs, settings)."""
    home = tmp_path_factory.mktemp("khoi-home")
    monkeypatch.setenv(HOME_ENV, str(home))
    return home


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "t.db", create=True)
    yield database
    database.close()
