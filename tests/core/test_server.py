"""A server office (PostgreSQL) next to the file one: concurrent clerks, the app role's rights, the commands that
move an office to the server and back. Tests taking `db` run on both engines (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import ProgrammingError

from factories import add_members, add_org
from khoi_desktop.__main__ import main
from khoi_desktop.core import decisions
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.audit import record, verify_trail
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.db import Database, open_database
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import DatabaseError, ValidationError
from khoi_desktop.core.models import AuditEntry, Decision, DecisionStatus, Setting, Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf
from pg_support import (
    CLUSTER_SCRIPT,
    as_administrator,
    drop,
    empty_database,
    migrated_database,
    with_administrator,
)

DAY = dt.date.today()
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _office(db: Database, chi_bo: int = 2) -> None:
    """CS001 with `chi_bo` chi bộ trực thuộc of 3 members (and one of 30), CS002 (30) to move them to, a term
    around today."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=DAY - dt.timedelta(days=400), ends_on=DAY + dt.timedelta(days=400)))
        first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0900", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
        second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        add_members(s, add_org(s, "CB0800", "Chi bộ Văn phòng Sở Y tế", "chi_bo_truc_thuoc", parent=second), 30)
        for i in range(1, chi_bo + 1):
            add_members(s, add_org(s, f"CB{i:04d}", f"Chi bộ Phòng {i}", "chi_bo_truc_thuoc", parent=first), 3)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


# --- both engines -------------------------------------------------------------------------------

def test_the_second_save_of_one_draft_is_refused_naming_who_and_when(db: Database) -> None:
    _office(db)
    with db.writing() as s:
        decision, _ = apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}),
                                    actor="x", issue=False, today=DAY, render=render_pdf)
        draft_id, opened = decision.id, decision.version
        content = DecisionContent.from_json(decision.content)
    first, second = CurrentUser("van_thu_a", "Nguyễn Văn A", Role.CHUYEN_VIEN), \
        CurrentUser("van_thu_b", "Trần Thị B", Role.CHUYEN_VIEN)
    db.user = first
    with db.writing() as s:  # clerk A saves the version both opened
        content.subject = "Về việc chuyển Chi bộ Phòng 1 (bản của A)"
        decisions.update_draft(s, s.get(Decision, draft_id), content, "a", expected_version=opened)
    db.user = second
    with pytest.raises(ValidationError) as refused, db.writing() as s:  # clerk B saves over what A changed
        content.subject = "Về việc chuyển Chi bộ Phòng 1 (bản của B)"
        decisions.update_draft(s, s.get(Decision, draft_id), content, "b", expected_version=opened)
    assert refused.value.code == "draft_changed"
    assert "van_thu_a" in refused.value.message and f"{DAY:%d/%m/%Y}" in refused.value.message
    with db.reading() as s:
        stored = s.get(Decision, draft_id)
        assert stored.subject.endswith("(bản của A)") and stored.version == opened + 1
        assert stored.changed_by == "van_thu_a"


def test_a_refused_issue_leaves_no_gap_in_the_numbers(db: Database) -> None:
    _office(db, chi_bo=3)

    def issue(code: str) -> int | None:
        with db.writing() as s:
            decision, _ = apply_request(s, parse_request({"action": "transfer", "org": code, "to": "CS002"}),
                                        actor="x", issue=True, today=DAY, render=render_pdf)
            return decision.number

    assert issue("CB0001") == 1
    with pytest.raises(RuntimeError), db.writing() as s:  # numbered, then failed: rolled back whole
        apply_request(s, parse_request({"action": "transfer", "org": "CB0002", "to": "CS002"}), actor="x",
                      issue=True, today=DAY, render=render_pdf)
        raise RuntimeError("mất điện giữa chừng")
    assert issue("CB0003") == 2


# --- the server only ----------------------------------------------------------------------------

