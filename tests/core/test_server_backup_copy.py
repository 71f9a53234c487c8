"""A server office's .khoibak holds its tables as the server's COPY text lines (core/backup/copied.py): read back,
the image holds what the ORM's row-by-row copy of the server held (every table, text with COPY's special
characters, NULLs, dates and times, enums, booleans, the PDF's bytes, the search index), it restores into a
file and into an empty server with the same content digest, and a reading that differs from what the server
wrote is refused as damaged."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from factories import add_member, add_members, add_org
from khoi_desktop.core import transfer
from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.backup import copied, reader
from khoi_desktop.core.backup.errors import BackupError
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.snapshot import open_in_memory
from khoi_desktop.core.backup.writer import build_backup, create_backup
from khoi_desktop.core.db import open_database
from khoi_desktop.core.engines.sqlite import connect_memory
from khoi_desktop.core.models import Term
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, save_settings
from khoi_desktop.documents.pdf import render_pdf
from pg_support import SKIP_REASON, drop, empty_database, migrated_database, server_url

DAY = dt.date(2026, 3, 2)
# COPY's special characters, all the control characters the server escapes (\b \f \v too), a text "\N".
ODD = ["a\\b", "\\N", "\\.", "tab\there", "line\nnext", "cr\rret", "end\\", "", "quote ' \" x", "bell\b\f\v",
       "Nguyễn Thị Hòa 🌸", "\\\\x41\t\\n", "\\x41"]


@pytest.fixture
def pg() -> str:
    if server_url() is None:
        if os.environ.get("CI"):
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    return server_url()  # type: ignore[return-value]


def _office(url: str, *, odd: bool = True) -> None:
    from khoi_desktop.core.auth.accounts import create_first_admin

    db = open_database(url)
    try:
        with db.writing() as s:  # an account: a backup without any is not restored on a server (no_account)
            create_first_admin(s, username="quan_tri", full_name="Quản trị", password="mat-khau-quan-tri-dai")
            save_settings(s, OfficeSettings(configured=True))
            s.add(Term(name="hien-tai", starts_on=DAY - dt.timedelta(days=400), ends_on=DAY + dt.timedelta(days=400)))
            first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
            second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
            small = add_org(s, "CB0001", "Chi bộ Phòng 1", "chi_bo_truc_thuoc", parent=first)
            add_members(s, small, 3)
            add_members(s, add_org(s, "CB0900", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
            add_members(s, add_org(s, "CB0800", "Chi bộ Văn phòng", "chi_bo_truc_thuoc", parent=second), 30)
            # ids across the server's ranges of 2000 (copy_text_statement): 1-63, none, 3996-4010
            s.execute(text("SELECT setval(pg_get_serial_sequence('members', 'id'), 3995)"))
            for title in ODD if odd else []:
                add_member(s, "Lê Văn Lạ", small, job_title=title)
            add_member(s, "Trần Thị Trống", small, job_title=None, birth_date=None, probationary=True)
        with db.writing() as s:  # an issued decision: a datetime, an enum, the PDF's bytes
            apply_request(s, parse_request({"action": "transfer", "org": "CB0001", "to": "CS002"}), actor="x",
                          issue=True, today=DAY, render=render_pdf)
        with db.engine.begin() as c:  # a timestamp on a whole second, one whose fraction ends in zeros
            c.exec_driver_sql("UPDATE decisions SET changed_at = '2026-03-02 10:00:00', "
                              "created_at = '2026-03-02 09:59:58.1'")
    finally:
        db.close()


def _rows(conn, table: str) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    kinds = ", ".join(f'typeof("{c}")' for c in columns)
    return sorted(conn.execute(f'SELECT *, {kinds} FROM "{table}"').fetchall(), key=repr)


def _through_sqlalchemy(db):  # type: ignore[no-untyped-def]
    image = connect_memory()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ",
                                               postgresql_readonly=True) as source, source.begin():
        transfer.upgrade_image(image, transfer.revision(source) or "head")
        with transfer._memory_engine(image).begin() as target:
            transfer.copy_office(source, target)
    return image


def test_a_server_backup_reads_back_as_the_orm_copy_of_the_server(pg: str) -> None:
    url = migrated_database()
    _office(url)
    db = open_database(url)
    try:
        parts, manifest = build_backup(db)
        assert manifest.content_kind == copied.KIND and manifest.members == 3 + 30 + 30 + len(ODD) + 1
        opened = reader.open_backup_bytes(b"".join(parts), "x.khoibak", None)
        assert reader.validate_content(opened, "x.khoibak") == manifest.schema_revision
        image, slow = open_in_memory(opened.content), _through_sqlalchemy(db)
        try:
            tables = [table.name for table in transfer._tables()] + ["alembic_version"]
            for table in tables:
                assert _rows(image, table) == _rows(slow, table), table
            assert image.execute("SELECT min(id) < 2000, max(id) > 4000 FROM members").fetchone() == (1, 1)
            jobs = {row[0] for row in image.execute("SELECT job_title FROM members WHERE job_title IS NOT NULL")}
            assert set(ODD) <= jobs
            assert image.execute("SELECT count(*) FROM members WHERE job_title IS NULL").fetchone()[0] >= 1
            assert image.execute("SELECT typeof(pdf) FROM decisions WHERE pdf IS NOT NULL").fetchall() == [("blob",)]
            search = "SELECT rowid FROM member_fts WHERE member_fts MATCH ? ORDER BY rowid"
            words = {w for (key,) in slow.execute("SELECT search_key FROM members") for w in key.split()}
            for word in sorted(words):
                found = slow.execute(search, (f'"{word}"',)).fetchall()
                assert found and image.execute(search, (f'"{word}"',)).fetchall() == found, word
            trigger = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'member_fts_insert'"
            assert image.execute(trigger).fetchall() == slow.execute(trigger).fetchall() != []
        finally:
            image.close()
            slow.close()
    finally:
        db.close()
        drop(url)


def test_a_reading_that_differs_from_what_the_server_wrote_is_refused(pg: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The image is proven against the content: its rows spelled again as COPY lines must hash to the
    manifest's SHA-256. An escape read wrongly (here: \\t left as it is) is refused, not restored."""
    url = migrated_database()
    _office(url)
    db = open_database(url)
    try:
        data = b"".join(build_backup(db)[0])
    finally:
        db.close()
        drop(url)
    monkeypatch.setitem(copied._ESCAPED, "t", "\\t")
    with pytest.raises(BackupError, match="khác với dữ liệu đã sao lưu"):
        reader.open_backup_bytes(data, "x.khoibak", None)


