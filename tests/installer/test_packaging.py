"""Installing the package: the top-level resources/ lands inside the package for a wheel and is found by an
editable install, and building prints no setuptools deprecation warning (the licence as an SPDX expression).

Builds run pip with build isolation (it fetches setuptools once, then from pip's cache); without network the
tests skip.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

# A build fetches and compiles (pip's own limit: 900 s); the suite's 300 s per test is for the rest.
pytestmark = pytest.mark.timeout(1800)

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = {f"khoi_desktop/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
             for p in (ROOT / "resources").rglob("*") if p.is_file()}


def pip(python: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    if result.returncode != 0 and ("NewConnectionError" in result.stdout + result.stderr or
                                   "No matching distribution found for setuptools" in result.stderr):
        pytest.skip("no package index to fetch the build backend from")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_the_resources_folder_is_top_level() -> None:
    assert (ROOT / "resources/fonts/LICENSE-Liberation.txt").is_file()
    assert (ROOT / "resources/icons/khoi-desktop.png").is_file()
    assert not (ROOT / "src/khoi_desktop/resources").exists()
    from khoi_desktop.resource_files import FONT_DIR, ICON_DIR

    assert (FONT_DIR / "LiberationSerif-Regular.ttf").is_file() and (ICON_DIR / "khoi-desktop.png").is_file()


def test_a_wheel_holds_the_resources_and_the_build_warns_of_nothing(tmp_path: Path) -> None:
    result = pip(sys.executable, "wheel", ".", "--no-deps", "--verbose", "-w", str(tmp_path))
    output = result.stdout + result.stderr
    assert "Deprecat" not in output and "SetuptoolsWarning" not in output, output[-3000:]
    wheel = next(tmp_path.glob("khoi_desktop-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert RESOURCES <= names
    assert "khoi_desktop/core/migrations/versions/0001_initial_schema.py" in names
    assert any(name.endswith(".dist-info/licenses/resources/fonts/LICENSE-Liberation.txt") for name in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: LicenseRef-Proprietary" in metadata


def test_an_editable_install_finds_the_resources(tmp_path: Path) -> None:
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    result = pip(python, "install", "--no-deps", "--verbose", "-e", ".")
    assert "Deprecat" not in result.stdout + result.stderr
    found = subprocess.run([str(python), "-c", "from khoi_desktop.resource_files import FONT_DIR, ICON_DIR; "
                            "print(FONT_DIR); print(ICON_DIR)"], capture_output=True, text=True, cwd=tmp_path,
                           check=True).stdout.split()
    assert Path(found[0]) == ROOT / "resources/fonts" and Path(found[1]) == ROOT / "resources/icons"
