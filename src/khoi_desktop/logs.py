"""Logging to a rotating file in the data folder (windowed builds have no stdout/stderr)."""

from __future__ import annotations

import functools
import logging
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from khoi_desktop.core.paths import log_dir

log = logging.getLogger("khoi_desktop")

# What a log line must never carry: a member's name, birth date, CCCD, a password. SQLAlchemy's own
# "[parameters: …]" is off (hide_parameters in core/db.py); this catches the rest: parameter blocks from any
# other source, "field": value pairs of personal fields, and runs of digits as long as an ID number.
PERSONAL_FIELDS = ("family_name", "middle_name", "given_name", "full_name", "birth_date", "national_id",
                   "card_number", "hometown", "password", "passphrase", "password_hash", "so_ly_lich")
HIDDEN = "‹ẩn›"


@functools.cache  # compiled at the first record, not at every start (most starts log nothing)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    return (re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(|$))", re.DOTALL),
            re.compile(r"([\"']?(?:" + "|".join(PERSONAL_FIELDS) + r")[\"']?\s*[:=]\s*)"
                       r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^,;)}\s]+)"),
            re.compile(r"(?<!\d)\d{9,12}(?!\d)"))


def redact(text: str) -> str:
    parameters, field, id_number = _patterns()
    text = parameters.sub(f"[parameters: {HIDDEN}]", text)
    text = field.sub(lambda m: m[1] + HIDDEN, text)
    return id_number.sub(HIDDEN, text)


class PersonalDataFilter(logging.Filter):
    """Redacts each record before any handler formats it (message, arguments and traceback)."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the raw template only
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    # A windowed build has no stderr: an error escaping a Qt slot or the main code would vanish unrecorded.
    if not issubclass(kind, KeyboardInterrupt):
        log.critical("uncaught exception", exc_info=(kind, error, trace))
    if sys.stderr is not None:
        sys.__excepthook__(kind, error, trace)


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is not SystemExit:
        log.critical("uncaught exception in thread %s", args.thread.name if args.thread else "?",
                     exc_info=(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback))
    if sys.stderr is not None:
        threading.__excepthook__(args)


class LogFile(logging.Handler):
    """The rotating log file (2 MB, 5 kept), opened at its first record: a command or a start that logs
    nothing does not load logging.handlers (with socket and pickle), a noticeable part of `stats`'s start.

    Given a function for its path, the path (the data folder: platformdirs) is asked for, and its folder
    made, when first needed (a record, or baseFilename), then kept."""

    def __init__(self, path: Path | Callable[[], Path]) -> None:
        super().__init__()
        self._path = path
        self._name: str | None = None
        self._file: logging.Handler | None = None
        self._unwritable = False

    @property
    def baseFilename(self) -> str:  # noqa: N802 (logging's own name for it)
        if self._name is None:
            path = self._path() if callable(self._path) else self._path
            self._name = str(path)
        return self._name

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            if self._unwritable:
                return
            import logging.handlers

            try:
                Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
                self._file = logging.handlers.RotatingFileHandler(self.baseFilename, maxBytes=2_000_000,
                                                                  backupCount=5, encoding="utf-8")
            except OSError:
                self._unwritable = True  # no writable data folder: run without a log rather than not at all
                return
            self._file.setFormatter(self.formatter)
        self._file.emit(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def setup_logging() -> None:
    root = logging.getLogger()
    if any(isinstance(h, LogFile) for h in root.handlers):
        return
    handler = LogFile(lambda: log_dir() / "khoi-desktop.log")  # the folder when the first record comes
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    if sys.excepthook is sys.__excepthook__:  # leave a test runner's or debugger's hook alone
        sys.excepthook = _log_uncaught
    if threading.excepthook is threading.__excepthook__:
        threading.excepthook = _log_uncaught_in_thread
