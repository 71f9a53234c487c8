"""`khoi-desktop --selftest`: checks an installed copy end to end, in a temporary folder.

Creates and migrates a database, sets up an office and a term, issues a small decision (a chi bộ received
with its members), checks its PDF, writes and verifies a backup, imports every module of the app and,
last, loads the bundled fonts and the PDF in Qt offscreen. Prints a short Vietnamese report (also written
to the log: a windowed build has no console) and returns 0, or 1 with the reason of the first failure.
The user's data folder is never touched; the temporary folder is removed afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import logging
import os
import pkgutil
import platform
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import khoi_desktop
from khoi_desktop import __version__

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED = 0, 1
RECEIVED_MEMBERS = 5
SERIF_FONTS = (b"LiberationSerif", b"LiberationSerif-Bold")
QT_FAMILIES = ("Liberation Serif", "Liberation Sans")
# At least this many modules: far fewer means the bundle lost part of the package.
MIN_MODULES = 60


class SelftestFailure(Exception):
    """A check that did not hold; its message says what, in Vietnamese."""


@dataclass
class Context:
    folder: Path
    today: dt.date = field(default_factory=dt.date.today)
    values: dict[str, Any] = field(default_factory=dict)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise SelftestFailure(message)


def check_database(ctx: Context) -> str:
    from khoi_desktop.core.db import file_revision, known_revisions, open_database, schema_head

    path = ctx.folder / "tu-kiem-tra.db"
    db = open_database(path, create=True)
    ctx.values["db"] = db
    head = schema_head()
    _require(file_revision(path) == head, f"lược đồ của tệp mới là {file_revision(path)}, cần {head}")
    return f"tạo mới và nâng cấp đến lược đồ {head} ({len(known_revisions())} bước nâng cấp)"


def check_office(ctx: Context) -> str:
    from khoi_desktop.core.office import create_office
    from khoi_desktop.core.settings import OfficeSettings, load_settings

    db = ctx.values["db"]
    start = dt.date(ctx.today.year, 1, 1)
    term = f"{start.year}-{start.year + 5}"
    with db.writing() as session:
        create_office(session, OfficeSettings(), term=term, term_starts_on=start, actor="tu-kiem-tra")
    with db.reading() as session:
        settings = load_settings(session)
    _require(settings.configured, "cài đặt cơ quan không được lưu")
    return f"{settings.issuing_body_short}, nhiệm kỳ {term}"


def _received_request() -> dict[str, Any]:
    person = {"family_name": "Nguyễn", "middle_name": "Thị", "given_name": "Hà", "birth_date": "1988-04-12",
              "sex": "nu", "status": "chinh_thuc", "admitted_on": "2012-05-19"}
    names = [("Nguyễn", "Thị", "Hà"), ("Trần", "Văn", "Đức"), ("Lê", "Quỳnh", "Nguyệt"), ("Phạm", "Hữu", "Thắng"),
             ("Đặng", "Thu", "Yến")]
    members = [{**person, "family_name": f, "middle_name": m, "given_name": g,
                "sex": "nu" if m in ("Thị", "Quỳnh", "Thu") else "nam"} for f, m, g in names]
    members[-1].update(status="du_bi", admitted_on="2025-01-10")
    return {"action": "receive", "from_body": "Đảng ủy Khối Doanh nghiệp tỉnh", "parent": None,
            "orgs": [{"name": "Chi bộ Trung tâm Kiểm định chất lượng", "kind": "chi_bo_co_so",
                      "members": members[:RECEIVED_MEMBERS]}]}


def check_decision(ctx: Context) -> str:
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.core.stats import counts_on
    from khoi_desktop.documents import render_pdf

    db = ctx.values["db"]
    with db.writing() as session:
        decision, _warnings = apply_request(session, parse_request(_received_request()), actor="tu-kiem-tra",
                                            issue=True, today=ctx.today, render=render_pdf)
        ctx.values["decision_id"] = decision.id
        code, subject = decision.code, decision.subject
    with db.reading() as session:
        counts = counts_on(session, ctx.today)
    _require(code is not None and code.startswith("01-"), f"quyết định được đánh số {code}, cần số 01")
    _require(counts.members == RECEIVED_MEMBERS and counts.tccsd == 1,
             f"sau quyết định có {counts.tccsd} TCCSĐ, {counts.members} đảng viên; cần 1 và {RECEIVED_MEMBERS}")
    return f"số {code} {subject}; {counts.summary()}"


def pdf_fonts(pdf: bytes) -> set[str]:
    """Names of the TrueType fonts embedded in a PDF (subset prefix removed)."""
    names = re.findall(rb"/FontName /(?:[A-Z]{6}\+)?([\w-]+)", pdf)
    return {name.decode("ascii") for name in names} if b"/FontFile2" in pdf else set()


def check_pdf(ctx: Context) -> str:
    from khoi_desktop.core.decision_content import DecisionContent, PrintInfo
    from khoi_desktop.core.models import Decision
    from khoi_desktop.documents.pdf import render_pdf

    with ctx.values["db"].reading() as session:
        decision = session.get(Decision, ctx.values["decision_id"])
        pdf, stored_sha = decision.pdf, decision.pdf_sha256
        content = DecisionContent.from_json(decision.content)
        info = PrintInfo(decision.number, decision.issued_on, draft=False)
    _require(pdf is not None and pdf.startswith(b"%PDF-"), "quyết định ban hành không có tệp PDF hợp lệ")
    _require(hashlib.sha256(pdf).hexdigest() == stored_sha, "SHA-256 của PDF lưu trữ không khớp")
    embedded = pdf_fonts(pdf)
    missing = [name.decode() for name in SERIF_FONTS if name.decode() not in embedded]
    _require(not missing, f"PDF không nhúng phông {', '.join(missing)} (có: {', '.join(sorted(embedded)) or 'không'})")
    _require(render_pdf(content, info) == pdf, "in lại cùng quyết định cho ra PDF khác bản đã lưu")
    path = ctx.folder / "quyet-dinh.pdf"
    path.write_bytes(pdf)
    ctx.values["pdf_path"] = path
    return f"{len(pdf) // 1024} KB, nhúng phông {', '.join(sorted(embedded))}; in lại cho đúng từng byte"


def check_backup(ctx: Context) -> str:
    from khoi_desktop.core.backup.reader import verify_backup
    from khoi_desktop.core.backup.writer import create_backup

    db = ctx.values["db"]
    result = create_backup(db, ctx.folder / "backups", actor="tu-kiem-tra", kind="selftest")
    opened = verify_backup(result.path)
    manifest = opened.manifest
    _require((manifest.members, manifest.decisions) == (RECEIVED_MEMBERS, 1),
             f"bản sao lưu ghi {manifest.members} đảng viên, {manifest.decisions} quyết định")
    db.close()
    return f"{result.path.name} ({result.size // 1024} KB) đọc lại và kiểm tra toàn vẹn đạt"


def check_modules(ctx: Context) -> str:
    names = [info.name for info in pkgutil.walk_packages(khoi_desktop.__path__, "khoi_desktop.")]
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - report every module that cannot load
            failed.append(f"{name} ({type(exc).__name__}: {exc})")
    _require(not failed, "không nạp được: " + "; ".join(failed[:5]))
    _require(len(names) >= MIN_MODULES, f"chỉ tìm thấy {len(names)} mô-đun (cần ít nhất {MIN_MODULES})")
    return f"{len(names)} mô-đun nạp được"


def check_qt(ctx: Context) -> str:
    """Offscreen: the bundled fonts load and cover Vietnamese, QtPdf (Addons) shows the decision."""
    if not os.environ.get("QT_QPA_PLATFORM"):  # no window, no display needed (a scheduled check, CI)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QRawFont
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    from khoi_desktop.core.encodings.letters import all_letters
    from khoi_desktop.gui.fonts import FONT_DIR

    app = QApplication.instance() or QApplication(["khoi-desktop"])
    ctx.values["qt_app"] = app  # kept alive until the report is printed
    families: set[str] = set()
    for path in sorted(FONT_DIR.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        _require(font_id >= 0, f"Qt không nạp được phông {path.name}")
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    missing = [family for family in QT_FAMILIES if family not in families]
    _require(not missing, f"thiếu họ phông {', '.join(missing)} trong {FONT_DIR}")
    for family in QT_FAMILIES:
        raw = QRawFont.fromFont(QFont(family, 12))
        boxes = [letter for letter in all_letters() if not raw.supportsCharacter(ord(letter))]  # a str maps wrongly
        _require(not boxes, f"phông {family} thiếu chữ {' '.join(boxes[:10])}")
    document = QPdfDocument()
    error = document.load(str(ctx.values["pdf_path"]))
    _require(error == QPdfDocument.Error.None_, f"QtPdf không mở được PDF ({error})")
    pages = document.pageCount()
    image = document.render(0, QSize(210, 297))
    _require(not image.isNull(), "QtPdf không vẽ được trang 1")
    white = QColor("white").rgb()
    inked = any(image.pixel(x, y) != white for x in range(0, image.width(), 3) for y in range(0, image.height(), 3))
    _require(inked, "QtPdf vẽ trang 1 trắng trơn")
    document.close()
    return f"{os.environ['QT_QPA_PLATFORM']}: phông {', '.join(QT_FAMILIES)} đủ chữ tiếng Việt; QtPdf mở {pages} trang"


STEPS: list[tuple[str, Callable[[Context], str]]] = [
    ("Cơ sở dữ liệu", check_database),
    ("Cài đặt cơ quan", check_office),
    ("Quyết định", check_decision),
    ("Tệp PDF", check_pdf),
    ("Sao lưu", check_backup),
    ("Mô-đun", check_modules),
    ("Giao diện Qt", check_qt),
]


def _say(text: str, stream: TextIO | None) -> None:
    log.info("selftest: %s", text)
    if stream is not None:  # windowed builds have no console
        try:
            print(text, file=stream, flush=True)
        except (OSError, UnicodeError):
            pass


def run_selftest(stream: TextIO | None = None, *, steps: list[tuple[str, Callable[[Context], str]]] | None = None,
                 ) -> int:
    """Run every check in a fresh temporary folder; 0 when all hold, 1 at the first failure."""
    stream = stream if stream is not None else sys.stdout
    frozen = "bản đóng gói" if getattr(sys, "frozen", False) else "chạy từ mã nguồn"
    _say(f"Tự kiểm tra khoi-desktop {__version__} ({frozen}; Python {platform.python_version()}, "
         f"{platform.system()} {platform.release()})", stream)
    steps = STEPS if steps is None else steps
    with tempfile.TemporaryDirectory(prefix="khoi-tu-kiem-tra-") as folder:
        ctx = Context(Path(folder))
        try:
            for label, step in steps:
                try:
                    detail = step(ctx)
                except SelftestFailure as exc:
                    reason = str(exc)
                except Exception as exc:  # noqa: BLE001 - any fault is a failed check, with its reason
                    log.exception("selftest step %s", label)
                    reason = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"
                else:
                    _say(f"  [đạt] {label}: {detail}", stream)
                    continue
                _say(f"  [LỖI] {label}: {reason}", stream)
                _say(f"Tự kiểm tra KHÔNG ĐẠT ở bước «{label}».", stream)
                return EXIT_FAILED
        finally:
            db = ctx.values.get("db")
            if db is not None:
                db.close()  # the folder cannot be removed on Windows while the file is open
    _say(f"Tự kiểm tra đạt: {len(steps)}/{len(steps)} bước.", stream)
    return EXIT_OK
