"""Issuing holds the write lock only for the writes: the PDF is rendered before it is taken (a slow render,
a long text, must not keep every other clerk and the command line waiting)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

import khoi_desktop.documents as documents
from khoi_desktop.__main__ import main
from signin_support import signed_in


def _lock_is_free(path: Path) -> bool:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()


def test_the_pdf_is_rendered_outside_the_write_lock(office: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    request = tmp_path / "r.json"
    request.write_text(json.dumps({"action": "transfer", "org": "CB0278", "to": "CS041"}), encoding="utf-8")
    assert main([*signed_in(office), "apply", str(office), str(request), "--json"]) == 0
    draft = json.loads(capsys.readouterr().out)["decision"]["id"]
    real = documents.render_pdf
    free: list[bool] = []

    def probing(content, info):  # type: ignore[no-untyped-def]
        free.append(_lock_is_free(office))
        return real(content, info)

    monkeypatch.setattr(documents, "render_pdf", probing)
    assert main([*signed_in(office), "issue", str(office), str(draft), "--json"]) == 0, capsys.readouterr()
    assert free == [True]
    conn = sqlite3.connect(office)
    pdf, sha, number = conn.execute("SELECT pdf, pdf_sha256, number FROM decisions WHERE id = ?", (draft,)).fetchone()
    conn.close()
    assert hashlib.sha256(pdf).hexdigest() == sha and number is not None
    assert len(pdf) > 1000


TABLES = ("decisions", "organizations", "placements", "memberships", "committee_seats", "audit_entries")


def _state(path: Path) -> dict[str, object]:
    """What a refused issue must leave as it was: every row count, the last number and the newest audit entry."""
    conn = sqlite3.connect(path)
    try:
        state: dict[str, object] = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        state["last_number"] = conn.execute("SELECT max(number) FROM decisions").fetchone()[0]
        state["last_audit"] = conn.execute("SELECT max(id) FROM audit_entries").fetchone()[0]
        return state
    finally:
        conn.close()


def _issued(path: Path, decision_id: int) -> tuple[bytes, str, int]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT pdf, pdf_sha256, number FROM decisions WHERE id = ?", (decision_id,)).fetchone()
    finally:
        conn.close()


def _request(tmp_path: Path, name: str, data: dict[str, object]) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


TRANSFER = {"action": "transfer", "org": "CB0278", "to": "CS041"}
FOUND = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ In thử", "parent": None,
         "members": ["DV003830", "DV003839", "DV003842"], "consent_reason": "Cấp trên đồng ý"}


def test_apply_issue_renders_the_pdf_outside_the_write_lock(office: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    real = documents.render_pdf
    free: list[bool] = []

    def probing(content, info):  # type: ignore[no-untyped-def]
        free.append(_lock_is_free(office))
        return real(content, info)

    monkeypatch.setattr(documents, "render_pdf", probing)
    request = _request(tmp_path, "r", TRANSFER)
    assert main([*signed_in(office), "apply", str(office), str(request), "--issue", "--json"]) == 0
    decision = json.loads(capsys.readouterr().out)["decision"]
    assert free == [True]  # rendered once, ahead; the transaction stored that very PDF
    pdf, sha, number = _issued(office, decision["id"])
    assert hashlib.sha256(pdf).hexdigest() == sha and number == decision["number"] is not None
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_a_pdf_that_cannot_be_made_issues_nothing(office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A renderer fault (here before the lock) refuses the issue in Vietnamese: no decision, no draft, no
    number used, nothing moved; the same request issued again takes the number it would have had."""
    real = documents.render_pdf
    request = _request(tmp_path, "r", FOUND)
    before = _state(office)

    wanted: list[int] = []

    def broken(content, info):  # type: ignore[no-untyped-def]
        wanted.append(info.number)
        raise RuntimeError("font file vanished")

    monkeypatch.setattr(documents, "render_pdf", broken)
    assert main([*signed_in(office), "apply", str(office), str(request), "--issue", "--json"]) == 2
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [e["code"] for e in errors] == ["pdf_not_rendered"]
    assert "chưa được ban hành và không có gì bị thay đổi" in errors[0]["message"]
    assert _state(office) == before
    monkeypatch.setattr(documents, "render_pdf", real)
    assert main([*signed_in(office), "apply", str(office), str(request), "--issue", "--json"]) == 0
    decision = json.loads(capsys.readouterr().out)["decision"]
    assert wanted and decision["number"] == wanted[0]  # the refused issue used no number
    pdf, sha, _ = _issued(office, decision["id"])
    assert hashlib.sha256(pdf).hexdigest() == sha


def test_a_number_taken_meanwhile_is_printed_again_inside_and_a_fault_there_rolls_back(
        office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Between the PDF made ahead and the write, another clerk issues and takes the number: the transaction
    prints again with the next number (never a PDF with a wrong number). If that fails, everything of this
    request is rolled back, draft included, and the other clerk's decision stays."""
    real = documents.render_pdf
    other = _request(tmp_path, "other", TRANSFER)
    printed: list[int | None] = []

    def meanwhile(content, info):  # type: ignore[no-untyped-def]
        printed.append(info.number)
        if len(printed) == 1:  # ours, ahead of the lock: the other clerk issues now (rendering once, ahead)
            assert main([*signed_in(office), "apply", str(office), str(other), "--issue", "--json"]) == 0
        return real(content, info)

    monkeypatch.setattr(documents, "render_pdf", meanwhile)
    ours_request = _request(tmp_path, "r", FOUND)
    assert main([*signed_in(office), "apply", str(office), str(ours_request), "--issue", "--json"]) == 0
    ours, theirs = (json.loads(line)["decision"] for line in reversed(capsys.readouterr().out.splitlines()))
    assert theirs["number"] == printed[0] and ours["number"] == printed[0] + 1 and printed[2] == ours["number"]
    for decision in (ours, theirs):
        pdf, sha, _ = _issued(office, decision["id"])
        assert hashlib.sha256(pdf).hexdigest() == sha

    # The same race, but printing inside fails: nothing of this request is kept.
    printed.clear()
    before_other = _state(office)

    def meanwhile_then_broken(content, info):  # type: ignore[no-untyped-def]
        printed.append(info.number)
        if len(printed) == 1:
            back = _request(tmp_path, "back", {**TRANSFER, "to": "CS040"})
            assert main([*signed_in(office), "apply", str(office), str(back), "--issue", "--json"]) == 0
        if len(printed) == 3:
            raise RuntimeError("out of memory while drawing")
        return real(content, info)

    monkeypatch.setattr(documents, "render_pdf", meanwhile_then_broken)
    found_again = _request(tmp_path, "r2", {**FOUND, "name": "Chi bộ In thử hai",
                                                     "members": ["DV003831", "DV003832", "DV003833"]})
    assert main([*signed_in(office), "apply", str(office), str(found_again), "--issue", "--json"]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert json.loads(lines[-1])["errors"][0]["code"] == "pdf_not_rendered"
    after = _state(office)
    assert after["decisions"] == before_other["decisions"] + 1  # only the other clerk's decision
    assert after["organizations"] == before_other["organizations"]  # the chi bộ was not founded