def test_an_image_backup_of_a_server_office_still_restores(pg: str, tmp_path: Path) -> None:
    """Server backups made before (an SQLite image: writer._image_payload of server_image) restore as before."""
    from khoi_desktop.core.backup import container
    from khoi_desktop.core.backup.manifest import ANCHOR_FIELD
    from khoi_desktop.core.backup.writer import _image_payload

    url = migrated_database()
    _office(url)
    db = open_database(url)
    try:
        payload, manifest = _image_payload(db, lambda _f: None, lambda _f, _l: None, dt.datetime(2026, 3, 2, 9),
                                           "van-phong")
        assert manifest.content_kind == "sqlite" and "content_kind" not in manifest.to_json()
        backup = tmp_path / "old.khoibak"
        public = {ANCHOR_FIELD: manifest.audit_anchor} if manifest.audit_anchor is not None else None
        backup.write_bytes(b"".join(container.pack_parts(payload, None, public=public)))
        opened = reader.verify_backup(backup)
        image = open_in_memory(opened.content)
        try:
            assert image.execute("SELECT count(*) FROM members").fetchone() == (manifest.members,)
        finally:
            image.close()
    finally:
        db.close()
        drop(url)


def test_a_server_backup_restores_into_a_file_and_an_empty_server_with_the_same_content(pg: str,
                                                                                       tmp_path: Path) -> None:
    from khoi_desktop.core.audit_check import verify_trail
    from khoi_desktop.core.transfer import content_digest

    url = migrated_database()
    _office(url, odd=False)  # (a restore cleans control characters out of stored text: test_text_cleanup)
    second = empty_database()
    db = open_database(url)
    try:
        made = create_backup(db, tmp_path / "bk", actor="x", kind="manual")
        assert made.manifest.content_kind == copied.KIND
        restore_backup(made.path, tmp_path / "lai.db", actor="x")
        restore_backup(made.path, second, actor="x")
        home, again = open_database(tmp_path / "lai.db"), open_database(second)
        try:
            own = frozenset({"audit_entries", "audit_rows", "settings"})  # each restore recorded itself
            with db.engine.connect() as a, home.engine.connect() as b, again.engine.connect() as c:
                assert content_digest(a, leave_out=own) == content_digest(b, leave_out=own) \
                    == content_digest(c, leave_out=own)
            for office in (home, again):
                with office.reading() as s:
                    assert verify_trail(s).ok
        finally:
            home.close()
            again.close()
    finally:
        db.close()
        drop(url)
        drop(second)


