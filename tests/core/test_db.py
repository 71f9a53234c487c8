"""Opening, creating and migrating database files; pragmas; transactions."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from factories import add_member, add_org
from khoi_desktop.core import db as db_module
from khoi_desktop.core.db import Database, file_revision, open_database, schema_head
from khoi_desktop.core.errors import DatabaseError
from khoi_desktop.core.models import Member, Organization, OrgKind, Setting
from khoi_desktop.core.schema import METADATA


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw(path: Path, *statements: str) -> None:
    """Change a file behind the app's back, as another program would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def make_file(path: Path) -> Path:
    """A closed database file at the current schema, with one organization and one member."""
    database = open_database(path, create=True)
    with database.writing() as session:
        org = add_org(session, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_member(session, "Nguyễn Văn An", org, code="DV1")
    database.close()
    return path


def test_new_file_is_migrated_to_head(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "moi.db"
    database = open_database(path, create=True)
    database.close()

    assert path.exists()
    assert file_revision(path) == schema_head()
    assert set(METADATA.tables) | {"alembic_version"} <= tables(path)
    # And it opens again without another migration or copy.
    open_database(path).close()
    assert sorted(p.name for p in path.parent.iterdir() if "truoc-nang-cap" in p.name) == []


@pytest.mark.parametrize("folder", ["Dữ liệu #2 (100%)", "x%41", "hỏi?đáp"])
def test_folder_names_with_url_characters(tmp_path: Path, folder: str) -> None:
    """'#', '%' and '?' are legal in folder names: the file opened must be this very file."""
    path = make_file(tmp_path / folder / "khoi.db")
    assert file_revision(path) == schema_head()
    database = open_database(path)
    try:
        with database.reading() as session:
            assert session.scalars(select(Member.code)).all() == ["DV1"]
    finally:
        database.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]  # no stray file beside the folder
    raw(path, "UPDATE alembic_version SET version_num = 'ffff9999'")
    with pytest.raises(DatabaseError, match="phiên bản mới hơn"):
        open_database(path)


def test_missing_file_without_create_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="Không tìm thấy"):
        open_database(tmp_path / "khong-co.db")
    assert not (tmp_path / "khong-co.db").exists()


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_connections_have_pragmas(db: Database) -> None:
    with db.reading() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() > 0
    with db.writing() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    from khoi_desktop.core.models import Membership

    with pytest.raises(IntegrityError), db.writing() as session:
        session.add(Membership(member_id=999, org_id=999, valid_from=dt.date(2020, 1, 1)))
        session.flush()


def test_file_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = make_file(tmp_path / "moi-hon.db")
    raw(path, "UPDATE alembic_version SET version_num = 'ffff9999'")
    before = sha256(path)

    with pytest.raises(DatabaseError) as caught:
        open_database(path)

    assert "phiên bản mới hơn" in caught.value.message
    assert "ffff9999" in caught.value.message
    assert caught.value.code == "newer_schema"  # was the generic «database»
    assert sha256(path) == before
    assert not list(tmp_path.glob("*truoc-nang-cap*"))


def test_non_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ghi-chu.db"
    path.write_bytes("Đây không phải cơ sở dữ liệu. ".encode() * 200)
    before = sha256(path)

    with pytest.raises(DatabaseError, match="không đọc được"):
        open_database(path)
    assert sha256(path) == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "khac.db"
    raw(path, "CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO contacts (name) VALUES ('Lan')")
    before = sha256(path)

    with pytest.raises(DatabaseError, match="không phải cơ sở dữ liệu của phần mềm này"):
        open_database(path)
    assert sha256(path) == before


