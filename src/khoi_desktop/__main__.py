"""Entry point: no subcommand starts the GUI; a subcommand runs the command line."""

from __future__ import annotations

import sys


def _utf8_console() -> None:
    # Windows consoles default to a legacy code page; Vietnamese needs UTF-8.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    from khoi_desktop.cli.common import EXIT_REFUSED, window_parser
    from khoi_desktop.core.errors import KhoiError
    from khoi_desktop.logs import setup_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    setup_logging()
    window = _starts_window(argv)
    try:
        if window:  # the window's own options: no command module to load
            args = window_parser().parse_args(argv)
            args.command = None
        else:
            from khoi_desktop.cli.main import build_parser

            args = build_parser().parse_args(argv)
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
    from khoi_desktop.gui.app import run_gui

    return run_gui(database=args.db, demo=args.demo)


def _starts_window(argv: list[str]) -> bool:
    """Only the window's own options (--db FILE, --demo, --selftest): no subcommand to look up."""
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--db" and rest:
            rest.pop(0)
        elif not (token.startswith("--db=") or token in ("--demo", "--selftest")):
            return False
    return True


def _refuse(message: str, code: int) -> int:
    if sys.stderr is not None:
        print(message, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
