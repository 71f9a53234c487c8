"""Attack tests: a demo office (scale 1, dated) generated once and copied for each test; the command line
run in this process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from attack_support import Cli

from khoi_desktop.core.db import backup_copy, open_database
from signin_support import sign_in_for

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="session")
def office_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from khoi_desktop.core.demo import generate_demo

    path = tmp_path_factory.mktemp("security") / "office.db"
    db = open_database(path, create=True)
    generate_demo(db, scale=1, seed=3, today=TODAY)
    db.close()
    return path


@pytest.fixture
def office(office_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office.db"
    backup_copy(office_template, path)
    return path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    from khoi_desktop.__main__ import main

    def run(*argv: object) -> tuple[int, str, str]:
        code = main([*sign_in_for(argv), *map(str, argv)])  # the demo office's administrator
        out, err = capsys.readouterr()
        return code, out, err

    return run
