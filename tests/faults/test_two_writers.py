"""Two processes writing one database file: the second waits its turn or is refused clearly; nothing is lost."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fault_checks import file_digest, problems

from khoi_desktop.__main__ import main
from khoi_desktop.core.engines import sqlite as sqlite_engine
from signin_support import signed_in


def _issued(path: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT number, code FROM decisions WHERE status = 'issued' ORDER BY number").fetchall()
    finally:
        conn.close()


def _transfer_requests(path: Path, folder: Path, count: int) -> list[Path]:
    """Transfers of different chi bộ trực thuộc to another đảng bộ cơ sở: each valid whatever the order."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT o.code, p.parent_id FROM organizations o JOIN placements p ON p.org_id = o.id "
            "JOIN organizations parent ON parent.id = p.parent_id WHERE o.kind = 'chi_bo_truc_thuoc' "
            "AND p.valid_to IS NULL AND parent.kind = 'dang_bo_co_so' AND o.ended_on IS NULL "
            "ORDER BY o.code LIMIT ?", (count,)).fetchall()
        dang_bo = [r[0] for r in conn.execute("SELECT id, code FROM organizations WHERE kind = 'dang_bo_co_so' "
                                              "AND ended_on IS NULL ORDER BY code")]
        codes = dict(conn.execute("SELECT id, code FROM organizations"))
    finally:
        conn.close()
    requests = []
    for i, (code, parent) in enumerate(rows):
        target = next(d for d in dang_bo if d != parent)
        request = folder / f"transfer-{i}.json"
        request.write_text(json.dumps({"action": "transfer", "org": code, "to": codes[target]}), encoding="utf-8")
        requests.append(request)
    return requests


def test_two_workers_issuing_at_once_lose_nothing(zygote, office: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = zygote.start(office, seed=11, count=4), zygote.start(office, seed=12, count=4)
    outcomes = [zygote.wait(first), zygote.wait(second)]
    reported = []
    for status, lines in outcomes:
        assert status == 0, lines
        assert not [line for line in lines if not line.startswith(("issued", "refused"))], lines
        reported += [line.split()[1] for line in lines if line.startswith("issued")]
    issued = _issued(office)
    assert sorted(reported) == sorted(code for _, code in issued)  # every confirmed decision is there, once
    assert len(reported) >= 6
    assert problems(office) == []  # numbers 1..n without gaps or repeats


def test_two_cli_processes_apply_and_issue_at_once(office: Path, tmp_path: Path) -> None:
    requests = _transfer_requests(office, tmp_path, 2)
    procs = [subprocess.Popen([sys.executable, "-m", "khoi_desktop", *signed_in(office), "apply", str(office), str(r),
                               "--issue", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for r in requests]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    for code, out, err in results:
        assert code == 0, (code, out, err)
        assert "Traceback" not in out + err
    numbers = sorted(json.loads(out)["decision"]["number"] for _, out, _ in results)
    assert numbers == [1, 2]
    assert [n for n, _ in _issued(office)] == [1, 2]
    assert problems(office) == []


def test_a_writer_kept_waiting_too_long_is_refused_clearly(office: Path, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    (request,) = _transfer_requests(office, tmp_path, 1)
    before = file_digest(office)
    monkeypatch.setattr(sqlite_engine, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(office, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        capsys.readouterr()
        assert main([*signed_in(office), "apply", str(office), str(request), "--issue"]) == 2
        err = capsys.readouterr().err
        assert "đang bận" in err and "Không có gì bị thay đổi" in err
        assert "Traceback" not in err
        assert main([*signed_in(office), "apply", str(office), str(request), "--issue", "--json"]) == 2
        answer = json.loads(capsys.readouterr().out)
        assert answer["ok"] is False and answer["errors"][0]["code"] == "busy"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert file_digest(office) == before
    # once free, the same request goes through
    assert main([*signed_in(office), "apply", str(office), str(request), "--issue"]) == 0
