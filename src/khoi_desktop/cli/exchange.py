"""Command line of the exchange with the grassroots organizations (README, "Trao đổi với tổ chức cơ sở"):
`exchange FILE enroll|init|export|import|items|review|status …`."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khoi_desktop.cli.common import Output, database_arg, file_only, open_existing, use_stored_codes
from khoi_desktop.core.errors import FileMissing, ValidationError, os_reason, refuse_folder

if TYPE_CHECKING:
    from khoi_desktop.core.exchange.receive import ItemView

# Only the parser is built at start-up: the handlers import core (SQLAlchemy, cryptography) themselves.


def _passphrase(path: Path | None, what: str) -> str:
    from khoi_desktop.cli.backup import read_passphrase

    passphrase = read_passphrase(path)
    if passphrase is None:
        raise ValidationError(f"{what} cần mật khẩu: ghi mật khẩu vào dòng đầu của một tệp rồi dùng "
                              "--passphrase-file TỆP.", code="passphrase_needed")
    return passphrase


def _key_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase of the grassroots body's private keys (read only where it is given: the office has none)."""
    from khoi_desktop.cli.backup import read_passphrase

    return read_passphrase(getattr(args, "key_passphrase_file", None))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileMissing(path) from None
    except OSError as exc:  # the system's words («Is a directory») are English
        refuse_folder(path, "tệp gói trao đổi", "goi.khoipkg")
        raise ValidationError(f"Không đọc được tệp {path}: {os_reason(exc)}.", code="file_unreadable") from None


def _write_new(path: Path, data: bytes, *, json_output: bool = False) -> None:
    """Written before the transaction commits: a package that cannot be saved leaves nothing recorded as sent. A
    missing folder is made inside one that exists, as `export -o` does (a new folder on the USB stick)."""
    from khoi_desktop.cli.documents import write_output

    write_output(path, data, json_output=json_output)


