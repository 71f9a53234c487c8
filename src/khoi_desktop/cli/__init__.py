"""Command line (contract: shared CLI.md): `main` parses and dispatches; one module per area."""

from khoi_desktop.cli.main import (
    AREA_MODULES,
    COMMANDS,
    EXIT_FAULT,
    EXIT_OK,
    EXIT_REFUSED,
    KhoiError,
    Output,
    build_parser,
    open_existing,
    run,
)

__all__ = ["AREA_MODULES", "COMMANDS", "EXIT_FAULT", "EXIT_OK", "EXIT_REFUSED", "KhoiError", "Output",
           "build_parser", "open_existing", "run"]