def test_the_app_role_can_only_append_to_the_audit_trail(pg: str) -> None:
    from khoi_desktop.core.audit_models import AuditRowDigest as AuditRow

    url = migrated_database()
    db = open_database(url)
    try:
        _office(db, chi_bo=1)
        with db.writing() as s:  # an issued decision: entries and the digests of the rows they changed
            apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}), actor="x",
                          issue=True, today=DAY, render=render_pdf)
        with db.reading() as s:
            entries = s.scalar(select(func.count()).select_from(AuditEntry))
            digests = s.scalar(select(func.count()).select_from(AuditRow))
        assert entries and digests
        for statement in ("UPDATE audit_entries SET actor = 'ke_gia'", "DELETE FROM audit_entries",
                          "TRUNCATE audit_entries", "UPDATE audit_rows SET digest = 'gia'", "DELETE FROM audit_rows",
                          "TRUNCATE audit_rows"):
            with pytest.raises(ProgrammingError, match="permission denied"), db.writing() as s:
                s.execute(text(statement))
        with db.reading() as s:
            assert s.scalar(select(func.count()).select_from(AuditEntry)) == entries
            assert s.scalar(select(func.count()).select_from(AuditRow)) == digests
            assert verify_trail(s).ok
            role = s.execute(text("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")).one()
            assert tuple(role) == (False, False)
    finally:
        db.close()
        drop(url)


def test_an_office_whose_audit_could_be_edited_is_made_insert_only_at_open(pg: str) -> None:
    """A server office made before the row digests were insert-only (or a right granted back by hand) is
    repaired the next time a workstation opens it."""
    from khoi_desktop.core.engines.postgres import audit_editable

    url = migrated_database()
    role = url.split("//")[1].split(":")[0]
    as_administrator(url, f"GRANT UPDATE, DELETE, TRUNCATE ON audit_rows, audit_entries TO {role}")
    db = open_database(url)
    try:
        with db.engine.connect() as connection:
            assert audit_editable(connection) == []
        with pytest.raises(ProgrammingError, match="permission denied"), db.writing() as s:
            s.execute(text("DELETE FROM audit_rows"))
    finally:
        db.close()
        drop(url)


def _readme_handover() -> str:
    """README's psql lines that hand the audit tables over (the technician's step 5), as written there."""
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = [block for block in re.findall(r"```sql\n(.*?)```", readme, re.S) if "OWNER TO khoi_nhat_ky" in block]
    assert len(blocks) == 1, "README: no psql block handing the audit tables to khoi_nhat_ky"
    return blocks[0].strip()


