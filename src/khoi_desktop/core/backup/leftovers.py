"""What a killed restore leaves next to the data: removed at every start (gui/app.py) and before every
restore. Standard library only: the window's start asks before anything else has loaded."""

from __future__ import annotations

import glob
import os
from pathlib import Path

SIDECARS = ("-wal", "-shm", "-journal")
TEMP_PATTERN = "{name}.khoi-phuc-*.tmp"


def clean_leftovers(target: Path) -> list[Path]:
    """Remove what a killed restore left next to `target` (a full-size plaintext copy and its sidecars).
    Called at every start and before every restore; a file another process still uses stays."""
    removed: list[Path] = []
    folder = Path(os.path.abspath(target)).parent
    if not folder.is_dir():
        return removed
    for leftover in folder.glob(TEMP_PATTERN.format(name=glob.escape(Path(target).name)) + "*"):
        if not any(leftover.name.endswith(end) for end in (".tmp", *(".tmp" + s for s in SIDECARS))):
            continue
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            continue
    return removed
