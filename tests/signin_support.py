"""Signing the command line in, in tests: `--user NAME --password-file F`, placed before the command."""

from __future__ import annotations

from pathlib import Path

from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME


def signed_in(database: Path, user: str = DEMO_USERNAME, password: str = DEMO_PASSWORD) -> list[str]:
    """The options that sign `user` in (the demo office's administrator by default); the password file is
    written next to the database."""
    password_file = database.with_name(f"{database.name}.{user}.mat-khau")
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
