"""Entry point: no subcommand starts the GUI; a subcommand runs the command line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    from khoi_desktop.logs import setup_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    setup_logging()
    window = _window_options(argv)
    if window is not None:  # the window's own options: no parser, no command module to load
        args = window
    else:
        from khoi_desktop.cli.common import EXIT_REFUSED
        from khoi_desktop.cli.main import parse_args
        from khoi_desktop.core.errors import KhoiError

        try:
            args = parse_args(argv)
        except KhoiError as exc:
            from khoi_desktop.cli.main import run

            return run(argv) if "--json" in argv else _refuse(exc.message, EXIT_REFUSED)
        except SystemExit as exc:  # --help, --version
            return int(exc.code or 0)
    if args.selftest:
        from khoi_desktop.selftest import run_selftest

        return run_selftest()
    if args.command:
        from khoi_desktop.cli.main import run

        return run(argv, args)
    if _no_display():
        return _refuse(NO_DISPLAY, 2)
    from khoi_desktop.gui.app import run_gui

    return run_gui(database=args.db, demo=args.demo)


NO_DISPLAY = ("Không mở được cửa sổ chương trình: máy này không có màn hình đồ họa (chưa đặt DISPLAY hay "
              "WAYLAND_DISPLAY). Hãy chạy trong phiên làm việc có màn hình, hoặc dùng các lệnh (khoi-desktop --help); "
              "muốn chạy không màn hình thì đặt QT_QPA_PLATFORM=offscreen.")


def _no_display() -> bool:
    """Linux with no display and no Qt platform chosen: Qt would abort (exit 134) with an English message."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _window_options(argv: list[str]) -> argparse.Namespace | None:
    """Only the window's own options (--db FILE, --demo, --selftest), read without building a parser (the
    window's start, issue 15); None when there is anything else (a command, --help, --version, a typo)."""
    from argparse import Namespace

    options = Namespace(command=None, db=None, demo=False, selftest=False)
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--db" and rest:
            options.db = rest.pop(0)
        elif token.startswith("--db="):
            options.db = token[len("--db="):]
        elif token in ("--demo", "--selftest"):
            setattr(options, token[2:], True)
        else:
            return None
    if options.db is not None:  # as cli.common.database_arg reads it
        from pathlib import Path

        from khoi_desktop.core.engines import is_server_url

        options.db = options.db.strip() if is_server_url(options.db) else Path(options.db)
    return options


def _refuse(message: str, code: int) -> int:
    if sys.stderr is not None:
        print(message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