def cmd_enroll(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.exchange.enroll import enroll

    passphrase = _passphrase(args.passphrase_file, "Gói khởi tạo (chứa khóa riêng của tổ chức)")
    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            data, key = enroll(session, args.org, passphrase=passphrase, actor=os_user(), today=dt.date.today())
            _write_new(args.output, data, json_output=args.json)
    finally:
        db.close()
    return Output({"ok": True, "org": args.org, "path": str(args.output), "key": key},
                  f"Đã cấp gói khởi tạo cho {args.org} → {args.output}\nDấu vân tay khóa của {args.org}: {key}\n"
                  "Giao mật khẩu của gói riêng (không gửi cùng tệp).")


def cmd_init(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.db import new_database_file
    from khoi_desktop.core.exchange.starter import init_grassroots

    path = file_only(args.file, "Tạo cơ sở dữ liệu của tổ chức cơ sở từ gói khởi tạo (exchange … init)")
    if path.exists():
        raise ValidationError(f"Tệp {path} đã có: cơ sở dữ liệu của tổ chức cơ sở chỉ được tạo trong một tệp mới.",
                              code="file_exists")
    data = _read(args.starter)
    passphrase = _passphrase(args.passphrase_file, "Gói khởi tạo")
    key_passphrase = _passphrase(args.key_passphrase_file, "Khóa riêng của đơn vị (--key-passphrase-file)")
    with new_database_file(path) as db, db.writing() as session:
        started = init_grassroots(session, data, passphrase=passphrase, key_passphrase=key_passphrase,
                                  actor=os_user(), file_name=args.starter.name)
    return Output({"ok": True, "path": str(path), "org": started.code, "name": started.name,
                   "office": started.office, "office_key": started.office_key, "orgs": started.orgs,
                   "members": started.members},
                  f"Đã tạo cơ sở dữ liệu của {started.name} ({started.code}) tại {path}: {started.orgs} tổ chức, "
                  f"{started.members} đảng viên.\nDấu vân tay khóa của {started.office}: {started.office_key} — hãy "
                  "đối chiếu với Văn phòng qua điện thoại.")


def cmd_export(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.exchange.identity import grassroots_code

    documents = [(path.stem, _read(path)) for path in args.attach]
    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            here = grassroots_code(session)
            if here is not None:
                args.org = args.org or here  # one body here: --org is only checked when given
                if documents:
                    raise ValidationError("Chỉ Văn phòng gửi kèm văn bản xuống cơ sở.", code="grassroots_mode")
                from khoi_desktop.core.exchange.upward import export_up

                data, sequence = export_up(session, args.org, actor=os_user(), key_passphrase=_key_passphrase(args))
                kind = "báo cáo lên"
            else:
                from khoi_desktop.core.exchange.downward import export_down

                if not args.org:
                    raise _org_needed(session)
                data, sequence = export_down(session, args.org, actor=os_user(), today=dt.date.today(),
                                             documents=documents, returns=_returns(session, args.org))
                kind = "gửi xuống"
            _write_new(args.output, data, json_output=args.json)
    finally:
        db.close()
    return Output({"ok": True, "path": str(args.output), "sequence": sequence},
                  f"Đã xuất gói {kind} số {sequence} → {args.output}")


def _org_needed(session: Any) -> ValidationError:
    """At the office a downward package is for one body: which, and the bodies it can be."""
    from sqlalchemy import select

    from khoi_desktop.core.exchange.models import BODY, ExchangePeer

    codes = list(session.scalars(select(ExchangePeer.code).where(
        ExchangePeer.role == BODY, ExchangePeer.is_self.is_(False), ExchangePeer.revoked_at.is_(None))
        .order_by(ExchangePeer.code)))
    which = (f"các tổ chức đã được cấp gói khởi tạo: {', '.join(codes)}" if codes
             else "chưa tổ chức nào được cấp gói khởi tạo (exchange … enroll --org MÃ)")
    return ValidationError(f"Ở Văn phòng, gói gửi xuống dành cho một tổ chức cơ sở: hãy ghi --org MÃ ({which}). "
                           "Chưa xuất gì.", code="org_needed")


def _returns(session: Any, org: str) -> list[tuple[str, str, bytes]]:
    """This month's meeting return and this year's rating return of the body, as the menus would make them; a
    return the body cannot have (no chi bộ to report on) is left out rather than refusing the package."""
    import tempfile

    from khoi_desktop.core.errors import KhoiError
    from khoi_desktop.spreadsheets import meeting_template, rating_template

    today = dt.date.today()
    month = today.replace(day=1)
    wanted = [(f"Báo cáo sinh hoạt chi bộ tháng {month:%m/%Y}", f"sinh-hoat-{org}-{month:%Y-%m}.xlsx",
               lambda path: meeting_template.write_template(session, org, month, path)),
              (f"Báo cáo xếp loại chất lượng năm {today.year}", rating_template.template_name(org, today.year),
               lambda path: rating_template.write_template(session, org, today.year, path))]
    made = []
    with tempfile.TemporaryDirectory() as folder:
        for title, name, write in wanted:
            path = Path(folder) / name
            try:
                write(path)
            except KhoiError:
                continue
            made.append((title, name, path.read_bytes()))
    return made


def _item_lines(item: ItemView) -> list[str]:
    from khoi_desktop.core.exchange.receive import STATUS_LABELS

    p = item.preview
    lines = [f"[{item.id if item.id is not None else '-'}] {p.title} — {STATUS_LABELS[item.status]}"]
    lines += [f"    {line}" for line in p.changes]
    if p.conflict is not None:
        lines.append(f"    XUNG ĐỘT: {p.conflict['message']}")
        lines += [f"      {line}" for line in p.conflict.get("differences", [])]
    lines += [f"    Không chấp nhận được: {line}" for line in p.problems if p.conflict is None]
    if item.reason:
        lines.append(f"    Lý do: {item.reason}")
    return lines


def cmd_import(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.exchange.receive import import_package

    data = _read(args.package)
    db = open_existing(args.file)
    try:
        opener = db.reading if args.dry_run else db.writing
        with opener() as session:
            result = import_package(session, data, args.package.name, actor=os_user(), today=dt.date.today(),
                                    dry_run=args.dry_run, key_passphrase=_key_passphrase(args))
    finally:
        db.close()
    envelope = result.envelope
    head = (f"{'Kiểm tra' if args.dry_run else 'Đã nhập'} {envelope.label} (chữ ký và mã băm đúng): "
            f"{len(result.items)} mục" + (", chưa ghi gì." if args.dry_run else ", chờ xét duyệt."))
    lines = [head] + [line for item in result.items for line in _item_lines(item)]
    return Output({"ok": True, "dry_run": args.dry_run,
                   "package": {"id": envelope.package_id, "kind": envelope.kind, "sender": envelope.sender.code,
                               "sequence": envelope.sequence, "created_at": envelope.created_at.isoformat(),
                               "sha256": envelope.sha256},
                   "items": [item.to_json() for item in result.items]}, "\n".join(lines))


def cmd_items(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.exchange.review import pending_items

    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            items = pending_items(session, dt.date.today(), all_items=args.all)
    finally:
        db.close()
    lines = [line for item in items for line in _item_lines(item)] or ["Không có mục nào chờ xét."]
    return Output({"items": [item.to_json() for item in items]}, "\n".join(lines))


def cmd_review(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.exchange.review import review
    from khoi_desktop.documents import render_pdf

    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            item = review(session, args.item, args.verdict, reason=args.reason, actor=os_user(),
                          today=dt.date.today(), render=render_pdf)
    finally:
        db.close()
    done = "Đã chấp nhận" if args.verdict == "accept" else "Đã trả lại"
    extra = f" (quyết định {item.result})" if item.kind == "decision" and item.result else ""
    return Output({"ok": True, "item": item.to_json()}, f"{done} mục {item.id}: {item.preview.title}{extra}.")


def cmd_save(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.exchange.review import find_item, item_file, item_files

    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            item = find_item(session, args.item)
            listed = item_files(item)
            if args.number is None and len(listed) > 1:
                names = "; ".join(f"{n}. {name}" for n, (name, _) in enumerate(listed, start=1))
                raise ValidationError(f"Mục số {item.id} có {len(listed)} tệp kèm theo ({names}): chọn một tệp bằng "
                                      "--file SỐ.", code="several_files")
            _write_new(args.output, item_file(session, args.item, args.number or 1)[1], json_output=args.json)
            title = item.title
    finally:
        db.close()
    return Output({"ok": True, "item": args.item, "path": str(args.output)},
                  f"Đã lưu tệp của mục {args.item} ({title}) → {args.output}")


def _when(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "chưa có"
    return f"số {entry['sequence']} ngày {dt.datetime.fromisoformat(entry['at']):%d/%m/%Y}"


def cmd_status(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.exchange.status import exchange_status

    db = open_existing(args.file)
    try:
        with db.reading() as session:
            use_stored_codes(session, args)
            status = exchange_status(session, dt.date.today())
    finally:
        db.close()
    if status.mode == "none":
        text = "Cơ sở dữ liệu này chưa tham gia trao đổi với tổ chức cơ sở."
    else:
        lines = [f"{'Chế độ cơ sở' if status.mode == 'grassroots' else 'Văn phòng'}: dấu vân tay khóa {status.key}"]
        for peer in status.peers:
            lines.append(f"{peer.code or ''} {peer.name}: gửi gần nhất {_when(peer.last_sent)}; nhận gần nhất "
                         f"{_when(peer.last_received)}; {peer.pending} mục chờ xét"
                         + ("" if status.mode == "grassroots" or peer.reported_this_month
                            else "; CHƯA BÁO CÁO THÁNG NÀY"))
        if status.unsent is not None:
            lines.append(f"{status.unsent} mục chờ gửi lên.")
        text = "\n".join(lines)
    return Output(status.to_json(), text)


def cmd_protect_key(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.audit import os_user
    from khoi_desktop.core.exchange.key_lock import set_key_passphrase

    new = _passphrase(args.key_passphrase_file, "Khóa riêng của đơn vị (--key-passphrase-file)")
    from khoi_desktop.cli.backup import read_passphrase

    old = read_passphrase(args.old_key_passphrase_file)
    db = open_existing(args.file)
    try:
        with db.writing() as session:
            use_stored_codes(session, args)
            key = set_key_passphrase(session, new=new, old=old, actor=os_user())
    finally:
        db.close()
    return Output({"ok": True, "key": key}, f"Đã bảo vệ khóa riêng của đơn vị bằng mật khẩu mới (khóa {key}).")


HANDLERS: dict[str, Callable[[argparse.Namespace], Output]] = {
    "protect-key": cmd_protect_key,
    "enroll": cmd_enroll, "init": cmd_init, "export": cmd_export, "import": cmd_import, "items": cmd_items,
    "review": cmd_review, "status": cmd_status, "save": cmd_save}


def cmd_exchange(args: argparse.Namespace) -> Output:
    return HANDLERS[args.exchange_command](args)


def _item_id(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"số mục «{text}» không hợp lệ")
    return int(text)


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    exchange = commands.add_parser("exchange", help="trao đổi với tổ chức cơ sở qua tệp .khoipkg")
    exchange.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    actions = exchange.add_subparsers(dest="exchange_command", metavar="VIỆC", required=True,
                                      parser_class=type(exchange))
    en = actions.add_parser("enroll", parents=[common], help="cấp khóa và gói khởi tạo cho một tổ chức cơ sở")
    en.add_argument("--org", required=True, metavar="MÃ", help="mã đảng bộ cơ sở hoặc chi bộ cơ sở")
    en.add_argument("-o", "--output", type=Path, required=True, metavar="GÓI_KHỞI_TẠO.khoipkg")
    en.add_argument("--passphrase-file", type=Path, required=True, metavar="TỆP",
                    help="tệp chứa mật khẩu bảo vệ gói (dòng đầu)")
    it = actions.add_parser("init", parents=[common], help="tạo cơ sở dữ liệu của tổ chức cơ sở từ gói khởi tạo")
    it.add_argument("starter", type=Path, metavar="GÓI_KHỞI_TẠO.khoipkg", help="gói khởi tạo do Đảng ủy Khối cấp")
    it.add_argument("--passphrase-file", type=Path, required=True, metavar="TỆP",
                    help="tệp chứa mật khẩu của gói (dòng đầu)")
    key_help = "cơ sở: tệp chứa mật khẩu bảo vệ khóa riêng của đơn vị (dòng đầu)"
    it.add_argument("--key-passphrase-file", type=Path, required=True, metavar="TỆP",
                    help="tệp chứa mật khẩu mới bảo vệ khóa riêng của đơn vị (dòng đầu; khác mật khẩu của gói)")
    ex = actions.add_parser("export", parents=[common], help="xuất gói gửi đi (lên Văn phòng, hoặc xuống cơ sở)")
    ex.add_argument("--org", metavar="MÃ", help="Văn phòng: mã tổ chức cơ sở nhận gói (ở cơ sở: không cần, "
                                                "là chính đơn vị)")
    ex.add_argument("-o", "--output", type=Path, required=True, metavar="GÓI.khoipkg")
    ex.add_argument("--attach", type=Path, action="append", default=[], metavar="VĂN-BẢN.pdf",
                    help="Văn phòng: gửi kèm thông báo, hướng dẫn (PDF; dùng nhiều lần được)")
    ex.add_argument("--key-passphrase-file", type=Path, metavar="TỆP", help=key_help)
    im = actions.add_parser("import", parents=[common],
                            help="nhập một gói nhận được (kiểm tra chữ ký, mã băm, số thứ tự)")
    im.add_argument("package", type=Path, metavar="IN.khoipkg", help="gói .khoipkg nhận được")
    im.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và liệt kê, không ghi gì")
    im.add_argument("--key-passphrase-file", type=Path, metavar="TỆP", help=key_help)
    ls = actions.add_parser("items", parents=[common], help="các mục chờ xét, với thay đổi đề xuất")
    ls.add_argument("--all", action="store_true", help="cả các mục đã xét")
    rv = actions.add_parser("review", parents=[common], help="chấp nhận hoặc trả lại một mục")
    rv.add_argument("item", type=_item_id, metavar="MỤC", help="số mục (exchange items)")
    rv.add_argument("verdict", choices=("accept", "return"), metavar="accept|return",
                    help="accept: chấp nhận; return: trả lại")
    rv.add_argument("--reason", metavar="LÝ_DO",
                    help="lý do (bắt buộc khi trả lại, hoặc khi chấp nhận một mục xung đột)")
    sv = actions.add_parser("save", parents=[common], help="lưu tệp kèm theo của một mục (PDF, mẫu báo cáo) ra đĩa")
    sv.add_argument("item", type=_item_id, metavar="MỤC", help="số mục (exchange items)")
    sv.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP")
    sv.add_argument("--file", dest="number", type=_item_id, metavar="SỐ",
                    help="tệp thứ mấy, khi mục có nhiều tệp (tờ trình kèm hồ sơ)")
    actions.add_parser("status", parents=[common], help="tình hình trao đổi với từng tổ chức cơ sở")
    pk = actions.add_parser("protect-key", parents=[common],
                            help="cơ sở: đặt hoặc đổi mật khẩu bảo vệ khóa riêng của đơn vị")
    pk.add_argument("--key-passphrase-file", type=Path, required=True, metavar="TỆP",
                    help="tệp chứa mật khẩu mới (dòng đầu)")
    pk.add_argument("--old-key-passphrase-file", type=Path, metavar="TỆP", help="tệp chứa mật khẩu đang dùng, khi đổi")
    return {"exchange": cmd_exchange}
