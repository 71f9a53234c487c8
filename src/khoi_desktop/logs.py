"""Logging to a rotating file in the data folder (windowed builds have no stdout/stderr)."""

from __future__ import annotations

import logging
import logging.handlers

from khoi_desktop.core.paths import log_dir


def setup_logging() -> None:
    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / "khoi-desktop.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return  # no writable data folder: run without a log rather than not at all
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
