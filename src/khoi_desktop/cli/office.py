"""The office as a whole: `init`, `demo`, `stats`, `orgs`, `check`, `members` (shared CLI.md)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from khoi_desktop.cli.common import (
    Output,
    counts_json,
    database_arg,
    date_arg,
    made_folder_for,
    open_existing,
    positive_int,
    read_plain,
    text_arg,
)
from khoi_desktop.core.errors import OrgNotFound, ValidationError
from khoi_desktop.core.text import show_date


def cmd_demo(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.db import new_database_file
    from khoi_desktop.core.demo import generate_demo
    from khoi_desktop.core.stats import counts_from
    from khoi_desktop.core.tree import load_snapshot

    if isinstance(args.file, str):  # a server office: into an empty database only (open_server refuses others)
        return _demo_on_server(args)
    from khoi_desktop.core.office import check_office_file_name

    path: Path = args.file
    check_office_file_name(path)
    if path.exists():
        raise ValidationError(f"Tệp {path} đã có; lệnh demo không ghi đè dữ liệu. Hãy chọn tên tệp khác.",
                              code="file_exists")
    if args.scale > 50:
        raise ValidationError("Hệ số quy mô tối đa là 50.", code="invalid_scale")
    with made_folder_for(path, "tệp dữ liệu mẫu", json_output=args.json) as folder:
        with new_database_file(path) as db:
            generate_demo(db, scale=args.scale, seed=args.seed)
            with db.reading() as session:
                counts = counts_from(load_snapshot(session, dt.date.today()))
    from khoi_desktop.core.auth.accounts import DEMO_PASSWORD, DEMO_USERNAME

    return Output({"ok": True, "path": str(path), **counts_json(counts), "user": DEMO_USERNAME,
                   "created_folder": folder.made},
                  f"Đã tạo cơ sở dữ liệu mẫu {path}: {counts.summary()}.\n"
                  f"Đăng nhập bằng tài khoản quản trị {DEMO_USERNAME}, mật khẩu {DEMO_PASSWORD}: ví dụ ghi mật khẩu "
                  f"vào dòng đầu của một tệp rồi chạy «khoi-desktop --user {DEMO_USERNAME} --password-file TỆP stats "
                  f"{path}», hoặc chạy lệnh trong cửa sổ dòng lệnh để được hỏi mật khẩu.")


def cmd_init(args: argparse.Namespace) -> Output:
    """A new, empty office (what the GUI's first start makes): its issuing-body settings, current term and first
    administrator; encrypted like the GUI's unless --unencrypted."""
    from khoi_desktop.cli.common import read_passphrase
    from khoi_desktop.core.office import new_office_file
    from khoi_desktop.core.settings import OfficeSettings, Signer

    if isinstance(args.file, str):
        raise ValidationError("Văn phòng trên máy chủ được khởi tạo bằng lệnh server-init.", code="use_server_init")
    signers = [Signer(name, title) for name, title in ((args.secretary, "BÍ THƯ"), (args.deputy, "PHÓ BÍ THƯ"))
               if name and name.strip()]
    if not signers:
        raise ValidationError("Cần họ tên ít nhất một người ký quyết định: --secretary «Họ tên Bí thư» và/hoặc "
                              "--deputy «Họ tên Phó Bí thư».", code="missing_signer")
    defaults = OfficeSettings()
    chosen = {"superior_body": args.superior_body, "issuing_body": args.issuing_body,
              "issuing_body_short": args.short_name, "standing_committee": args.standing_committee,
              "issuer_code": args.issuer_code, "decision_type_code": args.type_code, "place_name": args.place}
    values = {name: (value if value is not None else getattr(defaults, name)) for name, value in chosen.items()}
    values["issuing_body"] = values["issuing_body"].replace("|", "\n")  # where the printed header may break
    settings = OfficeSettings(**values, signers=signers)  # type: ignore[arg-type]
    password = read_passphrase(args.password_file)
    assert password is not None
    with made_folder_for(args.file, "tệp dữ liệu", json_output=args.json) as folder:
        made = new_office_file(args.file, settings, term=args.term, term_starts_on=args.term_start,
                               username=args.admin, full_name=args.full_name or args.admin, password=password,
                               encrypted=not args.unencrypted)
    defaulted = [name for name, value in chosen.items() if value is None]
    lines = [f"Đã tạo văn phòng mới {made.path} (chưa có tổ chức, đảng viên nào); tài khoản quản trị: {made.admin}.",
             f"Cơ quan ban hành{' (mặc định)' if 'issuing_body' in defaulted else ''}: "
             f"{values['issuing_body'].replace(chr(10), ' ')}; ký hiệu "
             f"{values['decision_type_code']}/{values['issuer_code']}; nhiệm kỳ {args.term}.",
             *_defaults_said(defaulted, values, made.path, encrypted=made.recovery_key is not None),
             f"Các lệnh trên tệp cần đăng nhập: khoi-desktop --user {made.admin} --password-file TỆP … {made.path}"]
    if made.recovery_key is not None:
        from khoi_desktop.cli.keys import _recovery_text

        lines += [f"Tệp được mã hóa; tệp khóa {made.path.name}.keys luôn để cạnh tệp dữ liệu, sao lưu cùng.", "",
                  _recovery_text(made.recovery_key)]
    return Output({"ok": True, "path": str(made.path), "admin": made.admin, "encrypted": made.recovery_key is not None,
                   "recovery_key": made.recovery_key, "term": args.term, "created_folder": folder.made,
                   "defaults": {name: values[name] for name in defaulted}},
                  "\n".join(lines))


# The issuing body's settings `init` takes, in the words and options a person reads (`chosen` in cmd_init).
_SETTING_WORDS = {"issuing_body": ("cơ quan ban hành", "--issuing-body"),
                  "superior_body": ("cấp ủy cấp trên", "--superior-body"),
                  "issuing_body_short": ("tên ngắn", "--short-name"),
                  "standing_committee": ("Ban Thường vụ", "--standing-committee"),
                  "issuer_code": ("ký hiệu cơ quan", "--issuer-code"),
                  "decision_type_code": ("ký hiệu Quyết định", "--type-code"), "place_name": ("địa danh", "--place")}


def _defaults_said(defaulted: list[str], values: dict[str, str], path: Path, *, encrypted: bool) -> list[str]:
    """The settings left to their defaults, said to be defaults (a new office printed the default issuing body as if
    it had been given), and how to give them: they go on every decision and no command changes them later."""
    if not defaulted:
        return []
    said = ", ".join(f"{_SETTING_WORDS[name][0]} «{values[name].replace(chr(10), ' ')}» ({_SETTING_WORDS[name][1]})"
                     for name in defaulted)
    files = f"{path} và {path.name}.keys" if encrypted else str(path)
    return [f"Chưa ghi nên dùng tên mặc định: {said}. Các tên này in trên mọi quyết định và không sửa được sau khi "
            f"tạo: nếu chưa đúng, hãy xóa tệp vừa tạo ({files}, còn trống) rồi chạy lại lệnh init với các tùy chọn "
            "trên."]


def _demo_on_server(args: argparse.Namespace) -> Output:
    """The demo office is made in a temporary file (its generators write through SQLite's own driver for
    speed), then moved to the empty server database like any office (core/transfer.py)."""
    import tempfile

    from khoi_desktop.core.backup.snapshot import snapshot_in_memory
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.demo import generate_demo
    from khoi_desktop.core.stats import counts_from
    from khoi_desktop.core.transfer import load_into_server
    from khoi_desktop.core.tree import load_snapshot

    if args.scale > 50:
        raise ValidationError("Hệ số quy mô tối đa là 50.", code="invalid_scale")
    with tempfile.TemporaryDirectory(prefix="khoi-demo-") as folder:
        path = Path(folder) / "demo.db"
        local = open_database(path, create=True)
        try:
            generate_demo(local, scale=args.scale, seed=args.seed)
        finally:
            local.close()
        image = snapshot_in_memory(path)
    try:
        db, _counts, _digest = load_into_server(image, args.file)
    finally:
        image.close()
    try:
        with db.reading() as session:
            counts = counts_from(load_snapshot(session, dt.date.today()))
    finally:
        db.close()
    return Output({"ok": True, "path": db.location, **counts_json(counts)},
                  f"Đã tạo cơ sở dữ liệu mẫu trên {db.label}: {counts.summary()}.")


def cmd_stats(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.stats import count_office

    as_of = args.as_of or dt.date.today()
    counts = read_plain(args.file, lambda source: count_office(source, as_of))
    return Output(counts_json(counts), f"Tính đến ngày {show_date(as_of)}: {counts.summary()}.")


def cmd_check(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.meetings.findings import meeting_findings
    from khoi_desktop.core.member_events.findings import member_findings
    from khoi_desktop.core.ratings.findings import rating_findings
    from khoi_desktop.core.rules import check
    from khoi_desktop.core.settings import load_settings
    from khoi_desktop.core.tree import load_snapshot

    as_of = args.as_of or dt.date.today()
    with open_existing(args.file).reading() as session:
        snapshot = load_snapshot(session, as_of)
        findings = (check(snapshot, load_settings(session).thresholds) + meeting_findings(session, snapshot)
                    + rating_findings(session, as_of) + member_findings(session, snapshot))
    rows = [{"org": f.org, "name": f.name, "rule": f.rule, "severity": f.severity, "members": f.members,
             "message": f.message} for f in findings]
    labels = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "LƯU Ý"}
    order = list(labels)  # a reader sees the errors first, then the warnings, then the notes
    shown = sorted(findings, key=lambda f: order.index(f.severity) if f.severity in order else len(order))
    lines = [f"[{labels.get(f.severity, f.severity)}] {f.org}: {f.message}" for f in shown]
    counts = ", ".join(f"{n} {labels[s].lower()}" for s in order if (n := sum(f.severity == s for f in findings)))
    lines.append(f"{len(findings)} phát hiện ({counts}; tính đến ngày {show_date(as_of)})." if findings
                 else "Không phát hiện vi phạm nào.")
    return Output({"as_of": as_of.isoformat(), "findings": rows}, "\n".join(lines))


def cmd_orgs(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.stats import thousands
    from khoi_desktop.core.tree import load_snapshot

    as_of = args.as_of or dt.date.today()
    snapshot = read_plain(args.file, lambda source: load_snapshot(source, as_of, include_ended=True))
    rows, lines = [], []

    def walk(ids: list[int], depth: int) -> None:
        for org_id in ids:
            node = snapshot.nodes[org_id]
            rows.append({"code": node.code, "name": node.name, "kind": node.kind.value,
                         "parent": snapshot.parent_code(node), "members": node.members,
                         "full_members": node.full_members, "status": "active" if node.active else "ended"})
            ended = "" if node.active else f" (đã kết thúc {show_date(node.ended_on)})"
            lines.append(f"{'  ' * depth}{node.code}  {node.name}{ended}  [{node.kind.label}, "
                         f"{thousands(node.members)} đảng viên]")
            walk(node.children, depth + 1)

    walk(snapshot.roots, 0)
    return Output({"as_of": as_of.isoformat(), "orgs": rows}, "\n".join(lines))


def cmd_members(args: argparse.Namespace) -> Output:
    from khoi_desktop.core.member_events.lists import party_dates
    from khoi_desktop.core.members import SEARCH_LIMIT, members_of, search_members
    from khoi_desktop.core.stats import thousands
    from khoi_desktop.core.tree import load_snapshot

    as_of = args.as_of or dt.date.today()
    ended: dt.date | None = None
    with open_existing(args.file).reading() as session:
        org_ids = None
        if args.org:
            snapshot = load_snapshot(session, as_of, include_ended=True)
            node = snapshot.by_code(args.org)
            if node is None:
                from khoi_desktop.core.code_hints import org_code_hint

                raise OrgNotFound(args.org, on=as_of, hint=org_code_hint(session, args.org))
            org_ids = snapshot.subtree_ids(node.id)
            if not node.active and node.ended_on is not None:  # dissolved, merged …: say so, not just «0»
                ended = node.ended_on
        more = False
        if args.search is not None:
            # As the window's search box: accents and case ignored, or a code, card or CCCD number.
            rows = search_members(session, args.search, as_of, limit=SEARCH_LIMIT)
            more = len(rows) >= SEARCH_LIMIT
            if org_ids is not None:
                codes = {snapshot.nodes[i].code for i in org_ids}
                rows = [r for r in rows if r.org_code in codes]
        else:
            rows = members_of(session, org_ids, as_of)
        dates = party_dates(session, [r.id for r in rows])

    def iso(day: dt.date | None) -> str | None:
        return day.isoformat() if day else None

    data = [{"code": r.code, "full_name": r.full_name, "birth_date": iso(r.birth_date),
             "status": r.status.value, "org": r.org_code, "admitted_on": iso(dates[r.id].admitted_on),
             "full_on": iso(dates[r.id].full_on), "left_on": iso(dates[r.id].left_on),
             "leave_reason": dates[r.id].leave_reason} for r in rows]
    lines = [f"{r.code}  {r.full_name}  {show_date(r.birth_date)}  {r.status.label}  {r.org_code}" for r in rows]
    answer: dict[str, Any] = {"as_of": as_of.isoformat(), "members": data}
    if args.search is None:
        lines.append(f"Tổng số: {thousands(len(rows))} đảng viên.")
    elif not rows:
        whose = f" của {args.org}" if args.org else ""
        lines.append(f"Không có đảng viên nào{whose} khớp «{args.search}» (tìm theo họ tên, có dấu hay không dấu "
                     "đều được, hoặc mã đảng viên, số thẻ đảng viên, số CCCD).")
    else:
        lines.append(f"Tìm thấy {thousands(len(rows))} đảng viên khớp «{args.search}»"
                     + (f" (chỉ hiện {thousands(SEARCH_LIMIT)} người đầu: hãy gõ thêm chữ)." if more else ".")
                     + (" Người đã ra khỏi danh sách không ghi chi bộ." if any(r.org_code is None for r in rows)
                        else ""))
        answer["truncated"] = more
    if ended is not None:
        before = ended - dt.timedelta(days=1)
        lines.append(f"Tổ chức {args.org} đã kết thúc hoạt động ngày {show_date(ended)}: đảng viên của tổ chức khi "
                     f"còn hoạt động xem bằng --as-of {before.isoformat()}.")
        answer["org_ended_on"] = ended.isoformat()
    return Output(answer, "\n".join(lines))


def register(commands: Any, common: argparse.ArgumentParser) -> dict[str, Callable[[argparse.Namespace], Output]]:
    demo = commands.add_parser("demo", parents=[common], help="tạo cơ sở dữ liệu mẫu của một Đảng ủy Khối")
    demo.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    demo.add_argument("--scale", type=positive_int, default=1, help="hệ số quy mô (1 = 5.356 đảng viên)")
    demo.add_argument("--seed", type=int, default=1)

    init = commands.add_parser("init", parents=[common],
                               help="tạo văn phòng mới, trống (như lần đầu mở phần mềm): cơ quan, nhiệm kỳ, quản trị")
    init.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu mới (chưa có)")
    init.add_argument("--admin", required=True, metavar="TÊN", help="tên đăng nhập của người quản trị đầu tiên")
    init.add_argument("--full-name", metavar="HỌ_TÊN", help="họ tên người quản trị (mặc định: tên đăng nhập)")
    init.add_argument("--password-file", type=Path, required=True, metavar="TỆP",
                      help="tệp chứa mật khẩu người quản trị (dòng đầu tiên)")
    init.add_argument("--secretary", metavar="HỌ_TÊN", help="Bí thư, người ký quyết định")
    init.add_argument("--deputy", metavar="HỌ_TÊN", help="Phó Bí thư, người ký thay (K/T BÍ THƯ)")
    init.add_argument("--term", default="2025-2030", metavar="NHIỆM_KỲ", help="nhiệm kỳ hiện tại (mặc định 2025-2030)")
    init.add_argument("--term-start", type=date_arg, default=dt.date(2025, 10, 1), metavar="NGÀY",
                      help="ngày bắt đầu nhiệm kỳ (YYYY-MM-DD, mặc định 2025-10-01)")
    init.add_argument("--superior-body", metavar="TÊN", help="cấp ủy cấp trên (mặc định ĐẢNG BỘ TỈNH THÁI NGUYÊN)")
    init.add_argument("--issuing-body", metavar="TÊN",
                      help="cơ quan ban hành; dấu | là chỗ xuống dòng trên văn bản (ĐẢNG ỦY KHỐI …|TỈNH …)")
    init.add_argument("--short-name", metavar="TÊN", help="tên ngắn của cơ quan (Đảng ủy Khối các cơ quan tỉnh)")
    init.add_argument("--standing-committee", metavar="TÊN", help="tên Ban Thường vụ, ghi hoa như trên văn bản")
    init.add_argument("--issuer-code", metavar="KÝ_HIỆU", help="ký hiệu cơ quan ban hành (mặc định ĐUK)")
    init.add_argument("--type-code", metavar="KÝ_HIỆU", help="ký hiệu Quyết định (mặc định QĐ)")
    init.add_argument("--place", metavar="ĐỊA_DANH", help="địa danh trên văn bản (mặc định Thái Nguyên)")
    init.add_argument("--unencrypted", action="store_true",
                      help="không mã hóa tệp (mặc định mã hóa như khi tạo bằng cửa sổ phần mềm)")

    for name, help_text in (("stats", "số lượng tổ chức và đảng viên"), ("orgs", "danh sách tổ chức đảng")):
        sub = commands.add_parser(name, parents=[common], help=help_text)
        sub.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
        sub.add_argument("--as-of", type=date_arg, help="tính đến ngày (YYYY-MM-DD), mặc định hôm nay")

    chk = commands.add_parser("check", parents=[common], help="kiểm tra các quy định của Điều lệ")
    chk.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    chk.add_argument("--as-of", type=date_arg)

    mem = commands.add_parser("members", parents=[common], help="danh sách đảng viên")
    mem.add_argument("file", type=database_arg, metavar="TỆP", help="tệp cơ sở dữ liệu")
    mem.add_argument("--org", help="mã tổ chức đảng (gồm cả các chi bộ trực thuộc)")
    mem.add_argument("--search", type=text_arg, metavar="CHỮ",
                     help="tìm theo họ tên (có dấu hay không dấu, ví dụ \"nguyen van an\"), mã đảng viên, số thẻ "
                          "đảng viên hoặc số CCCD")
    mem.add_argument("--as-of", type=date_arg)
    return {"init": cmd_init, "demo": cmd_demo, "stats": cmd_stats, "check": cmd_check, "orgs": cmd_orgs,
            "members": cmd_members}
