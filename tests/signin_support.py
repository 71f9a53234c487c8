"""Signing the command line in, in tests: `--user NAME --password-file F`, placed before the command."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME

_FOLDER: list[Path] = []


def _password_folder() -> Path:
    """One folder for the whole run, away from the databases (tests list their folders)."""
    if not _FOLDER:
        _FOLDER.append(Path(tempfile.mkdtemp(prefix="khoi-mat-khau-")))
        atexit.register(shutil.rmtree, _FOLDER[0], ignore_errors=True)
    return _FOLDER[0]


def signed_in(database: Path, user: str = DEMO_USERNAME, password: str = DEMO_PASSWORD) -> list[str]:
    """The options that sign `user` in (the demo office's administrator by default), placed before the
    command."""
    password_file = Path(tempfile.mkstemp(dir=_password_folder(), suffix=".txt")[1])
    password_file.write_text(password + "\n", encoding="utf-8")
    return ["--user", user, "--password-file", str(password_file)]


def has_accounts(database: Path) -> bool:
    import sqlite3

    if not database.is_file():
        return False
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def signed_in_if_needed(database: object, user: str = DEMO_USERNAME, password: str = DEMO_PASSWORD) -> list[str]:
    """For the run(...) helpers of command tests: sign in (as the demo administrator by default) when the
    file has accounts; a file without any is worked on as the operating-system user (cli.common.sign_in)."""
    path = Path(str(database))
    return signed_in(path, user, password) if has_accounts(path) else []


def sign_in_for(argv: list[object] | tuple[object, ...], user: str = DEMO_USERNAME,
                password: str = DEMO_PASSWORD) -> list[str]:
    """The sign-in options for a command line: as `user` on the first argument that is a database file with
    accounts (FILE, or the target of `restore … --to FILE`); none when there is no such file."""
    for arg in argv:
        text = str(arg)
        if text.startswith("-") or not text:
            continue
        path = Path(text)
        if has_accounts(path):
            return signed_in(path, user, password)
    return []
