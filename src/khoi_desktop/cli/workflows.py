"""Command line of the decision workflows: `apply` a JSON request, `issue` a draft."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import Output, database_arg, open_existing
from khoi_desktop.core.auth.permissions import Permission
from khoi_desktop.core.errors import RequestRefused, ValidationError, refuse_folder
from khoi_desktop.core.text import decode_text_file, fold

if TYPE_CHECKING:
    from khoi_desktop.core.models import Decision
    from khoi_desktop.core.requests import Request


def decision_json(decision: Decision) -> dict[str, Any]:
    from khoi_desktop.core.decisions import effect_day

    effective = effect_day(decision)
    return {"id": decision.id, "code": decision.code, "number": decision.number, "status": decision.status.value,
            "type": decision.doc_type, "subject": decision.subject,
            "issued_on": decision.issued_on.isoformat() if decision.issued_on else None,
            "issuer": decision.issuer.code if decision.issuer is not None else None,
            "recorded": bool(decision.recorded), "action": decision.action,
            "effective": effective.isoformat() if effective else None}


def _describe(decision: Decision) -> str:
    from khoi_desktop.core.authority import committee_name

    body = committee_name(decision.issuer.name) if decision.issuer is not None else None
    if decision.code and decision.recorded:
        return f"Đã ghi nhận Quyết định số {decision.code} của {body} {decision.subject}."
    if decision.code:
        return f"Đã ban hành Quyết định số {decision.code} {decision.subject}."
    whose = f" của {body}" if body else ""
    # The draft's id is not a decision number ("số" is given at issue): say so, and how to name it to `issue`, `pdf`.
    return (f"Đã lập dự thảo quyết định{whose} {decision.subject}: mã dự thảo {decision.id}, chưa có số, "
            "chưa ban hành.")


def _shown(file: object) -> str:
    return f'"{file}"' if " " in str(file) else str(file)


def _next_step(decision: Decision, file: object) -> str:
    """What to type next: the decision is kept in the office file, its document printed by `pdf` (the
    clerk was told a number, not where the document is)."""
    shown = _shown(file)
    if decision.code:
        name = "-".join(re.findall(r"[0-9a-z]+", fold(decision.code))) or "quyet-dinh"
        return f"In văn bản: khoi-desktop pdf {shown} {decision.code} -o {name}.pdf"
    return (f"Xem bản dự thảo: khoi-desktop pdf {shown} {decision.id} -o du-thao-{decision.id}.pdf; "
            f"ban hành: khoi-desktop issue {shown} {decision.id}")


def _resolve_scan(request: Request, folder: Path) -> None:
    """A scan named relative to the request file is read from beside it."""
    if request.recorded is not None and request.recorded.scan:
        scan = Path(request.recorded.scan)
        request.recorded.scan = str(scan if scan.is_absolute() else (folder / scan).resolve())


def _request_text(path: Path) -> str:
    # The system's own words for these are English ("[Errno 2] …", "'utf-8' codec can't decode …").
    try:
        return decode_text_file(path.read_bytes())  # Notepad's BOM, or its «Unicode» (UTF-16)
    except FileNotFoundError:
        problem = "không có tệp này"
    except IsADirectoryError:
        refuse_folder(path, "tệp yêu cầu (JSON)", "yeu-cau.json")
        problem = "đây là một thư mục, không phải tệp"
    except PermissionError:
        problem = "không có quyền đọc tệp"
    except UnicodeDecodeError:
        problem = "tệp không phải văn bản UTF-8 (hãy lưu lại tệp với bảng mã UTF-8)"
    except OSError:
        problem = "lỗi khi đọc tệp"
    raise ValidationError(f"Không đọc được tệp yêu cầu {path}: {problem}.", code="request_unreadable")


@contextmanager
def _in_request_words() -> Iterator[None]:
    """The core's refusals point a clerk to the wizard's boxes; on the command line they name the request's field."""
    try:
        yield
    except RequestRefused as exc:
        from khoi_desktop.core.appointments.eligibility import OVERRIDE_HINT
        from khoi_desktop.core.workflows.issuer import WrongIssuer
        from khoi_desktop.core.workflows.prepare import CONSENT_HINT

        fields = {CONSENT_HINT: ' Nếu cấp ủy cấp trên đồng ý, ghi lý do vào trường "consent_reason" của yêu cầu.',
                  OVERRIDE_HINT: ' Chỉ vượt khi thật cần thiết: ghi lý do vào trường "override_reason" của yêu cầu.'}

        # A WrongIssuer knows the code the request must name ("CS027", or None for this office).
        issuer = f' Trong yêu cầu: "issuer": {json.dumps(exc.required)}.' if isinstance(exc, WrongIssuer) else ""

        def reworded(code: str, message: str) -> str:
            for box, field in fields.items():
                message = message.replace(box, field)
            return message + issuer if code == "wrong_issuer" else message

        raise RequestRefused([(code, reworded(code, message)) for code, message in exc.problems]) from None


# What a draft for a đảng ủy cơ sở needs to be recorded (core.decisions.record_signed: «not_recorded» said only
# «with its number, signing day and signer», the window's words, not where the command line takes them).
_RECORDED = '"recorded": {"number": "05-QĐ/ĐU", "signed_on": "YYYY-MM-DD", "signer": "Họ tên người ký"}'