def test_older_file_is_copied_aside_before_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file at the current revision meets a newer app (one more migration): copy first, then upgrade."""
    path = make_file(tmp_path / "cu.db")
    old_revision = file_revision(path)
    old_bytes = sha256(path)

    newer = tmp_path / "migrations"
    shutil.copytree(db_module.MIGRATIONS_DIR, newer, ignore=shutil.ignore_patterns("__pycache__"))
    (newer / "versions" / "9999_test_extra.py").write_text(textwrap.dedent(f"""\
        import sqlalchemy as sa
        from alembic import op

        revision = "9999test"
        down_revision = {old_revision!r}
        branch_labels = None
        depends_on = None


        def upgrade() -> None:
            op.create_table("test_extra", sa.Column("id", sa.Integer(), primary_key=True))
            with op.batch_alter_table("members") as batch_op:
                batch_op.add_column(sa.Column("test_note", sa.String(20), nullable=True))


        def downgrade() -> None:
            op.drop_table("test_extra")
        """), encoding="utf-8")
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", newer)
    assert schema_head() == "9999test"

    database = open_database(path)
    try:
        with database.reading() as session:
            # Data survived the batch copy-and-move of the members table.
            assert session.scalars(select(Member.code)).all() == ["DV1"]
            assert session.execute(text("SELECT test_note FROM members")).scalar() is None
    finally:
        database.close()

    assert file_revision(path) == "9999test"
    assert "test_extra" in tables(path)
    copies = list(tmp_path.glob(f"cu.truoc-nang-cap-{old_revision}-*.db"))
    assert len(copies) == 1
    assert file_revision(copies[0]) == old_revision
    assert "test_extra" not in tables(copies[0])
    conn = sqlite3.connect(copies[0])
    try:
        assert conn.execute("SELECT code FROM members").fetchall() == [("DV1",)]
    finally:
        conn.close()
    assert sha256(path) != old_bytes


def test_revision_differing_from_head_is_copied_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy-aside path alone: the app believes its head is newer than the file's revision."""
    path = make_file(tmp_path / "kho.db")
    revision = file_revision(path)
    monkeypatch.setattr(db_module, "schema_head", lambda: "0002fake")

    open_database(path).close()

    copies = list(tmp_path.glob(f"kho.truoc-nang-cap-{revision}-*.db"))
    assert len(copies) == 1
    assert file_revision(copies[0]) == revision


def test_writing_rolls_back_everything_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.writing() as session:
        org = add_org(session, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
        add_member(session, "Nguyễn Văn An", org)
        session.add(Setting(key="x", value="1"))
        session.flush()
        raise RuntimeError("giữa chừng")

    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Organization)) == 0
        assert session.scalar(select(func.count()).select_from(Member)) == 0
        assert session.get(Setting, "x") is None


@pytest.mark.sqlite_only  # the SQLite file itself (its path, bytes or sqlite3)
def test_writing_commits_on_success(db: Database) -> None:
    with db.writing() as session:
        add_org(session, "CB01", "Chi bộ Văn phòng", OrgKind.CHI_BO_CO_SO)
    other = open_database(db.path)
    try:
        with other.reading() as session:
            assert session.scalars(select(Organization.code)).all() == ["CB01"]
    finally:
        other.close()


def test_revision_graph_read_without_alembic_matches_alembic() -> None:
    """schema_head()/known_revisions() read the scripts' assignments; Alembic must agree on every one."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(db_module._alembic_config())
    assert schema_head() == script.get_current_head()
    assert db_module.known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert db_module._revision_graph() == {rev.revision: rev.down_revision for rev in script.walk_revisions()}


def test_opening_a_current_file_does_not_load_alembic(tmp_path: Path) -> None:
    path = make_file(tmp_path / "kho.db")
    code = ("import sys; from khoi_desktop.core.db import open_database, read_connection; "
            f"open_database({str(path)!r}).close(); read_connection({str(path)!r}).close(); "
            "print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_read_connection_reads_only(tmp_path: Path) -> None:
    path = make_file(tmp_path / "kho.db")
    conn = db_module.read_connection(path)
    try:
        assert conn.execute("SELECT count(*) FROM organizations").fetchone() is not None
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM organizations")
    finally:
        conn.close()
