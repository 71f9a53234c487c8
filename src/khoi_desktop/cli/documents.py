"""Document commands (shared CLI.md): `pdf FILE DECISION -o OUT.pdf [--docx OUT.docx]`, `decisions FILE`."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import (
    Output,
    database_arg,
    new_folder_for,
    open_existing,
    say_new_folder,
    use_stored_codes,
)
from khoi_desktop.core.actions import DOCUMENT_LABELS
from khoi_desktop.core.errors import FileUnwritable, ValidationError
from khoi_desktop.core.text import show_date


def check_output(path: Path | None, suffix: str, what: str) -> None:
    """An output file named on the command line, checked before anything is done: its ending (written as named,
    «-o qd12» or «-o qd12.doc» got bytes that nothing opens by a double-click), its folder, not a folder. A missing
    folder is made when the file is written, as `export -o` does, but only inside one that exists (no_directory)."""
    if path is None:
        return
    if path.suffix.lower() != suffix:
        raise ValidationError(f"Tệp {what} «{path.name}» phải có đuôi {suffix}, ví dụ "
                              f"{path.with_suffix(suffix).name}. Chưa ghi gì.", code=f"not_{suffix[1:]}")
    if path.is_dir():
        raise ValidationError(f"{path} là một thư mục: hãy ghi cả tên tệp, ví dụ {path / ('tep' + suffix)}. "
                              "Chưa ghi gì.", code="is_directory")
    new_folder_for(path, f"tệp {what}")


def write_output(path: Path, data: bytes, *, json_output: bool = False) -> Path | None:
    """Writes the file whole (a temporary file renamed); returns the folder it made for it (said on stderr), if any."""
    new_folder = new_folder_for(path, "tệp")
    if new_folder is not None:
        try:
            new_folder.mkdir()
        except OSError as exc:
            raise FileUnwritable(path, exc) from None
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        if new_folder is not None and not any(new_folder.iterdir()):
            new_folder.rmdir()
        raise FileUnwritable(path, exc) from None
    if new_folder is not None:
        say_new_folder(new_folder, f"tệp {path.name}", json_output=json_output)
    return new_folder


def cmd_pdf(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.decisions import find_decision
    from khoi_desktop.documents.copies import decision_docx, decision_pdf

    if args.output is None and args.docx is None:
        raise ValidationError("Cần chỉ tệp kết quả: -o TỆP.pdf và/hoặc --docx TỆP.docx.", code="no_output")
    check_output(args.output, ".pdf", "PDF")
    check_output(args.docx, ".docx", "Word")
    with open_existing(args.file).reading() as session:
        decision = find_decision(session, args.decision)
        pdf = decision_pdf(session, decision) if args.output else None
        docx = decision_docx(session, decision) if args.docx else None
        # A giấy giới thiệu sinh hoạt đảng is in the same register: it was called «Quyết định số 01-GTSH/ĐUK».
        document = DOCUMENT_LABELS.get(decision.action, "Quyết định")
        name = (f"{document} số {decision.code}" if decision.code
                else f"Dự thảo {document[:1].lower() + document[1:]} {decision.id}")
        info: dict[str, Any] = {"id": decision.id, "code": decision.code, "number": decision.number,
                                "status": decision.status.value, "type": decision.doc_type,
                                "subject": decision.subject}
    written = []
    data: dict[str, Any] = {"ok": True, "decision": info, "created_folder": None}
    for key, path, content in (("pdf", args.output, pdf), ("docx", args.docx, docx)):
        if content is not None:
            made = write_output(path, content, json_output=args.json)
            data["created_folder"] = data["created_folder"] or (str(made) if made else None)
            data[key] = str(path)
            written.append(str(path))
    return Output(data, f"Đã ghi {name} ({info['subject']}) ra {', '.join(written)}.")


def cmd_decisions(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.decisions import list_decisions

    with open_existing(args.file).reading() as session:
        use_stored_codes(session, args)
        rows = list_decisions(session, term=args.term, issuer=args.issuer)
    data = [{"id": r.id, "code": r.code, "number": r.number, "status": r.status, "type": r.type,
             "subject": r.subject, "issued_on": r.issued_on.isoformat() if r.issued_on else None,
             "issuer": r.issuer, "recorded": r.recorded, "action": r.action,
             "effective": r.effective.isoformat() if r.effective else None} for r in rows]
    lines = [f"{r.code or f'(dự thảo {r.id})'}  {show_date(r.issued_on)}  {r.subject}" for r in rows]
    lines.append(f"Tổng số: {len(rows)} quyết định.")
    return Output({"decisions": data}, "\n".join(lines))


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    pdf = commands.add_parser("pdf", parents=[common], help="in quyết định ra tệp PDF (và/hoặc Word)")
    pdf.add_argument("file", type=database_arg)
    pdf.add_argument("decision", help="số thứ tự (id) hoặc số ký hiệu, ví dụ 12-QĐ/ĐUK")
    pdf.add_argument("-o", "--output", type=Path, help="tệp PDF kết quả")
    pdf.add_argument("--docx", type=Path, help="tệp Word (.docx) kết quả, để sửa lời văn")
    listing = commands.add_parser("decisions", parents=[common], help="danh sách quyết định")
    listing.add_argument("file", type=database_arg)
    listing.add_argument("--term", help="nhiệm kỳ, ví dụ 2020-2025")
    listing.add_argument("--issuer", help="chỉ quyết định của đảng ủy cơ sở có mã này (ví dụ CS001)")
    return {"pdf": cmd_pdf, "decisions": cmd_decisions}
