"""Attack tests: a demo office (scale 1, dated) generated once and copied for each test; the command line
run in this process."""

from __future__ import annotations

import pytest
from attack_support import Cli

from demo_office_support import office, office_template  # noqa: F401 (fixtures of this folder's tests)
from signin_support import sign_in_for


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run the command line in this process: (exit code, stdout, stderr)."""
    from khoi_desktop.__main__ import main

    def run(*argv: object) -> tuple[int, str, str]:
        code = main([*sign_in_for(argv), *map(str, argv)])  # the demo office's administrator
        out, err = capsys.readouterr()
        return code, out, err

    return run
