"""`stats` and `orgs` on a server office (issue 19): a current, sound office with a clean sign-in is read
through psycopg alone (core.engines.postgres.sound_office, cli.common._read_server); anything else takes
the full way (open_server, core's login) with the answers, refusals and counting it always had.

The sign-in is security code: a wrong password is refused and counted, a locked account stays locked, a
superuser is refused, an older schema is migrated, audit rights granted back are taken back, as before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from khoi_desktop.__main__ import main
from khoi_desktop.core import db as core_db
from khoi_desktop.core.engines import postgres
from pg_support import SKIP_REASON, as_administrator, drop, migrated_database, server_url

PASSWORD = "mat-khau-dai-1"
DAY = "2026-06-01"


@pytest.fixture
def office() -> Iterator[str]:
    """A small server office at the schema's head with one administrator, quantri."""
    if server_url() is None:
        if os.environ.get("CI"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    from factories import add_members, add_org
    from khoi_desktop.core.auth.accounts import create_first_admin

    url = migrated_database()
    db = core_db.open_database(url)
    try:
        with db.writing() as s:
            top = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
            add_members(s, add_org(s, "CB0001", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=top), 5,
                        probationary=1)
            add_members(s, add_org(s, "CS002", "Chi bộ Sở Y tế", "chi_bo_co_so"), 3)
            create_first_admin(s, username="quantri", full_name="Quản trị", password=PASSWORD)
    finally:
        db.close()
    yield url
    drop(url)


class Paths:
    """Which way each command went: True = psycopg alone, False = the full way."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: list[bool] = []
        sound = postgres._sound

        def spy(*args: object) -> postgres.SoundOffice | None:
            found = sound(*args)  # type: ignore[arg-type]
            self.taken.append(found is not None)
            return found

        monkeypatch.setattr(postgres, "_sound", spy)


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> Paths:
    return Paths(monkeypatch)


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, url: str, *argv: str, user: str = "quantri",
        password: str = PASSWORD) -> tuple[int, str, str]:
    """One command as a fresh process would run it: nothing remembered of an earlier open (open_server's
    minute of trust), signed in with `user` and `password`."""
    core_db._found_sound.clear()
    secret = tmp_path / "pw.txt"
    secret.write_text(password + "\n", encoding="utf-8")
    code = main(["--user", user, "--password-file", str(secret), argv[0], url, *argv[1:]])
    out, err = capsys.readouterr()
    return code, out, err


def account(url: str, name: str = "quantri") -> tuple[int, object]:
    row = as_administrator(url, "SELECT failed_attempts, locked_until FROM users WHERE username = :n", {"n": name})
    return row[0][0], row[0][1]


def failures(url: str) -> list[tuple[str, dict[str, object]]]:
    rows = as_administrator(url, "SELECT action, after FROM audit_entries WHERE action LIKE 'login.%' ORDER BY id")
    return [(action, json.loads(after) if isinstance(after, str) else after) for action, after in rows]


COMMANDS = [("stats", "--as-of", DAY, "--json"), ("stats", "--as-of", DAY), ("orgs", "--as-of", DAY, "--json"),
            ("orgs", "--as-of", DAY)]


def full_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command as before psycopg alone: open_server, then the sign-in and the reading through it."""
    import contextlib

    @contextlib.contextmanager
    def never(url: str, head: str) -> Iterator[None]:
        yield None

    monkeypatch.setattr(postgres, "sound_office", never)


def test_a_sound_office_is_read_without_sqlalchemy_and_answers_as_the_full_way(
        office: str, paths: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    quick = [run(capsys, tmp_path, office, *argv) for argv in COMMANDS]
    assert paths.taken == [True] * len(COMMANDS)
    assert all(code == 0 for code, _out, _err in quick)
    assert json.loads(quick[0][1])["members"] == 8
    full_way(monkeypatch)
    full = [run(capsys, tmp_path, office, *argv) for argv in COMMANDS]
    assert quick == full  # byte for byte, text and JSON
    assert account(office) == (0, None) and failures(office) == []  # a clean sign-in writes nothing


PROBE = """
import json, sys
from khoi_desktop.__main__ import main
code = main(sys.argv[1:])
print("LOADED " + json.dumps(sorted(m for m in ("sqlalchemy", "alembic", "khoi_desktop.core.models")
                                    if m in sys.modules)), flush=True)
sys.exit(code)
"""


def test_stats_and_orgs_on_a_server_load_no_sqlalchemy(office: str, tmp_path: Path) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for command in ("stats", "orgs"):
        done = subprocess.run([sys.executable, "-c", PROBE, "--user", "quantri", "--password-file", str(secret),
                               command, office, "--json"], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[-1] == "LOADED []"
        assert json.loads(lines[0])["as_of"] == dt.date.today().isoformat()


def test_a_wrong_password_is_refused_and_counted_then_the_right_one_clears_the_count(
        office: str, paths: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, office, "stats", password="sai-mat-khau")
    assert (code, out) == (2, "")
    assert "Sai tên đăng nhập hoặc mật khẩu. Còn 4 lần thử" in err
    assert account(office) == (1, None)
    assert failures(office) == [("login.failed", {"reason": "wrong_password", "during": "cli", "attempt": 1})]
    code, out, _err = run(capsys, tmp_path, office, "orgs", "--json", password="sai-mat-khau")
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "login_refused"
    assert account(office) == (2, None)
    # The right password with failures on record: core's login (it clears the count), then the answer.
    code, out, _err = run(capsys, tmp_path, office, "stats", "--as-of", DAY, "--json")
    assert code == 0 and json.loads(out)["members"] == 8
    assert account(office) == (0, None)
    # Once clean again, the quick way.
    assert run(capsys, tmp_path, office, "stats", "--json")[0] == 0
    assert paths.taken == [True, True, True, True]


def test_an_unknown_account_is_refused_and_recorded(office: str, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    code, _out, err = run(capsys, tmp_path, office, "stats", user="khong_co")
    assert code == 2 and "Sai tên đăng nhập hoặc mật khẩu." in err
    assert failures(office) == [("login.failed", {"reason": "unknown_user", "during": "cli"})]


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
        office: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for _ in range(4):
        assert run(capsys, tmp_path, office, "stats", password="sai")[0] == 2
    code, _out, err = run(capsys, tmp_path, office, "orgs", password="sai")
    assert code == 2 and "Sai mật khẩu 5 lần liên tiếp" in err
    failed, locked_until = account(office)
    assert failed == 0 and locked_until is not None
    code, out, err = run(capsys, tmp_path, office, "stats")  # the right password, while locked
    assert (code, out) == (2, "") and "đang bị khóa" in err
    assert [action for action, _after in failures(office)] == ["login.failed"] * 5 + ["login.lockout",
                                                                                       "login.failed"]
    assert failures(office)[-1][1]["reason"] == "locked"
    code, out, _err = run(capsys, tmp_path, office, "orgs", "--json")
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "login_refused"


def test_a_disabled_account_is_refused(office: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    as_administrator(office, "UPDATE users SET active = false WHERE username = 'quantri'")
    code, _out, err = run(capsys, tmp_path, office, "stats")
    assert code == 2 and "vô hiệu hóa" in err


def test_a_superuser_connection_is_refused_before_any_sign_in(office: str, paths: Paths,
                                                              capsys: pytest.CaptureFixture[str],
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    parts = urlsplit(office)
    admin = os.environ.get("KHOI_TEST_PG_ADMIN_USER", "postgres")
    superuser = urlunsplit(parts._replace(netloc=f"{admin}@{parts.hostname}:{parts.port}"))
    quick = run(capsys, tmp_path, superuser, "stats", "--json")
    assert quick[0] == 2 and json.loads(quick[1])["errors"][0]["code"] == "superuser_role"
    assert paths.taken == []  # refused while checking
    full_way(monkeypatch)
    assert run(capsys, tmp_path, superuser, "stats", "--json") == quick


def downgrade_to(office: str, revision: str) -> None:
    """The schema taken back to `revision` by the migrations' own downgrade, as the server's administrator."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    parts = urlsplit(office)
    admin = os.environ.get("KHOI_TEST_PG_ADMIN_USER", "postgres")
    engine = create_engine(urlunsplit(parts._replace(netloc=f"{admin}@{parts.hostname}:{parts.port}",
                                                     scheme="postgresql+psycopg")), poolclass=NullPool)
    try:
        with engine.begin() as connection:
            config = core_db._alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def test_an_older_schema_is_migrated_by_the_full_way(office: str, paths: Paths, capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    head = core_db.schema_head()
    previous = core_db._revision_graph()[head]
    assert previous is not None
    downgrade_to(office, previous)  # the office as the previous revision left it
    code, out, _err = run(capsys, tmp_path, office, "stats", "--as-of", DAY, "--json")
    assert code == 0 and json.loads(out)["members"] == 8
    assert as_administrator(office, "SELECT version_num FROM alembic_version") == [(head,)]
    assert run(capsys, tmp_path, office, "stats", "--json")[0] == 0
    assert paths.taken == [False, True]


def test_a_newer_schema_is_refused_as_before(office: str, paths: Paths, capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    as_administrator(office, "UPDATE alembic_version SET version_num = 'ffff9999'")
    code, _out, err = run(capsys, tmp_path, office, "orgs")
    assert code == 2 and "phiên bản mới hơn" in err
    assert paths.taken == [False]


def test_audit_rights_granted_back_are_taken_back_by_the_full_way(office: str, paths: Paths,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    role = urlsplit(office).username
    as_administrator(office, f"GRANT UPDATE ON audit_rows TO {role}")
    assert as_administrator(office, f"SELECT has_table_privilege('{role}', 'audit_rows', 'UPDATE')") == [(True,)]
    code, out, _err = run(capsys, tmp_path, office, "stats", "--json")
    assert code == 0 and json.loads(out)["members"] == 8
    assert as_administrator(office, f"SELECT has_table_privilege('{role}', 'audit_rows', 'UPDATE')") == [(False,)]
    assert run(capsys, tmp_path, office, "orgs", "--json")[0] == 0
    assert paths.taken == [False, True]


def test_an_unreachable_server_is_refused_in_the_same_words(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://khoi_app:x@127.0.0.1:1/khong_co"
    quick = run(capsys, tmp_path, url, "stats", "--json")
    assert quick[0] == 2 and json.loads(quick[1])["errors"][0]["code"] == "server_unreachable"
    full_way(monkeypatch)
    assert run(capsys, tmp_path, url, "stats", "--json") == quick


def test_an_empty_or_foreign_database_is_refused_as_before(paths: Paths, capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    from pg_support import empty_database

    if server_url() is None:
        pytest.skip(SKIP_REASON)
    empty = empty_database()
    try:
        code, out, _err = run(capsys, tmp_path, empty, "stats", "--json")
        assert code == 2 and json.loads(out)["errors"][0]["code"] == "empty_server"
        as_administrator(empty, "CREATE TABLE khach (id int)")
        code, out, _err = run(capsys, tmp_path, empty, "orgs", "--json")
        assert code == 2 and json.loads(out)["errors"][0]["code"] == "foreign_database"
    finally:
        drop(empty)
    assert paths.taken == [False, False]


def test_an_office_without_accounts_goes_the_full_way(paths: Paths, capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    if server_url() is None:
        pytest.skip(SKIP_REASON)
    url = migrated_database()
    try:
        code, _out, err = run(capsys, tmp_path, url, "stats")  # sign-in options given: refused, as before
        assert code == 2 and "chưa có tài khoản nào" in err
        core_db._found_sound.clear()
        assert main(["stats", url, "--json"]) == 2  # none given: refused too (no longer the OS user as its admin)
        assert json.loads(capsys.readouterr().out)["errors"][0]["code"] == "server_no_account"
    finally:
        drop(url)
    assert paths.taken == [False, False]


def test_a_connection_lost_while_the_sign_in_is_gathered_goes_the_full_way(
        office: str, paths: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A prompt answered after the server's idle timeout, or a server restarted meanwhile: the command
    connects again the full way instead of failing."""
    from khoi_desktop.cli import credentials

    gather = credentials.gather

    def slow(*args: object, **kwargs: object) -> credentials.Credential:
        as_administrator(office, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                                 "current_database() AND pid <> pg_backend_pid() AND application_name = 'khoi-desktop'")
        return gather(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(credentials, "gather", slow)
    code, out, _err = run(capsys, tmp_path, office, "stats", "--as-of", DAY, "--json")
    assert code == 0 and json.loads(out)["members"] == 8
    assert paths.taken == [True]
    assert account(office) == (0, None)


def test_the_office_is_read_while_the_password_is_checked_and_kept_only_for_the_right_one(
        office: str, paths: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts are read in the snapshot while Argon2id checks the password (the server works meanwhile);
    a wrong password shows none of them, and a reading that fails does not hide the refusal."""
    import threading

    from khoi_desktop.core import stats
    from khoi_desktop.core.auth import passwords

    reading = threading.Event()
    count, verify = stats.count_office, passwords.verify_password
    seen: list[bool] = []

    def counting(*args: object) -> stats.Counts:
        reading.set()
        return count(*args)  # type: ignore[arg-type]

    def checking(password_hash: str, password: str) -> bool:
        seen.append(reading.wait(5))  # the reading has begun before the check ends
        return verify(password_hash, password)

    monkeypatch.setattr(stats, "count_office", counting)
    monkeypatch.setattr(passwords, "verify_password", checking)
    code, out, _err = run(capsys, tmp_path, office, "stats", "--as-of", DAY, "--json")
    assert code == 0 and json.loads(out)["members"] == 8
    assert seen == [True] and paths.taken == [True]

    def failing(*args: object) -> stats.Counts:
        reading.set()
        raise RuntimeError("đọc hỏng")

    monkeypatch.setattr(stats, "count_office", failing)
    code, out, err = run(capsys, tmp_path, office, "stats", "--json", password="sai-mat-khau")
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "login_refused"
    assert account(office) == (1, None)
