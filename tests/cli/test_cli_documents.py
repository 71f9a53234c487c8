"""`pdf` and `decisions` commands (shared CLI.md): stored bytes reprinted, JSON keys, Vietnamese refusals."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

import khoi_desktop.core.workflows  # noqa: F401  (registers its effects before the no-op one below)
from khoi_desktop.__main__ import main
from khoi_desktop.core import decisions
from khoi_desktop.core.db import open_database
from khoi_desktop.core.models import Decision, Term
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.documents.sample import sample_content

DECISION_KEYS = {"id", "code", "number", "status", "type", "subject", "issued_on", "issuer", "recorded", "action",
                 "effective"}


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two terms; decision 1 issued on 2020-03-05 (01-QĐ/ĐUK), decision 2 still a draft."""
    path = tmp_path / "văn phòng.db"
    db = open_database(path, create=True)
    with db.writing() as session:
        session.add(Term(name="2020-2025", starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2024, 12, 31)))
        today = dt.date.today()
        session.add(Term(name=f"{today.year}-{today.year + 5}", starts_on=dt.date(today.year, 1, 1),
                         ends_on=dt.date(today.year + 4, 12, 31)))
        session.flush()
        for subject in ("về việc chia tách Chi bộ Sở Tài chính", "về việc chia tách Chi bộ Sở Xây dựng"):
            decisions.create_draft(session, action="split", content=sample_content(subject=subject),
                                   request_json=None, effective_on=None, actor="test")
        decisions.issue(session, session.get(Decision, 1), on=dt.date(2020, 3, 5), actor="test", render=render_pdf,
                        effect=None)
    db.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def stored(path: Path, decision_id: int) -> Decision:
    db = open_database(path)
    try:
        with db.reading() as session:
            decision = session.get(Decision, decision_id)
            session.expunge(decision)
            return decision
    finally:
        db.close()


