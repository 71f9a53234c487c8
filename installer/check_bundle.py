"""Check a built bundle (dist/khoi-desktop): what it must hold, what it must not, and how big it is.

    python installer/check_bundle.py dist/khoi-desktop [--max-mb 400]

Exit 0 with a size report, or 1 listing every problem. Used by build-linux.sh and build-windows.ps1.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_config as cfg  # noqa: E402

# Relative to the package folder inside the bundle (khoi_desktop/…).
REQUIRED_DATA = (
    "resources/fonts/LiberationSerif-Regular.ttf",
    "resources/fonts/LiberationSans-Regular.ttf",
    "resources/fonts/LICENSE-Liberation.txt",
    "resources/icons/khoi-desktop.png",
    "core/migrations/env.py",
    "core/migrations/script.py.mako",
)


@dataclass
class Report:
    total_bytes: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    largest: list[tuple[int, str]] = field(default_factory=list)
    qt_modules: list[str] = field(default_factory=list)


def _is_data(path: Path) -> bool:
    # PyInstaller links Qt libraries into _internal on Linux: count each file once.
    return path.is_file() and not path.is_symlink()


def _size(path: Path) -> int:
    if path.is_symlink():
        return 0
    return sum(p.stat().st_size for p in path.rglob("*") if _is_data(p)) if path.is_dir() else path.stat().st_size


def check(bundle: Path, max_mb: float | None = None) -> Report:
    report = Report()
    if not bundle.is_dir():
        report.problems.append(f"{bundle} is not a folder")
        return report
    for name in (cfg.NAME, cfg.CLI_NAME):
        if not any((bundle / candidate).is_file() for candidate in (name, f"{name}.exe")):
            report.problems.append(f"no executable {name} / {name}.exe")
    internal = bundle / "_internal"
    package = internal / "khoi_desktop"
    for relative in REQUIRED_DATA:
        if not (package / relative).is_file():
            report.problems.append(f"missing khoi_desktop/{relative}")
    migrations = list((package / "core" / "migrations" / "versions").glob("*.py"))
    expected = list((cfg.PACKAGE / "core" / "migrations" / "versions").glob("*.py"))
    if len(migrations) != len(expected):
        report.problems.append(f"{len(migrations)} migration scripts bundled, the source has {len(expected)}")
    pyside = internal / "PySide6"
    report.qt_modules = sorted({p.name.split(".")[0] for p in pyside.glob("Qt*") if p.is_file()})
    for module in cfg.QT_USED:
        if module not in report.qt_modules:
            report.problems.append(f"missing PySide6.{module}")
    for module in report.qt_modules:
        if module not in cfg.QT_USED:
            report.problems.append(f"PySide6.{module} bundled, the app does not use it")
    for path in sorted(bundle.rglob("*")):
        if not _is_data(path):
            continue
        relative = path.relative_to(bundle).as_posix()
        report.files += 1
        report.total_bytes += path.stat().st_size
        if cfg.is_forbidden(relative):
            report.problems.append(f"{relative} bundled, the app does not use it")
    if internal.is_dir():
        report.largest = sorted(((_size(p), p.name) for p in internal.iterdir()), reverse=True)[:12]
    if max_mb is not None and report.total_bytes > max_mb * 1024 * 1024:
        report.problems.append(f"bundle is {report.total_bytes / 1024 / 1024:.0f} MB, over {max_mb:.0f} MB")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--max-mb", type=float, default=None, help="fail above this size")
    args = parser.parse_args(argv)
    report = check(args.bundle, args.max_mb)
    print(f"{args.bundle}: {report.files} files, {report.total_bytes / 1024 / 1024:.1f} MB")
    print("Qt modules: " + ", ".join(report.qt_modules))
    for size, name in report.largest:
        print(f"  {size / 1024 / 1024:7.1f} MB  {name}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
