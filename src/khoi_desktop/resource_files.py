"""Where the fonts, icons and other files of the top-level resources/ folder are found.

Installed (a wheel or the PyInstaller bundle) they sit inside the package, khoi_desktop/resources; in a source
checkout, run from src/ or installed in editable mode, they are read from the top-level folder itself.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir() -> Path:
    installed = _PACKAGE / "resources"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / "resources"  # src/khoi_desktop -> the checkout's resources/


RESOURCE_DIR = resource_dir()
FONT_DIR = RESOURCE_DIR / "fonts"
ICON_DIR = RESOURCE_DIR / "icons"
