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
