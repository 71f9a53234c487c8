"""The operating-system user is asked of the OS: environment variables name nobody (issue 23)."""

from __future__ import annotations

import os
import sys

import pytest

from khoi_desktop.core.os_account import os_user


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX account database")
def test_the_os_user_is_the_effective_uid_s_name() -> None:
    import pwd

    assert os_user() == pwd.getpwuid(os.geteuid()).pw_name


def test_environment_variables_do_not_change_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os_user()
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "admin-gia-mao")
    assert os_user() == real != "admin-gia-mao"
