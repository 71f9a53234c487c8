"""Command line (contract: shared CLI.md): `main` parses and dispatches; one module per area.

The names below load cli.main on first use: starting the window (khoi_desktop.__main__) needs only
cli.common's window options, not every command's module.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AREA_MODULES", "COMMANDS", "EXIT_FAULT", "EXIT_OK", "EXIT_REFUSED", "KhoiError", "Output",
           "build_parser", "open_existing", "run"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from khoi_desktop.cli import main

        return getattr(main, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
