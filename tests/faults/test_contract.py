"""The command-line contract under breach: exit 2 with one clear Vietnamese line (or the JSON error), never
exit 1 with raw English, for malformed requests, wrong files, a full disk, a damaged page, two processes
migrating one file."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from khoi_desktop.__main__ import main
from schema_support import back_to_before_0006
from signin_support import sign_in_for, signed_in


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([*sign_in_for(argv), *map(str, argv)])  # the demo office's administrator
    out, err = capsys.readouterr()
    return code, out, err


def _refused(code: int, out: str, err: str) -> str:
    assert code == 2, (code, out[-400:], err[-400:])
    assert "Traceback" not in out + err and "Lỗi không mong đợi" not in out + err
    return out + err


@pytest.mark.parametrize("text", [
    "[" * 200_000 + "]" * 200_000,
    json.dumps({"action": ["found"]}),
    '{"action": "appoint", "committee_size": ' + "7" * 5000 + "}",
    '{"action": "approve_election", "org": "CS030", "term": "2025-2030", "committee_size": ' + "9" * 4000 + "}",
    '{"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ \\ud800", "\\udc00": 1}',
    '{"action": "\\ud800"}',
])
def test_malformed_requests_are_refused(office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        text: str) -> None:
    request = tmp_path / "r.json"
    request.write_text(text, encoding="utf-8", errors="surrogatepass")
    for argv in (["apply", office, request], ["apply", office, request, "--json"]):
        code, out, err = run(capsys, *argv)
        _refused(code, out, err)
        (out + err).encode("utf-8")  # printable: no lone surrogate reached the terminal


@pytest.mark.parametrize("effective", ["9999-12-31", "20261231", "2026-W53-1", "2026-6-1"])
def test_only_plain_dates_within_a_year_are_accepted(office: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str], effective: str) -> None:
    request = tmp_path / "r.json"
    request.write_text(json.dumps({"action": "transfer", "org": "CB0278", "to": "CS041", "effective": effective}),
                       encoding="utf-8")
    text = _refused(*run(capsys, "apply", office, request, "--json"))
    assert "ngày" in text.lower()
    _refused(*run(capsys, "stats", office, "--as-of", effective.replace("9999-12-31", "2026-W53-1")))


def test_an_empty_file_is_not_taken_for_a_new_office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    text = _refused(*run(capsys, "stats", empty))
    assert "0 byte" in text
    assert empty.stat().st_size == 0


def test_a_damaged_page_is_reported_as_damage(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(office)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'members'").fetchone()[0]
    conn.close()
    data = bytearray(office.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = b"\xa5" * page_size
    office.write_bytes(bytes(data))
    text = _refused(*run(capsys, "members", office))
    assert "hỏng" in text and "sao lưu" in text


def test_a_full_disk_while_issuing_is_a_refusal_and_changes_nothing(office: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """The disk fills: SQLite cannot grow the file (max_page_count pinned to its size)."""
    def pin(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    request = tmp_path / "r.json"
    # A chi bộ cơ sở: this office's decision, numbered and printed (issue 13).
    request.write_text(json.dumps({"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Đầy đĩa",
                                   "parent": None, "members": ["DV003830", "DV003839", "DV003842"],
                                   "consent_reason": "Cấp trên đồng ý",
                                   "basis": "Xét " + "đề nghị " * 400}), encoding="utf-8")
    before = sqlite3.connect(office).execute("SELECT count(*) FROM decisions").fetchone()[0]
    event.listen(Engine, "connect", pin)
    try:
        text = _refused(*run(capsys, "apply", office, request, "--issue"))
    finally:
        event.remove(Engine, "connect", pin)
    assert "đầy" in text
    assert sqlite3.connect(office).execute("SELECT count(*) FROM decisions").fetchone()[0] == before


def test_a_full_disk_while_restoring_keeps_the_current_data(office: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    code, out, err = run(capsys, "backup", office, "--to", tmp_path / "bk", "--json")
    assert code == 0, out + err
    backup = Path(json.loads(out)["path"])
    target = tmp_path / "current.db"
    target.write_bytes(office.read_bytes())
    before = target.read_bytes()

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    text = _refused(*run(capsys, "restore", backup, "--to", target))
    monkeypatch.undo()
    assert "đầy" in text
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("current")) == ["current.db"]


def test_two_processes_opening_an_old_file_both_succeed(office: Path, tmp_path: Path) -> None:
    """Both see an old schema and start migrating; the second waits for the first instead of failing."""
    back_to_before_0006(office)
    conn = sqlite3.connect(office)
    holder = sqlite3.connect(office, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # both processes get past the revision check, then queue
    conn.close()
    command = [sys.executable, "-m", "khoi_desktop", *signed_in(office), "members", str(office), "--json"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    time.sleep(2.5)
    holder.execute("ROLLBACK")
    holder.close()
    results = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err[-600:]
        assert json.loads(out)["members"]
