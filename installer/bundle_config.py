"""What goes into the frozen bundle: entry, data files, hidden imports, exclusions, version resource.

Plain Python without PyInstaller, so tests check the lists without building; khoi-desktop.spec imports it.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

INSTALLER_DIR = Path(__file__).resolve().parent
ROOT = INSTALLER_DIR.parent
SRC = ROOT / "src"
PACKAGE = SRC / "khoi_desktop"
NAME = "khoi-desktop"  # the windowed program: no console window, stdout/stderr are None
# The same program with a console, for an administrator's commands typed in a terminal (their output shows,
# the terminal waits for them); scheduled tasks use the windowed one, which opens no window.
CLI_NAME = "khoi-desktop-cli"
ICON = INSTALLER_DIR / "khoi-desktop.ico"
LAUNCHER = INSTALLER_DIR / "launcher.py"
PRODUCT = "Quản lý tổ chức đảng (khoi-desktop)"
COMPANY = "Văn phòng Đảng ủy Khối"

RESOURCES = ROOT / "resources"
# Folders copied as files, (source, folder inside the bundle): the top-level resources/ (fonts, icons) lands
# inside the package as an installed wheel has it, where khoi_desktop.resource_files looks; Alembic reads the
# migration scripts (env.py, versions/*.py, script.py.mako) from disk, not from the frozen archive.
DATA_FOLDERS = ((RESOURCES, "khoi_desktop/resources"), (PACKAGE / "core/migrations", "khoi_desktop/core/migrations"))
DATA_SKIP = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store")

# Modules imported by name (importlib) that PyInstaller's analysis cannot see. The app's own modules are
# all listed (cli area modules, workflow preparers and effect modules are found through strings);
# Alembic's op/context proxies and the SQLite dialect are used by the migration scripts read from disk.
EXTRA_HIDDEN_IMPORTS = (
    "alembic.op", "alembic.context", "alembic.ddl.sqlite", "alembic.runtime.migration",
    "alembic.runtime.environment", "alembic.script", "sqlalchemy.dialects.sqlite",
    "sqlcipher3", "sqlcipher3.dbapi2", "sqlcipher3._sqlite3",  # the encrypted file's driver (one .pyd)
    "_rl_accel",  # reportlab imports its C helpers by name in exec(): invisible to PyInstaller's analysis
)

# Never frozen: Qt modules the app does not use (PySide6-Addons is installed only for QtPdf and
# QtPdfWidgets), and Python packages that tools or optional imports could drag in.
QT_USED = ("QtCore", "QtGui", "QtWidgets", "QtNetwork", "QtPrintSupport", "QtPdf", "QtPdfWidgets")
QT_EXCLUDED = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs",
    "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets",
    "QtNetworkAuth", "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors",
    "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets",
    "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick",
    "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)
PYTHON_EXCLUDED = (
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data", "test",
    "matplotlib", "numpy", "pandas", "scipy", "IPython", "jupyter_client",
    "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff", "pypdf", "PyInstaller",
    "PySide6.scripts", "shiboken6.scripts", "setuptools", "pip",
)
# Files dropped after analysis even if a hook or a library dependency brought them in (names are
# matched case-insensitively against the path inside the bundle, with / separators).
FORBIDDEN_FILES = (
    "*qt6webengine*", "*qtwebengine*", "*qt6qml*", "*qt6quick*", "*qt63d*", "*qt6charts*",
    "*qt6datavisualization*", "*qt6graphs*", "*qt6multimedia*", "*qt6spatialaudio*", "*qt6bluetooth*",
    "*qt6sensors*", "*qt6designer*", "*qt6location*", "*qt6positioning*", "*qt6texttospeech*", "*virtualkeyboard*",
    "*qt6remoteobjects*", "*qt6scxml*", "*qt6serialport*", "*qt6serialbus*", "*qt6nfc*", "*qt6help*",
    "*/qml/*", "*/translations/*", "*/qt/resources/qtwebengine*", "*/plugins/sceneparsers/*",
    "*/plugins/multimedia/*", "*/plugins/position/*", "*/plugins/sensors/*", "*/plugins/qmltooling/*",
    "*/plugins/designer/*", "*/plugins/geoservices/*", "*/plugins/texttospeech/*", "*/plugins/renderers/*",
    "*/plugins/webview/*", "*/plugins/sqldrivers/*", "*/plugins/canbus/*", "*opengl32sw.dll",
)


def read_version() -> str:
    """khoi_desktop.__version__, read from the source (the spec must not depend on what is installed)."""
    text = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if not match:
        raise ValueError("khoi_desktop/__init__.py has no __version__")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0); a suffix such as '0.2.0rc1' or '0.2.0.dev3' is dropped."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("rc")[0].split(".dev")[0])[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def _skipped(path: Path) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in path.parts for pattern in DATA_SKIP)


def data_files() -> list[tuple[str, str]]:
    """(source file, destination folder inside the bundle) for every data file, one entry per file."""
    entries = []
    for source, target in DATA_FOLDERS:
        for path in sorted(source.rglob("*")):
            if path.is_file() and not _skipped(path.relative_to(source)):
                destination = Path(target) / path.parent.relative_to(source)
                entries.append((str(path), destination.as_posix()))
    return entries


def app_modules() -> list[str]:
    """Every importable module of the package (the migrations folder is data, not a package)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(SRC).with_suffix("")
        if "migrations" in relative.parts or "__pycache__" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        names.append(".".join(parts))
    return names


def hidden_imports() -> list[str]:
    return app_modules() + list(EXTRA_HIDDEN_IMPORTS)


def excludes() -> list[str]:
    return [f"PySide6.{module}" for module in QT_EXCLUDED] + list(PYTHON_EXCLUDED)


def is_forbidden(destination: str) -> bool:
    name = destination.replace("\\", "/").lower()
    name = name if name.startswith("/") else "/" + name
    return any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN_FILES)


def version_info_text(version: str, exe_name: str = NAME) -> str:
    """The Windows version resource in PyInstaller's text format (shown in the file's Properties)."""
    numbers = version_tuple(version)
    dotted = ".".join(str(n) for n in numbers)
    strings = {
        "CompanyName": COMPANY,
        "FileDescription": PRODUCT,
        "FileVersion": dotted,
        "InternalName": exe_name,
        "LegalCopyright": f"© {COMPANY}",
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": PRODUCT,
        "ProductVersion": version,
    }
    rows = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    # 0x042A = Vietnamese, 1200 = Unicode (UTF-16) code page.
    return f"""# Generated by installer/bundle_config.py from khoi_desktop.__version__ = {version!r}
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable('042A04B0', [
{rows}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [0x042A, 1200])])
  ]
)
"""