def test_the_server_sorts_no_joined_value(pg: str) -> None:
    """Each table's statement (engines/postgres.copy_text_statement) under the readers' settings (copy_server):
    the joined values of the ranges are not sorted (the reader orders them by their range: a Sort over them
    wrote every value to disk once past work_mem, 40 MB of meeting_attendance at scale 20)."""
    from khoi_desktop.core.engines.postgres import copy_text_statement
    from khoi_desktop.core.schema import METADATA

    url = migrated_database()
    _office(url)
    db = open_database(url)
    try:
        with db.engine.connect() as c:
            raw = c.connection.dbapi_connection
            raw.execute(copied.READER_SETTINGS)
            for name in ("members", "audit_rows", "member_words", "meeting_attendance"):
                plan = raw.execute(f"EXPLAIN (FORMAT JSON) {copy_text_statement(METADATA.tables[name])}").fetchone()[0]
                assert plan[0]["Plan"]["Node Type"] != "Sort", name
    finally:
        db.close()
        drop(url)


def test_ranges_holding_a_tab_a_newline_or_a_carriage_return_are_read_again_with_every_escape(
        pg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server escapes only backslashes (one replace() a text value, not four); a range whose value holds a
    tab, a newline or a carriage return is found by its counts and read again with every escape: the content
    is byte for byte what the statements with every escape give (the lines of every table before)."""
    import json

    import zstandard

    from khoi_desktop.core.engines import postgres
    from khoi_desktop.core.schema import METADATA

    members = METADATA.tables["members"]
    texts = [c for c in members.columns if postgres._is_text(c)]
    assert postgres.copy_text_statement(members).count("replace(") == len(texts)
    assert "num_nulls(" not in postgres.copy_text_statement(members)  # (IS NULL tests: cheaper)
    assert postgres.copy_text_statement(members, every_escape=True).count("replace(") == 4 * len(texts)
    url = migrated_database()
    _office(url)
    db = open_database(url)
    again: list[str] = []
    statement = postgres.copy_text_statement

    def counted(table, **options):  # type: ignore[no-untyped-def]
        if options.get("only"):
            again.append(table.name)
        return statement(table, **options)

    monkeypatch.setattr(postgres, "copy_text_statement", counted)
    try:
        made = copied.copy_server(db)
        content = zstandard.ZstdDecompressor().decompressobj().decompress(made.compressed)
        directory = json.loads(content[content.rfind(b"\n", 0, len(content) - 1) + 1:])
        with db.engine.connect() as c:
            raw = c.connection.dbapi_connection
            expected = []
            for entry in directory["tables"]:
                rows = raw.execute(statement(METADATA.tables[entry["name"]], every_escape=True)).fetchall()
                expected.append(b"".join(value.encode() + b"\n" for *_, value in sorted(rows) if value is not None))
        assert content[:sum(len(part) for part in expected)] == b"".join(expected)
        assert [entry["rows"] for entry in directory["tables"]] == [part.count(b"\n") for part in expected]
        assert "members" in again  # (the ODD job titles) ...
        assert "meetings" not in again  # ... and only ranges with such a value
    finally:
        db.close()
        drop(url)


# Names whose folded keys hold what WORDS_SQL escapes or splits: several spaces, backslash, double quote,
# apostrophe, diacritics, a repeated word.
WORD_NAMES = ["Nguyễn   Thị  Hòa", 'Lê "Văn" Bê\\Sê', "H'Mông Vàng  A", "Đỗ Ngọc Ánh Ánh", "Trần \\\\ \"\" Tư"]


def _word_office(url: str) -> None:
    from khoi_desktop.core.models import Organization

    _office(url, odd=False)
    db = open_database(url)
    try:
        with db.writing() as s:
            small = s.query(Organization).filter_by(code="CB0001").one()
            for name in WORD_NAMES:
                add_member(s, name, small)
    finally:
        db.close()


def _words(office) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    with office.engine.connect() as c:
        return {(word, member) for word, member in c.execute(text("SELECT word, member_id FROM member_words"))}


def _listed(content: bytes) -> list[str]:
    import json

    return [entry["name"] for entry in json.loads(content[content.rfind(b"\n", 0, len(content) - 1) + 1:])["tables"]]


def _content(made: copied.Copied) -> bytes:
    import zstandard

    return zstandard.ZstdDecompressor().decompressobj().decompress(made.compressed)


def _restored_words_and_search(db, path: Path, second: str) -> None:  # type: ignore[no-untyped-def]
    """`path` restored into a file and into the empty server `second`: member_words the rows `db` holds, and a
    search by a word of each odd name finds it."""
    from khoi_desktop.core.members import search_members
    from khoi_desktop.core.text import fold

    restore_backup(path, path.parent / "lai.db", actor="x")
    restore_backup(path, second, actor="x")
    home, again = open_database(path.parent / "lai.db"), open_database(second)
    try:
        words = _words(db)
        assert len(words) > 100 and _words(home) == words and _words(again) == words
        for office in (db, home, again):
            with office.reading() as s:
                for typed, name in (("hoa", WORD_NAMES[0]), ("bê\\sê", WORD_NAMES[1]), ("h'mông vàng", WORD_NAMES[2]),
                                    ("ngọc ánh", WORD_NAMES[3])):
                    found = {fold(row.full_name) for row in search_members(s, typed, DAY)}
                    assert fold(name) in found, (typed, office.url)
    finally:
        home.close()
        again.close()


def test_a_server_backup_leaves_the_word_index_out_and_the_reader_makes_it_again(pg: str, tmp_path: Path) -> None:
    """member_words (derived from members.search_key) does not travel in a server backup (copied.LEFT_OUT): the
    reader makes it from the proven members (member_words.fill_words); restored into a file and into an empty
    server it holds the rows the server had, and member search finds the odd names."""
    url = migrated_database()
    _word_office(url)
    second = empty_database()
    db = open_database(url)
    try:
        listed = _listed(_content(copied.copy_server(db)))
        assert "member_words" not in listed and "members" in listed
        made = create_backup(db, tmp_path / "bk", actor="x", kind="manual")
        assert made.manifest.content_kind == copied.KIND
        reader.verify_backup(made.path)
        _restored_words_and_search(db, made.path, second)
    finally:
        db.close()
        drop(url)
        drop(second)


def test_a_server_backup_holding_the_word_index_reads_as_before(pg: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A server backup made before member_words was left out (the table in the content) verifies and restores
    as it did: its rows read from the content, proven like every other table."""
    import functools

    url = migrated_database()
    _word_office(url)
    second = empty_database()
    db = open_database(url)
    try:
        whole = functools.partial(copied.copy_server, leave_out=frozenset())
        assert "member_words" in _listed(_content(whole(db)))
        monkeypatch.setattr(copied, "copy_server", whole)
        made = create_backup(db, tmp_path / "bk", actor="x", kind="manual")
        monkeypatch.undo()
        reader.verify_backup(made.path)
        _restored_words_and_search(db, made.path, second)
    finally:
        db.close()
        drop(url)
        drop(second)


def test_a_server_content_missing_a_table_is_refused_as_damaged(pg: str) -> None:
    url = migrated_database()
    _office(url, odd=False)
    db = open_database(url)
    try:
        made = copied.copy_server(db, leave_out=frozenset({"member_words", "meetings"}))
    finally:
        db.close()
        drop(url)
    with pytest.raises(BackupError, match="thiếu bảng «meetings»"):
        copied.image_of_copy(_content(made), made.revision, "x.khoibak")


def test_a_server_content_holds_the_tables_in_the_order_their_reads_end_and_restores_the_same(
        pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client hashes and compresses each table as soon as its read ends (not in the schema's order, waiting
    behind the largest reads): the directory lists the tables in that order, and the backup verifies and
    restores into a file and into an empty server with the server's content."""
    import threading
    import time

    from khoi_desktop.core.transfer import content_digest

    url = migrated_database()
    _office(url, odd=False)
    second = empty_database()
    db = open_database(url)
    read = copied._read
    others_done = threading.Event()
    finished: list[str] = []

    def slow_audit(source, table):  # type: ignore[no-untyped-def]
        # audit_entries, first in the schema's order, is read last (after every other table's read)
        if table.name == "audit_entries":
            assert others_done.wait(30)
            time.sleep(0.05)
        value = read(source, table)
        finished.append(table.name)
        if len(finished) == len(listed_tables) - 1:
            others_done.set()
        return value

    listed_tables = [t for t in transfer._tables() if t.name not in copied.LEFT_OUT]
    monkeypatch.setattr(copied, "_read", slow_audit)
    try:
        listed = _listed(_content(copied.copy_server(db)))
        assert listed[-1] == "audit_entries"  # (schema order: first)
        assert sorted(listed) == sorted(t.name for t in listed_tables)
        made = create_backup(db, tmp_path / "bk", actor="x", kind="manual")
        reader.verify_backup(made.path)
        restore_backup(made.path, tmp_path / "lai.db", actor="x")
        restore_backup(made.path, second, actor="x")
        home, again = open_database(tmp_path / "lai.db"), open_database(second)
        try:
            own = frozenset({"audit_entries", "audit_rows", "settings"})  # each restore recorded itself
            with db.engine.connect() as a, home.engine.connect() as b, again.engine.connect() as c:
                assert content_digest(a, leave_out=own) == content_digest(b, leave_out=own) \
                    == content_digest(c, leave_out=own)
        finally:
            home.close()
            again.close()
    finally:
        db.close()
        drop(url)
        drop(second)


def test_a_server_backup_is_read_without_a_second_check_of_pages_the_reader_built(
        pg: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a server backup ran PRAGMA integrity_check (≈ 2.8 s of the ≈ 20 s at scale 20) on the SQLite
    image the reader had just built itself from the proven lines: its pages and indexes are SQLite's own, made
    a moment before, nothing of the backup's bytes. quick_check (NOT NULL, CHECK, pages) and foreign_key_check
    still run on it; an SQLite image (a file office's backup) is still checked in full."""
    from khoi_desktop.core.backup import snapshot
    from khoi_desktop.core.backup.reader import verify_backup

    seen: list[str] = []
    opened_in_memory = snapshot.open_in_memory

    def traced(content: bytes) -> object:
        conn = opened_in_memory(content)
        conn.set_trace_callback(seen.append)
        return conn

    monkeypatch.setattr(reader, "open_in_memory", traced)
    url = migrated_database()
    _office(url)
    db = open_database(url)
    try:
        made = create_backup(db, tmp_path / "bk", actor="x", kind="manual")
        verify_backup(made.path)
        pragmas = [statement for statement in seen if statement.startswith("PRAGMA")]
        assert "PRAGMA quick_check" in pragmas and "PRAGMA foreign_key_check" in pragmas, pragmas
        assert "PRAGMA integrity_check" not in pragmas, pragmas
        # the same office as a file: its backup's image came from the backup's bytes, checked in full
        restore_backup(made.path, tmp_path / "lai.db", actor="x")
        from khoi_desktop.core.db import open_database as open_file

        office = open_file(tmp_path / "lai.db")
        try:
            again = create_backup(office, tmp_path / "bk2", actor="x", kind="manual")
        finally:
            office.close()
        seen.clear()
        verify_backup(again.path)
        assert "PRAGMA integrity_check" in seen, seen
    finally:
        db.close()
        drop(url)