def _drop_as_administrator(url: str) -> None:
    """The database, once handed to the server's administrator, is no longer the test role's to drop."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    parts = url.split("@", 1)[1]
    host, name = parts.split("/", 1)
    engine = create_engine(f"postgresql+psycopg://postgres@{host}/postgres", poolclass=NullPool,
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        engine.dispose()


def test_once_the_technician_hands_the_audit_over_the_app_role_cannot_take_its_edits_back(
        pg: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The app's role owned the audit tables (and their schema): it was revoked UPDATE and DELETE at every open,
    yet as their owner could GRANT them back to itself (or drop the table and make it again). README's step 5
    now hands them to khoi_nhat_ky; server-init says what is left to do until then; afterwards the office works
    as before and the role can neither grant itself edits nor drop or alter the tables."""
    from khoi_desktop.core.db import audit_handover_due
    from khoi_desktop.core.engines.postgres import audit_handover

    assert _readme_handover() == audit_handover("khoi_app", "khoi_vanphong")
    url = empty_database()
    name = url.rsplit("/", 1)[1]
    role = url.split("//")[1].split(":")[0]
    secret = tmp_path / "qt.txt"
    secret.write_text("mat-khau-quan-tri-dai\n", encoding="utf-8")
    signed_in = ["--user", "quan_tri", "--password-file", str(secret)]
    try:
        assert main(["server-init", url, "--admin", "quan_tri", "--password-file", str(secret), "--json"]) == 0
        said = json.loads(capsys.readouterr().out)["technician"]
        assert "ALTER TABLE audit_entries OWNER TO khoi_nhat_ky;" in said and f"\\c {name}" in said, said
        as_administrator(url, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'khoi_nhat_ky') "
                              "THEN CREATE ROLE khoi_nhat_ky NOLOGIN; END IF; END $$")
        for line in audit_handover(role, name).splitlines():
            if not line.startswith("\\"):
                as_administrator(url, line)
        db = open_database(url)
        try:
            assert audit_handover_due(db) is None
            for attempt in ("GRANT UPDATE, DELETE, TRUNCATE ON audit_entries, audit_rows TO CURRENT_USER",
                            "ALTER TABLE audit_entries DISABLE TRIGGER ALL"):
                with db.engine.begin() as connection:  # a warning («no privileges were granted») or refused
                    try:
                        connection.execute(text(attempt))
                    except ProgrammingError as exc:
                        assert "must be owner" in str(exc)
            for statement in ("UPDATE audit_entries SET actor = 'ke_gia'", "DELETE FROM audit_rows",
                              "DROP TABLE audit_entries", "ALTER TABLE audit_rows RENAME TO cu",
                              "DROP SCHEMA public CASCADE"):
                with pytest.raises(ProgrammingError, match="permission denied|must be owner"), \
                        db.engine.begin() as connection:
                    connection.execute(text(statement))
        finally:
            db.close()
        for command in (["users", url, "add", "cv1", "--name", "Chuyên Viên", "--role", "chuyen_vien",
                         "--password-file", str(secret)], ["stats", url], ["verify-audit", url, "--deep"],
                        ["backup", url, "--to", str(tmp_path / "bk")]):
            assert main([*signed_in, *command, "--json"]) == 0, (command, capsys.readouterr().out)
        capsys.readouterr()
        assert as_administrator(url, "SELECT count(*) FROM audit_entries")[0][0] >= 3
    finally:
        _drop_as_administrator(url)


def test_a_superuser_connection_is_refused(pg: str) -> None:
    url = migrated_database()
    try:
        admin = url.replace(url.split("//")[1].split("@")[0], os.environ.get("KHOI_TEST_PG_ADMIN_USER", "postgres"))
        with pytest.raises(DatabaseError) as refused:
            open_database(admin)
        assert refused.value.code == "superuser_role"
    finally:
        drop(url)


def test_an_empty_server_database_is_not_taken_for_an_office(pg: str) -> None:
    url = empty_database()
    try:
        with pytest.raises(DatabaseError) as refused:
            open_database(url)
        assert refused.value.code == "empty_server" and "server-init" in refused.value.message
    finally:
        drop(url)


