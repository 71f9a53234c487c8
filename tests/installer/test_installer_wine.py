"""The installer run for real under Wine: install, refuse while running, upgrade in place, uninstall.

The payload is a stub: two small Windows programs built with makensis that stay running for a while, as
the app would. A 64-bit installer (Target amd64-unicode) runs under Debian's wine64 without 32-bit Wine;
the script is the same one the 32-bit Windows build uses. HOME and the Wine prefix are temporary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from khoi_desktop import __version__

# Wine starts (wineboot: up to 300 s) and installs twice: beyond the suite's 300 s per test.
pytestmark = pytest.mark.timeout(1800)

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installer" / "khoi-desktop.nsi"
UNINSTALL_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\khoi-desktop]"
# How Wine's user.reg spells "Quản lý tổ chức đảng (khoi-desktop)".
DISPLAY_NAME = r'"DisplayName"="Qu\x1ea3n l\xfd t\x1ed5 ch\x1ee9c \x111\x1ea3ng (khoi-desktop)"'
SLEEPER = """Unicode true
Target amd64-unicode
OutFile "{out}"
SilentInstall silent
RequestExecutionLevel user
Section
  Sleep 20000
SectionEnd
"""


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing in CI: scripts/bootstrap.sh --dev installs nsis and wine")
        pytest.skip(f"{name} not installed (apt-get install nsis wine wine64)")
    return found


@dataclass
class Wine:
    env: dict[str, str]
    prefix: Path

    def run(self, *args: str, timeout: float = 120) -> int:
        return subprocess.run(["wine", *args], env=self.env, capture_output=True, timeout=timeout).returncode

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(["wine", *args], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def settle(self) -> None:
        """Wait for every Wine process to end; the registry is then written to user.reg."""
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=120)

    def kill(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, timeout=60)
        self.settle()

    @property
    def profile(self) -> Path:
        users = self.prefix / "drive_c" / "users"
        return next(p for p in users.iterdir() if p.name != "Public" and p.is_dir())

    def uninstall_entry(self) -> str:
        text = (self.prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
        if UNINSTALL_KEY not in text:
            return ""
        return text.split(UNINSTALL_KEY, 1)[1].split("\n\n", 1)[0]


@pytest.fixture(scope="module")
def wine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wine]:
    tool("wine")
    folder = tmp_path_factory.mktemp("wine")
    home = folder / "home"
    home.mkdir()
    env = {**os.environ, "WINEPREFIX": str(folder / "prefix"), "HOME": str(home), "WINEDEBUG": "-all",
           "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d", "DISPLAY": "", "WINEARCH": "win64"}
    subprocess.run(["wineboot", "-i"], env=env, capture_output=True, timeout=300, check=True)
    box = Wine(env, folder / "prefix")
    box.settle()
    yield box
    box.kill()


def build_setup(folder: Path, version: str, payload_files: dict[str, str]) -> Path:
    makensis = tool("makensis")
    payload = folder / f"payload-{version}"
    (payload / "_internal" / "khoi_desktop").mkdir(parents=True)
    sleeper = folder / "sleeper.exe"
    if not sleeper.exists():
        script = folder / "sleeper.nsi"
        script.write_text(SLEEPER.format(out=sleeper), encoding="utf-8")
        subprocess.run([makensis, "-V1", str(script)], check=True, timeout=60)
    for name in ("khoi-desktop.exe", "khoi-desktop-cli.exe"):
        shutil.copy(sleeper, payload / name)
    for name, text in payload_files.items():
        (payload / "_internal" / "khoi_desktop" / name).write_text(text, encoding="utf-8")
    setup = folder / f"khoi-desktop-setup-{version}.exe"
    subprocess.run([makensis, "-WX", "-V1", "-DTARGET=amd64-unicode", f"-DVERSION={version}",
                    f"-DPAYLOAD={payload}", f"-DOUTFILE={setup}", "-DCOMPRESSOR=zlib", str(NSI)],
                   check=True, timeout=120)
    return setup


def test_install_upgrade_while_running_and_uninstall_keep_the_data(wine: Wine, tmp_path: Path) -> None:
    first = build_setup(tmp_path, __version__, {"cu.txt": "bản cũ"})
    second = build_setup(tmp_path, "9.8.7", {"moi.txt": "bản mới"})
    local = wine.profile / "AppData" / "Local"
    program = local / "Programs" / "khoi-desktop"
    data = local / "khoi-desktop" / "khoi-desktop"
    start_menu = wine.profile / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    shortcut = "Quản lý tổ chức đảng.lnk"

    # Install, silently, without administrator rights, for this user only.
    assert wine.run(str(first), "/S") == 0
    wine.settle()
    assert {p.name for p in program.iterdir()} == {"_internal", "khoi-desktop.exe", "khoi-desktop-cli.exe",
                                                   "khoi-desktop.ico", "uninstall.exe"}
    assert (program / "_internal" / "khoi_desktop" / "cu.txt").is_file()
    assert (start_menu / shortcut).is_file() and (wine.profile / "Desktop" / shortcut).is_file()
    entry = wine.uninstall_entry()
    assert f'"DisplayVersion"="{__version__}"' in entry and DISPLAY_NAME in entry
    assert '"NoModify"=dword:00000001' in entry and '"EstimatedSize"=dword:' in entry
    assert "uninstall.exe" in entry and "AppData\\\\Local\\\\Programs\\\\khoi-desktop" in entry

    # The clerk's data, written by the app in its own folder.
    (data / "backups").mkdir(parents=True)
    (data / "logs").mkdir()
    files = {data / "khoi.db": "cơ sở dữ liệu", data / "backups" / "khoi-20260105-173000.khoibak": "sao lưu",
             data / "logs" / "khoi-desktop.log": "nhật ký"}
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")

    # While the program runs, the upgrade refuses (exit 2) and changes nothing.
    running = wine.start(str(program / "khoi-desktop.exe"))
    try:
        time.sleep(3)
        assert wine.run(str(second), "/S") == 2
        assert (program / "_internal" / "khoi_desktop" / "cu.txt").is_file()
        assert not (program / "_internal" / "khoi_desktop" / "moi.txt").exists()
    finally:
        running.kill()
        wine.kill()
    assert f'"DisplayVersion"="{__version__}"' in wine.uninstall_entry()

    # Closed: the upgrade replaces the old bundle whole and keeps the data.
    assert wine.run(str(second), "/S") == 0
    wine.settle()
    assert not (program / "_internal" / "khoi_desktop" / "cu.txt").exists(), "no stale file of the old version"
    assert (program / "_internal" / "khoi_desktop" / "moi.txt").read_text(encoding="utf-8") == "bản mới"
    assert '"DisplayVersion"="9.8.7"' in wine.uninstall_entry()
    assert all(path.read_text(encoding="utf-8") == text for path, text in files.items())

    # Uninstall: program, shortcuts and entry gone; data, backups and logs kept.
    assert wine.run(str(program / "uninstall.exe"), "/S") == 0
    wine.settle()
    assert not program.exists()
    assert not (start_menu / shortcut).exists() and not (wine.profile / "Desktop" / shortcut).exists()
    assert wine.uninstall_entry() == ""
    assert all(path.read_text(encoding="utf-8") == text for path, text in files.items())