def _not_recorded(error: ValidationError, how: str) -> ValidationError:
    return ValidationError(f"{error.message} Trên dòng lệnh: {how}", code=error.code)


def cmd_apply(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.apply import apply_request, created_orgs
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.prerender import prerender_request
    from khoi_desktop.core.request_json import load_request
    from khoi_desktop.documents import render_pdf

    path: Path = args.request
    text = _request_text(path)
    request = load_request(text)
    _resolve_scan(request, path.parent)
    db = open_existing(args.file, Permission.DRAFT_ISSUE)
    today = dt.date.today()
    shown = _shown(args.file)
    pdf = None
    if args.issue:
        with db.reading() as session:  # the PDF is rendered before the write lock is taken
            pdf = prerender_request(session, request, today=today, render=render_pdf)
    try:
        with db.writing() as session, _in_request_words():
            decision, warnings = apply_request(session, request, actor=os_user(), issue=args.issue,
                                               today=today, render=pdf or render_pdf,
                                               discard_how=lambda draft: f"khoi-desktop discard {shown} {draft}")
            created = created_orgs(session) if args.issue else []
            data = {"ok": True, "decision": decision_json(decision), "warnings": warnings, "created": created}
            text = _describe(decision)
    except ValidationError as error:
        if error.code != "not_recorded":
            raise
        raise _not_recorded(error, f"thêm vào tệp yêu cầu {_RECORDED} rồi chạy lại với --issue; không có --issue "
                                   "thì chỉ lập dự thảo để gửi cấp ủy đó. Chưa có gì thay đổi.") from None
    lines = [text, *(f"Lưu ý: {w}" for w in warnings), _next_step(decision, args.file)]
    return Output(data, "\n".join(lines))


def cmd_issue(args: argparse.Namespace) -> Output:
    from khoi_desktop.core import decisions
    from khoi_desktop.core.apply import created_orgs, issue_draft
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.prerender import prerender_draft
    from khoi_desktop.documents import render_pdf

    db = open_existing(args.file, Permission.DRAFT_ISSUE)
    today = dt.date.today()
    try:
        with db.reading() as session:  # the PDF is rendered before the write lock is taken
            pdf = prerender_draft(session, args.decision, on=today, render=render_pdf)
        with db.writing() as session, _in_request_words():
            decision = decisions.find_decision(session, args.decision)
            issue_draft(session, decision, on=today, actor=os_user(), render=pdf)
            data = {"ok": True, "decision": decision_json(decision), "created": created_orgs(session)}
            text = f"{_describe(decision)}\n{_next_step(decision, args.file)}"
    except RequestRefused as refused:
        # The draft, checked again, no longer stands (the seat it ends was ended by another decision, a member
        # moved): it said why, not what to do with the draft.
        shown = f'"{args.file}"' if " " in str(args.file) else str(args.file)
        what_to_do = (f"Dự thảo {args.decision} không ban hành được với dữ liệu hôm nay: sửa tệp yêu cầu rồi lập lại "
                      f"(apply), hoặc hủy dự thảo: khoi-desktop discard {shown} {args.decision}")
        raise RequestRefused([*refused.problems, ("draft_outdated", what_to_do)]) from None
    except ValidationError as error:
        if error.code != "not_recorded":
            raise
        raise _not_recorded(error, f"thêm vào tệp yêu cầu của dự thảo {_RECORDED}, chạy lại «apply … --issue», rồi "
                                   f"hủy dự thảo này: khoi-desktop discard {_shown(args.file)} {args.decision}. "
                                   "Chưa có gì thay đổi.") from None
    return Output(data, text)


def cmd_discard(args: argparse.Namespace) -> Output:
    """A draft not to be issued (the duplicate `apply` warns about, one overtaken by events): the GUI's «Hủy dự
    thảo»; the command line could draft but never discard."""
    from khoi_desktop.core import decisions
    from khoi_desktop.core.audit import os_user

    db = open_existing(args.file, Permission.DRAFT_ISSUE)
    with db.writing() as session:
        decision = decisions.find_decision(session, args.decision)
        decisions.discard_draft(session, decision, actor=os_user())
        data = {"ok": True, "decision": decision_json(decision)}
    return Output(data, f"Đã hủy dự thảo quyết định {decision.id} {decision.subject} (không cấp số).")


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Any]:
    apply = commands.add_parser("apply", parents=[common], help="kiểm tra yêu cầu, lập dự thảo quyết định")
    apply.add_argument("file", type=database_arg)
    apply.add_argument("request", type=Path, help="tệp JSON của yêu cầu")
    apply.add_argument("--issue", action="store_true", help="ban hành ngay (cấp số, áp dụng thay đổi)")
    issue = commands.add_parser("issue", parents=[common], help="ban hành một dự thảo quyết định")
    issue.add_argument("file", type=database_arg)
    issue.add_argument("decision", help="số thứ tự dự thảo hoặc số hiệu, ví dụ 12-QĐ/ĐUK")
    discard = commands.add_parser("discard", parents=[common], help="hủy một dự thảo quyết định (không cấp số)")
    discard.add_argument("file", type=database_arg)
    discard.add_argument("decision", help="số thứ tự dự thảo (lệnh «decisions TỆP» liệt kê)")
    return {"apply": cmd_apply, "issue": cmd_issue, "discard": cmd_discard}