def test_server_init_creates_the_schema_and_the_first_administrator(pg: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    url = empty_database()
    secret = tmp_path / "admin.txt"
    secret.write_text("mat-khau-quan-tri-dai\n", encoding="utf-8")
    try:
        assert main(["server-init", url, "--admin", "quan_tri", "--password-file", str(secret), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["admin"] == "quan_tri"
        assert main(["server-init", url, "--admin", "khac", "--password-file", str(secret)]) == 2
        assert "đã có dữ liệu" in capsys.readouterr().err
        grants = as_administrator(url, "SELECT has_table_privilege('khoi_app', 'audit_entries', 'UPDATE'), "
                                       "has_table_privilege('khoi_app', 'audit_entries', 'INSERT')")
        assert tuple(grants[0]) == (False, True)
    finally:
        drop(url)


def test_n_processes_issuing_at_once_get_unique_consecutive_numbers(pg: str, tmp_path: Path) -> None:
    count = 5
    url = migrated_database()
    signed_in = with_administrator(url, tmp_path)
    db = open_database(url)
    try:
        _office(db, chi_bo=count)
        requests = []
        for i in range(1, count + 1):
            request = tmp_path / f"chuyen-{i}.json"
            request.write_text(json.dumps({"action": "transfer", "org": f"CB{i:04d}", "to": "CS002"}), "utf-8")
            requests.append(request)
        def issue(request: Path) -> subprocess.Popen[str]:
            return subprocess.Popen([sys.executable, "-m", "khoi_desktop", *signed_in, "apply", url, str(request),
                                     "--issue", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=_env())

        procs = [issue(r) for r in requests]
        results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
        # On a loaded machine a writer queued longer than the lock timeout is refused "busy" (exit 2), nothing
        # written: the clerk tries again. That is allowed here once, and must leave no gap in the numbers.
        for i, (code, out, _err) in enumerate(results):
            if code == 2 and json.loads(out)["errors"][0]["code"] == "busy":
                again = issue(requests[i])
                results[i] = (again.wait(timeout=300), again.stdout.read(), again.stderr.read())  # type: ignore[union-attr]
        for code, out, err in results:
            assert code == 0, (out, err)
        reported = sorted(json.loads(out)["decision"]["number"] for _, out, _ in results)
        assert reported == list(range(1, count + 1))
        with db.reading() as s:
            numbers = s.scalars(select(Decision.number).where(Decision.status == DecisionStatus.ISSUED)
                                .order_by(Decision.number)).all()
            assert numbers == list(range(1, count + 1))
            trail = verify_trail(s)
            assert trail.ok, trail.message
            assert trail.entries == s.scalar(select(func.count()).select_from(AuditEntry))
    finally:
        db.close()
        drop(url)


KILLED_CLIENT = """
import sys, time
from sqlalchemy import text
from khoi_desktop.core.audit import record
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Setting
db = open_database(sys.argv[1])
with db.writing() as s:
    s.add(Setting(key="nua_chung", value='"dang ghi"'))
    record(s, actor="may_b", action="dang_ghi_do", target="x")
    s.flush()
    print("ready", flush=True)
    time.sleep(120)
"""


def test_a_client_killed_mid_transaction_leaves_nothing_and_frees_the_lock(pg: str) -> None:
    url = migrated_database()
    db = open_database(url)
    try:
        with db.writing() as s:
            record(s, actor="may_a", action="truoc", target="x")
        client = subprocess.Popen([sys.executable, "-c", KILLED_CLIENT, url], stdout=subprocess.PIPE, text=True,
                                  env=_env())
        try:
            assert client.stdout is not None and client.stdout.readline().strip() == "ready"
        finally:
            os.kill(client.pid, signal.SIGKILL)
            client.wait(timeout=30)
        started = time.monotonic()
        with db.writing() as s:  # the server rolled the dead client's transaction back and let go of its lock
            record(s, actor="may_a", action="sau", target="x")
        assert time.monotonic() - started < 8  # well under the lock timeout: not a timed-out wait
        with db.reading() as s:
            assert s.get(Setting, "nua_chung") is None
            assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all() == ["truoc", "sau"]
            assert verify_trail(s).ok
    finally:
        db.close()
        drop(url)


def test_an_office_moves_to_the_server_and_back_with_nothing_lost(pg: str, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from khoi_desktop.core.transfer import content_digest, row_counts

    path = tmp_path / "van-phong.db"
    from khoi_desktop.core.auth.accounts import create_first_admin

    local = open_database(path, create=True)
    _office(local, chi_bo=3)
    with local.writing() as s:
        apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}), actor="x",
                      issue=True, today=DAY, render=render_pdf)
        create_first_admin(s, username="quan_tri", full_name="Quản trị", password="mat-khau-quan-tri-dai")
    local.close()
    (tmp_path / "qt.txt").write_text("mat-khau-quan-tri-dai\n", encoding="utf-8")
    signed_in = ["--user", "quan_tri", "--password-file", str(tmp_path / "qt.txt")]
    server, second = empty_database(), empty_database()
    try:
        assert main([*signed_in, "migrate-to-server", str(path), server, "--json"]) == 0
        moved = json.loads(capsys.readouterr().out)
        assert moved["rows"]["decisions"] == 1 and moved["rows"]["members"] == 69
        assert main([*signed_in, "migrate-to-server", str(path), server]) == 2  # never over an office
        assert "đã có dữ liệu" in capsys.readouterr().err
        # a server office backs up to the same kind of file, restorable into a file and into an empty server
        assert main([*signed_in, "backup", server, "--to", str(tmp_path / "bk"), "--json"]) == 0
        backup = json.loads(capsys.readouterr().out)["path"]
        assert main(["verify", backup]) == 0
        capsys.readouterr()
        assert main(["restore", backup, "--to", str(tmp_path / "lai.db")]) == 0
        assert main(["restore", backup, "--to", second]) == 0
        capsys.readouterr()
        on_server, back_home, again = open_database(server), open_database(tmp_path / "lai.db"), open_database(second)
        try:
            with on_server.engine.connect() as a, back_home.engine.connect() as b, again.engine.connect() as c:
                counts = row_counts(a)
                assert counts["decisions"] == 1 and counts["organizations"] == 7
                # the restores add one audit entry each (and the backup one on the server): the office is the same
                for other in (b, c):
                    assert {k: v for k, v in row_counts(other).items() if k not in {"audit_entries", "settings"}} \
                        == {k: v for k, v in counts.items() if k not in {"audit_entries", "settings"}}
                own = frozenset({"audit_entries", "settings"})  # each restore recorded itself
                assert content_digest(a, leave_out=own) == content_digest(b, leave_out=own) \
                    == content_digest(c, leave_out=own)
            for office in (on_server, back_home, again):
                with office.reading() as s:
                    assert verify_trail(s).ok
                    assert s.scalar(select(Decision.code).where(Decision.number == 1)) is not None
        finally:
            on_server.close()
            back_home.close()
            again.close()
        assert main([*signed_in, "stats", server, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["members"] == 69
    finally:
        drop(server)
        drop(second)


def test_stats_on_a_server_signs_in_and_counts_without_the_orm_models(pg: str, tmp_path: Path) -> None:
    """`stats` and `orgs` read plain SQL; on a server the sign-in's reads (any account? the account's row) are
    plain too, so the command loads no ORM models (a third of its start: bench/server.py cli_stats)."""
    from khoi_desktop.core.auth.accounts import create_first_admin
    from khoi_desktop.core.stats import counts_on

    server = migrated_database()
    try:
        db = open_database(server)
        try:
            _office(db)
            with db.writing() as s:
                create_first_admin(s, username="quantri", full_name="Quản trị", password="mat-khau-dai-1")
            with db.reading() as s:
                members = counts_on(s, dt.date.today()).members
        finally:
            db.close()
        secret = tmp_path / "pw.txt"
        secret.write_text("mat-khau-dai-1\n", encoding="utf-8")
        probe = ("import sys; from khoi_desktop.__main__ import main; code = main(sys.argv[1:]); "
                 "print('MODELS', 'khoi_desktop.core.models' in sys.modules); sys.exit(code)")
        for command in ("stats", "orgs"):
            done = subprocess.run([sys.executable, "-c", probe, "--user", "quantri", "--password-file", str(secret),
                                   command, server, "--json"], capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            lines = done.stdout.splitlines()
            assert lines[-1] == "MODELS False"
            if command == "stats":
                assert json.loads(lines[0])["members"] == members > 0
    finally:
        drop(server)


def test_a_command_on_a_server_signs_in_without_an_engine_of_its_own(pg: str, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The sign-in's reads (any account? the account's row) go through psycopg alone: a command makes the one
    SQLAlchemy engine it works with (each engine connects again and asks the server its settings first), and a
    wrong password is still refused and counted."""
    from khoi_desktop.core.auth.accounts import create_first_admin
    from khoi_desktop.core.engines import postgres

    server = migrated_database()
    try:
        db = open_database(server)
        try:
            with db.writing() as s:
                create_first_admin(s, username="quantri", full_name="Quản trị", password="mat-khau-dai-1")
        finally:
            db.close()
        engines: list[object] = []
        made = postgres.make_engine
        monkeypatch.setattr(postgres, "make_engine", lambda address: engines.append(address) or made(address))
        secret = tmp_path / "pw.txt"
        secret.write_text("mat-khau-dai-1\n", encoding="utf-8")
        assert main(["--user", "quantri", "--password-file", str(secret), "verify-audit", server, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["ok"] is True
        assert len(engines) == 1
        secret.write_text("sai-mat-khau\n", encoding="utf-8")
        assert main(["--user", "quantri", "--password-file", str(secret), "decisions", server, "--json"]) == 2
        assert "login_refused" in capsys.readouterr().out
        db = open_database(server)
        try:
            with db.reading() as s:
                assert s.scalar(text("SELECT failed_attempts FROM users WHERE username = 'quantri'")) == 1
        finally:
            db.close()
    finally:
        drop(server)


def test_the_password_is_taken_from_the_credential_store(pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from khoi_desktop.core.engines import postgres

    stored: dict[tuple[str, str], str] = {}
    monkeypatch.setattr("keyring.get_password", lambda service, name: stored.get((service, name)))
    monkeypatch.setattr("keyring.set_password", lambda service, name, value: stored.__setitem__((service, name),
                                                                                              value))
    address = postgres.ServerAddress.parse("postgresql://khoi_app@127.0.0.1:5432/van_phong?sslmode=verify-full"
                                           "&sslrootcert=C:/khoi/ca.pem")
    assert "password" not in address.connect_args()
    postgres.remember_password(address, "bi-mat")
    args = address.connect_args()
    assert args["password"] == "bi-mat" and args["sslmode"] == "verify-full"
    assert args["sslrootcert"] == "C:/khoi/ca.pem"
    assert stored == {("khoi-desktop", "khoi_app@127.0.0.1:5432/van_phong"): "bi-mat"}
    assert "bi-mat" not in address.url


def test_a_change_made_elsewhere_is_noticed_within_seconds(pg: str) -> None:
    from khoi_desktop.core.change_watch import watcher_for

    url = migrated_database()
    db = open_database(url)
    watcher = watcher_for(url)
    try:
        time.sleep(0.5)
        assert not watcher.changed()
        with db.writing() as s:  # another workstation's write
            record(s, actor="may_b", action="thu", target="x")
        deadline = time.monotonic() + 6
        while not watcher.changed():
            assert time.monotonic() < deadline, "the change was not noticed"
            time.sleep(0.1)
        watcher.forget()  # this window's own write is not announced back to it as someone else's
        with db.writing() as s:
            record(s, actor="may_a", action="cua_minh", target="x")
        watcher.forget()
        time.sleep(3)
        assert not watcher.changed() and not watcher.lost
    finally:
        watcher.close()
        db.close()
        drop(url)


@pytest.mark.xdist_group("own_cluster")
def test_the_server_gone_then_back_refuses_writes_in_vietnamese_and_reconnects(stoppable_pg: str) -> None:
    from khoi_desktop.core.change_watch import watcher_for

    folder = stoppable_pg  # a cluster of this test process's own: the other tests' server stays up
    script = str(CLUSTER_SCRIPT)
    url = migrated_database()
    db = open_database(url)
    watcher = watcher_for(url)
    try:
        with db.writing() as s:
            record(s, actor="may_a", action="truoc", target="x")
        subprocess.run(["sh", script, "pause", folder], check=True, timeout=120)
        try:
            with pytest.raises(DatabaseError) as lost, db.writing() as s:
                record(s, actor="may_a", action="trong_luc_mat", target="x")
            assert lost.value.code == "server_lost" and lost.value.message.startswith("Mất kết nối tới")
            deadline = time.monotonic() + 10
            while not watcher.lost:
                assert time.monotonic() < deadline, "the loss was not noticed"
                time.sleep(0.1)
        finally:
            subprocess.run(["sh", script, "resume", folder], check=True, timeout=120)
        with db.writing() as s:  # the same open office reconnects by itself
            record(s, actor="may_a", action="sau", target="x")
        deadline = time.monotonic() + 15
        while watcher.lost:
            assert time.monotonic() < deadline, "the watcher did not reconnect"
            time.sleep(0.1)
        with db.reading() as s:
            assert s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all() == ["truoc", "sau"]
            assert verify_trail(s).ok
    finally:
        watcher.close()
        db.close()
        drop(url)


def test_a_writer_kept_waiting_too_long_is_refused_as_busy_with_nothing_changed(
        pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from khoi_desktop.core.engines import postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 300)
    url = migrated_database()
    holder, waiting = open_database(url), open_database(url)
    try:
        with holder.writing() as s:  # another workstation in the middle of a long write
            record(s, actor="may_a", action="dang_ghi", target="x")
            with pytest.raises(DatabaseError) as busy, waiting.writing() as other:
                record(other, actor="may_b", action="cho_qua_lau", target="x")
            assert busy.value.code == "busy" and "Không có gì bị thay đổi" in busy.value.message
        with waiting.reading() as s:
            assert s.scalars(select(AuditEntry.action)).all() == ["dang_ghi"]
    finally:
        holder.close()
        waiting.close()
        drop(url)


def test_a_window_reads_its_first_tree_on_a_server_without_sqlalchemy(pg: str) -> None:
    """Opening a sound server office and reading the window's first tree and counts (gui/ops.load_overview)
    go through psycopg alone (SQLAlchemy loads after the tree: bench/server.py start); the same tree and counts
    as through the ORM's session. An office with accounts whose audit could be edited is still made
    insert-only at open (the quick checks find it unsound and the full way repairs it)."""
    from khoi_desktop.core.auth.accounts import create_first_admin
    from khoi_desktop.core.db import _found_sound
    from khoi_desktop.core.engines.postgres import audit_editable
    from khoi_desktop.core.stats import counts_from
    from khoi_desktop.core.tree import load_snapshot

    server = migrated_database()
    try:
        db = open_database(server)
        try:
            _office(db)
            with db.writing() as s:
                create_first_admin(s, username="quantri", full_name="Quản trị", password="mat-khau-dai-1")
            with db.reading() as s:
                snapshot = load_snapshot(s, DAY)
                expected = [sorted((n.code, n.parent_id, n.direct_members, n.members, n.full_members,
                                    n.children) for n in snapshot.nodes.values()), counts_from(snapshot).members]
        finally:
            db.close()
        probe = ("import sys, json, datetime as dt; from khoi_desktop.core.db import open_database; "
                 "from khoi_desktop.gui.ops import load_overview; db = open_database(sys.argv[1]); "
                 "o = load_overview(as_of=dt.date.fromisoformat(sys.argv[2]))(db); "
                 "print(json.dumps([sorted((n.code, n.parent_id, n.direct_members, n.members, n.full_members, "
                 "n.children) for n in o.snapshot.nodes.values()), o.counts.members, o.settings.configured])); "
                 "print('SQLALCHEMY', 'sqlalchemy' in sys.modules)")
        done = subprocess.run([sys.executable, "-c", probe, server, DAY.isoformat()], capture_output=True, text=True,
                              timeout=120, env=_env())
        assert done.returncode == 0, done.stderr
        tree, members, configured = json.loads(done.stdout.splitlines()[0])
        assert [[tuple(n) for n in tree], members] == expected and members > 0 and configured
        assert done.stdout.splitlines()[1] == "SQLALCHEMY False"

        role = server.split("//")[1].split(":")[0]
        as_administrator(server, f"GRANT UPDATE, DELETE, TRUNCATE ON audit_rows, audit_entries TO {role}")
        _found_sound.clear()  # as another workstation (or this one after a minute) opens it
        db = open_database(server)
        try:
            with db.engine.connect() as connection:
                assert audit_editable(connection) == []
        finally:
            db.close()
    finally:
        drop(server)


def test_a_chi_bo_year_is_planned_once_a_reading_session_and_other_plans_are_left_alone(pg: str) -> None:
    """chi_bo_year run again in a reading session on a server runs as a prepared statement with a generic plan
    (its planning costs several times its execution: bench server_meetings_chi_bo_year); plan_cache_mode is
    forced for that statement only, back to the default for the next ones; a first run in a session is planned
    as any statement (nothing prepared, nothing to deallocate after); the same year either way; an unknown
    code still refused."""
    from khoi_desktop.core.errors import OrgNotFound
    from khoi_desktop.core.meetings.status import chi_bo_year

    server = migrated_database()
    db = open_database(server)
    try:
        _office(db)
        prepared = text("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                        "WHERE statement LIKE '%meeting_attendance%'")
        with db.reading() as s:
            once = chi_bo_year(s, "CB0001", DAY.year)
            assert s.execute(prepared).all() == []
        with db.reading() as s:
            years = [chi_bo_year(s, "CB0001", DAY.year) for _ in range(4)]
            assert s.execute(prepared).all() == [(3, 0)]
            assert s.execute(text("SELECT current_setting('plan_cache_mode')")).scalar() == "auto"
            with pytest.raises(OrgNotFound):
                chi_bo_year(s, "CB9999", DAY.year)
        assert years == [once] * 4 and once.code == "CB0001"
    finally:
        db.close()
        drop(server)


def test_a_chi_bo_year_repeated_sets_its_plan_mode_once_and_every_other_statement_runs_at_the_default(
        pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of chi_bo_year one after another in a session force plan_cache_mode once, not at every run (a SET
    each way was most of a run's cost on a server); the next other statement finds the default again (a
    SAVEPOINT too: rolled back to, it brings no forced mode back); a new transaction starts at the default."""
    import psycopg

    from khoi_desktop.core.engines.together import read_together
    from khoi_desktop.core.meetings.status import chi_bo_year

    server = migrated_database()
    db = open_database(server)
    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def spy(self: psycopg.Cursor, query: object, *args: object, **kwargs: object) -> object:
        if "plan_cache_mode" in str(query) and "SET" in str(query):
            sent.append(str(query))
        return execute(self, query, *args, **kwargs)  # type: ignore[arg-type]

    mode = text("SELECT current_setting('plan_cache_mode')")
    try:
        _office(db)
        monkeypatch.setattr(psycopg.Cursor, "execute", spy)
        with db.reading() as s:
            years = [chi_bo_year(s, "CB0001", DAY.year) for _ in range(5)]
            assert len(sent) == 1  # forced before the second run, left so for the next three
            together = read_together(s.connection(), [(str(mode), {})] * 2)  # the session's psycopg connection
            assert together == [[("auto",)]] * 2 and len(sent) == 2
            chi_bo_year(s, "CB0001", DAY.year)
            assert s.execute(mode).scalar() == "auto"
            assert len(sent) == 4
        assert years == [years[0]] * 5
        with db.writing() as s:
            chi_bo_year(s, "CB0001", DAY.year)
            chi_bo_year(s, "CB0001", DAY.year)  # forced
            savepoint = s.begin_nested()  # the default back before the SAVEPOINT
            chi_bo_year(s, "CB0001", DAY.year)  # forced inside it
            savepoint.rollback()
            assert s.execute(mode).scalar() == "auto"
            assert chi_bo_year(s, "CB0001", DAY.year) == years[0]
        with db.reading() as s:  # a new transaction starts at the default, nothing sent for it
            sent.clear()
            assert s.execute(mode).scalar() == "auto" and sent == []
    finally:
        db.close()
        drop(server)
