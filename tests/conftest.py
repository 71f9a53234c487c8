"""Shared fixtures: every test gets its own data folder and, if it asks, a fresh database."""

from __future__ import annotations

import os
import sys
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
    """No test touches the user's data folder (database, logs, settings), nor Qt's user settings (the file
    dialogs' last folder, gui/file_dialogs.py): both in the test's own folder, never shared between tests or
    between the processes of `pytest -n`."""
    home = tmp_path_factory.mktemp("khoi-home")
    monkeypatch.setenv(HOME_ENV, str(home))
    if "PySide6.QtCore" in sys.modules:  # a test that has loaded Qt (conftest itself never does)
        from PySide6.QtCore import QSettings

        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(home / "qt-settings"))
    return home


ENGINES = ("sqlite", "postgresql")
# Where the `db` fixture also runs on a PostgreSQL server (the core's workflows, numbering, audit); the rest of
# the suite (backup files, GUI, documents) stays on SQLite files. KHOI_TEST_ENGINES=all widens it to every test
# that takes `db`. Mark a test `sqlite_only` where it is about the file itself. test_auth.py (every operation
# against every role, 230 cases) stays on files to keep CI's time: roles do not depend on the engine, and its
# server cases pass with KHOI_TEST_ENGINES=all.
PG_MODULES = {
    "test_workflows.py", "test_workflow_invariants.py", "test_audit_chain.py", "test_members.py",
    "test_appointments.py", "test_authority.py", "test_tree_stats_rules.py", "test_meetings.py", "test_ratings.py",
    "test_member_events.py", "test_office.py", "test_reports.py", "test_crossing.py", "test_server.py",
    "test_exchange_round_trip.py", "test_exports.py", "test_codes.py", "test_member_search_index.py",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself; not run on the server")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    wide = os.environ.get("KHOI_TEST_ENGINES") == "all"
    both = (wide or metafunc.definition.path.name in PG_MODULES) and \
        metafunc.definition.get_closest_marker("sqlite_only") is None
    metafunc.parametrize("engine", ENGINES if both else ENGINES[:1], indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """"sqlite" or "postgresql": the engine this test's database runs on."""
    kind: str = getattr(request, "param", "sqlite")
    if kind == "postgresql":
        from pg_support import require_server

        require_server()
    return kind


@pytest.fixture
def pg() -> str:
    """The tests' PostgreSQL server (KHOI_TEST_PG_URL): skipped without one, failed in CI, which must test it."""
    from pg_support import require_server

    return require_server()


@pytest.fixture(scope="session")
def _own_cluster() -> Iterator[tuple[str, str]]:
    from pg_support import own_cluster

    with own_cluster() as found:
        yield found


@pytest.fixture
def stoppable_pg(_own_cluster: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """For a test that stops and starts its server: the folder of a cluster of this test process's own, made
    the tests' server (KHOI_TEST_PG_URL, KHOI_TEST_PG_DIR) for the test. The shared server never goes away
    under the other tests (`pytest -n`: the other process's too). The tests taking it are marked
    xdist_group("own_cluster") so that one process starts it; where the groups are not honoured (pyproject's
    addopts) each process that runs one starts its own, a few seconds."""
    from pg_support import PG_DIR_ENV, PG_URL_ENV

    url, folder = _own_cluster
    monkeypatch.setenv(PG_URL_ENV, url)
    monkeypatch.setenv(PG_DIR_ENV, folder)
    return folder


@pytest.fixture(scope="session", autouse=True)
def _pg_template() -> Iterator[None]:
    yield
    from pg_support import drop_template

    drop_template()


@pytest.fixture
def db(tmp_path: Path, engine: str) -> Iterator[Database]:
    if engine == "postgresql":
        from pg_support import drop, migrated_database

        url = migrated_database()
        database = open_database(url)
        yield database
        database.close()
        drop(url)
        return
    database = open_database(tmp_path / "t.db", create=True)
    yield database
    database.close()
