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
    from khoi_desktop.cli import EXIT_REFUSED, KhoiError, build_parser, run
    from khoi_desktop.logs import setup_logging

    argv = list(sys.argv[1:] if argv is None else argv)
    _utf8_console()
    setup_logging()
    try:
        args = build_parser(areas=not _starts_window(argv)).parse_args(argv)
    except KhoiError as exc:
        return run(argv) if "--json" in argv else _refuse(exc.message, EXIT_REFUSED)
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    if args.selftest:
        from khoi_desktop.selftest import run_selftest

        return run_selftest()
    if args.command:
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