def test_pdf_reprints_the_stored_bytes(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    issued = stored(office, 1)
    assert issued.pdf and hashlib.sha256(issued.pdf).hexdigest() == issued.pdf_sha256
    for ref in ("01-QĐ/ĐUK", "1"):
        out_pdf = tmp_path / f"qđ {ref.replace('/', '-')}.pdf"
        code, out, err = run(capsys, "pdf", office, ref, "-o", out_pdf)
        assert (code, err) == (0, "")
        assert "Quyết định số 01-QĐ/ĐUK" in out
        assert out_pdf.read_bytes() == issued.pdf
    # Hướng dẫn 36-HD/VPTW numbers from «01»: the code, the printed page and the list all say «01».
    first_page = PdfReader(io.BytesIO(issued.pdf)).pages[0].extract_text()
    assert issued.code == "01-QĐ/ĐUK" and "Số 01-QĐ/ĐUK" in " ".join(first_page.split())
    code, out, err = run(capsys, "decisions", office)
    assert (code, err) == (0, "") and "01-QĐ/ĐUK" in out


@pytest.mark.parametrize("ref", ["1-QD/DUK", "1-qđ/đuk", "Số 1-QĐ/ĐUK", " so 1-QD / DUK ", "1-QĐ/ĐUK", "01-QĐ/ĐUK",
                                 "Số 01-QĐ/ĐUK", "01-QD/DUK"])
def test_a_code_typed_without_accents_or_as_printed_finds_the_decision(capsys: pytest.CaptureFixture[str],
                                                                       office: Path, tmp_path: Path,
                                                                       ref: str) -> None:
    """A console or a scheduled task's script often has no Vietnamese keyboard: «12-QD/DUK» is 12-QĐ/ĐUK."""
    code, out, err = run(capsys, "pdf", office, ref, "-o", tmp_path / "qd.pdf")
    assert (code, err) == (0, "")
    assert (tmp_path / "qd.pdf").read_bytes() == stored(office, 1).pdf


def test_pdf_and_docx_json(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    out_pdf, out_docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    code, out, err = run(capsys, "pdf", office, "2", "-o", out_pdf, "--docx", out_docx, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["ok"] is True and data["pdf"] == str(out_pdf) and data["docx"] == str(out_docx)
    assert data["decision"]["status"] == "draft" and data["decision"]["code"] is None
    assert out_pdf.read_bytes().startswith(b"%PDF")
    texts = [p.text for p in Document(io.BytesIO(out_docx.read_bytes())).paragraphs]
    assert "về việc chia tách Chi bộ Sở Xây dựng" in texts


def test_issue_from_the_cli_stores_the_pdf(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(capsys, "issue", office, "2")
    assert code == 0, (out, err)
    issued = stored(office, 2)
    assert issued.code == "01-QĐ/ĐUK" and issued.pdf is not None  # first of the new term
    out_pdf = tmp_path / "b.pdf"
    assert run(capsys, "pdf", office, "2", "-o", out_pdf)[0] == 0
    assert out_pdf.read_bytes() == issued.pdf


def decisions_json(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "decisions", *argv, "--json")
    assert (code, err) == (0, ""), out
    return json.loads(out)["decisions"]


def test_decisions_json(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    rows = decisions_json(capsys, office)
    assert [set(r) for r in rows] == [DECISION_KEYS, DECISION_KEYS]
    assert rows[0] == {"id": 1, "code": "01-QĐ/ĐUK", "number": 1, "status": "issued", "type": "QĐ",
                       "subject": "về việc chia tách Chi bộ Sở Tài chính", "issued_on": "2020-03-05",
                       "issuer": None, "recorded": False, "action": "split", "effective": "2020-03-05"}
    assert rows[1]["status"] == "draft" and rows[1]["issued_on"] is None and rows[1]["code"] is None
    assert [r["id"] for r in decisions_json(capsys, office, "--term", "2020-2025")] == [1]
    # As the documents print it («nhiệm kỳ 2020 - 2025»), or with an en dash: the same term, not «no such term».
    for typed in ("2020 - 2025", "2020–2025", " 2020 – 2025 "):
        assert [r["id"] for r in decisions_json(capsys, office, "--term", typed)] == [1]
    code, out, _ = run(capsys, "decisions", office)
    assert code == 0 and "01-QĐ/ĐUK" in out and "Tổng số: 2 quyết định." in out


@pytest.mark.parametrize("argv, error", [(["--term", "2020-2026"], "term_not_found"),
                                         (["--term", "2020"], "term_not_found"),
                                         (["--issuer", "CS404"], "org_not_found")])
def test_decisions_of_an_unknown_term_or_issuer_are_refused_not_empty(
        capsys: pytest.CaptureFixture[str], office: Path, argv: list[str], error: str) -> None:
    code, out, _ = run(capsys, "decisions", office, *argv, "--json")
    data = json.loads(out)
    assert code == 2 and data["ok"] is False and data["errors"][0]["code"] == error
    assert argv[1] in data["errors"][0]["message"]


@pytest.mark.parametrize("argv, fragment", [
    (["99", "-o", "x.pdf"], "Không có quyết định «99»"),
    (["07-QĐ/ĐUK", "-o", "x.pdf"], "Không có quyết định «07-QĐ/ĐUK»"),
    (["1"], "Cần chỉ tệp kết quả"),
    (["1", "-o", "no-such-folder/x/x.pdf"], "Không có thư mục"),  # a missing folder's folder: nothing made
    (["1", "-o", "qd1.txt"], "Tệp PDF «qd1.txt» phải có đuôi .pdf, ví dụ qd1.pdf. Chưa ghi gì."),
    (["1", "-o", "qd1"], "Tệp PDF «qd1» phải có đuôi .pdf, ví dụ qd1.pdf."),
    (["1", "--docx", "qd1.doc"], "Tệp Word «qd1.doc» phải có đuôi .docx, ví dụ qd1.docx."),
])
def test_refusals_exit_2(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path, argv: list[str],
                         fragment: str) -> None:
    argv = [str(tmp_path / a) if "." in a or a.startswith("qd") else a for a in argv]
    code, out, err = run(capsys, "pdf", office, *argv)
    assert code == 2 and out == "" and fragment in err
    assert "Errno" not in err and "directory" not in err and "denied" not in err
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("văn phòng.db")] == []
    code, out, _ = run(capsys, "pdf", office, *argv, "--json")
    data = json.loads(out)
    assert code == 2 and data["ok"] is False and fragment in data["errors"][0]["message"]


def test_a_missing_folder_is_made_inside_one_that_exists_as_export_does(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    """`pdf -o D:\\QuyetDinh\\2026\\qd.pdf` with a new year's folder was refused while `export -o` and `restore --to`
    make that folder (only inside one that exists) and say so; a refusal leaves no empty folder behind."""
    new = tmp_path / "quyết định 2026"
    code, out, _ = run(capsys, "pdf", office, "99", "-o", new / "qd.pdf", "--json")
    assert code == 2 and json.loads(out)["errors"][0]["code"] == "decision_not_found" and not new.exists()
    code, out, err = run(capsys, "pdf", office, "1", "-o", new / "qd.pdf", "--docx", new / "qd.docx", "--json")
    data = json.loads(out)
    assert code == 0 and data["created_folder"] == str(new) and err == "", (out, err)
    assert (new / "qd.pdf").read_bytes() == stored(office, 1).pdf and (new / "qd.docx").exists()
    code, out, err = run(capsys, "pdf", office, "1", "-o", tmp_path / "khác" / "qd.pdf")
    assert code == 0 and f"Đã tạo thư mục mới {tmp_path / 'khác'} (trước đó chưa có)" in err, err
    code, out, _ = run(capsys, "pdf", office, "1", "-o", new / "qd2.pdf", "--json")
    assert code == 0 and json.loads(out)["created_folder"] is None


def test_a_folder_or_a_read_only_place_is_refused_in_vietnamese(
        capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "qd1.pdf"
    folder.mkdir()
    code, _, err = run(capsys, "pdf", office, "1", "-o", folder)
    assert code == 2 and f"{folder} là một thư mục: hãy ghi cả tên tệp, ví dụ {folder / 'tep.pdf'}." in err, err
    assert [p.name for p in folder.iterdir()] == []

    def read_only(self: Path, data: bytes) -> int:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "write_bytes", read_only)
    code, _, err = run(capsys, "pdf", office, "1", "-o", tmp_path / "qd.pdf", "--json")
    assert code == 2 and "ổ đĩa chỉ cho đọc" in err + _ and "Read-only" not in err + _


def test_tampered_pdf_is_refused(capsys: pytest.CaptureFixture[str], office: Path, tmp_path: Path) -> None:
    db = open_database(office)
    with db.writing() as session:
        decision = session.get(Decision, 1)
        decision.pdf = decision.pdf + b"\n% edited"
    db.close()
    code, _, err = run(capsys, "pdf", office, "1", "-o", tmp_path / "c.pdf")
    assert code == 2 and "SHA-256" in err
    assert not (tmp_path / "c.pdf").exists()


def test_missing_database_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "decisions", tmp_path / "none.db")
    assert code == 2 and "Không tìm thấy tệp cơ sở dữ liệu" in err
