"""Packaging: the PyInstaller spec's lists, the bundle checker, and the NSIS script compiled with makensis."""

from __future__ import annotations

import ast
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
sys.path.insert(0, str(INSTALLER))

import bundle_config as cfg  # noqa: E402
import check_bundle  # noqa: E402

from khoi_desktop import __version__  # noqa: E402
from khoi_desktop.cli import AREA_MODULES  # noqa: E402

NSI = INSTALLER / "khoi-desktop.nsi"


def package_relative(entries: list[tuple[str, str]]) -> set[str]:
    """Where each file lands, relative to the package folder inside the bundle."""
    return {(Path(destination).relative_to("khoi_desktop") / Path(source).name).as_posix()
            for source, destination in entries}


# --- spec and bundle contents --------------------------------------------------------------------
def test_spec_is_python_that_uses_the_shared_lists() -> None:
    tree = ast.parse((INSTALLER / "khoi-desktop.spec").read_text(encoding="utf-8"))
    calls = {node.func.id: node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= set(calls)
    executables = {ast.unparse(node.targets[0]): {kw.arg: ast.unparse(kw.value) for kw in node.value.keywords}
                   for node in ast.walk(tree) if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                   and getattr(node.value.func, "id", None) == "EXE"}
    assert executables["exe"]["console"] == "False", "windowed"
    assert executables["exe"]["exclude_binaries"] == "True", "one folder: the binaries go to COLLECT"
    assert executables["exe"]["name"] == "cfg.NAME" and executables["cli_exe"]["name"] == "cfg.CLI_NAME"
    assert executables["cli_exe"]["console"] == "True", "the terminal twin"
    collect = [ast.unparse(arg) for arg in calls["COLLECT"].args]
    assert collect[:2] == ["exe", "cli_exe"], "one folder for both programs"
    analysis = {kw.arg: ast.unparse(kw.value) for kw in calls["Analysis"].keywords}
    assert analysis["datas"] == "cfg.data_files()"
    assert analysis["hiddenimports"] == "cfg.hidden_imports()"
    assert analysis["excludes"] == "cfg.excludes()"
    assert cfg.ICON.is_file() and cfg.ICON.read_bytes()[:4] == b"\x00\x00\x01\x00", "a Windows .ico"
    assert cfg.LAUNCHER.is_file()


def test_data_files_hold_fonts_icons_and_every_migration() -> None:
    entries = cfg.data_files()
    files = package_relative(entries)
    migrations = {f"core/migrations/versions/{p.name}" for p in (cfg.PACKAGE / "core/migrations/versions").glob("*.py")}
    assert migrations and migrations <= files
    assert {"core/migrations/env.py", "core/migrations/script.py.mako", "resources/icons/khoi-desktop.png",
            "resources/fonts/LICENSE-Liberation.txt", "resources/fonts/LiberationSerif-Regular.ttf",
            "resources/fonts/LiberationSans-Regular.ttf"} <= files
    assert not [f for f in files if "__pycache__" in f or f.endswith(".pyc")]
    for source, destination in entries:  # each file lands where an installed wheel has it
        origin = Path(source)
        if origin.is_relative_to(cfg.RESOURCES):
            assert destination == (Path("khoi_desktop/resources") / origin.parent.relative_to(cfg.RESOURCES)).as_posix()
        else:
            assert destination == (Path("khoi_desktop") / origin.parent.relative_to(cfg.PACKAGE)).as_posix()
    assert {Path(source).name for source, _ in entries if Path(source).is_relative_to(cfg.RESOURCES)} == {
        p.name for p in cfg.RESOURCES.rglob("*") if p.is_file()}


def test_pip_installs_the_same_data_as_the_bundle() -> None:
    """pyproject's package-data (and setup.py's copy of resources/) must cover what the bundle copies, or a
    wheel install lacks it (tests/installer/test_packaging.py builds one)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["khoi_desktop"] + ["resources/*"]
    missing = [f for f in package_relative(cfg.data_files()) if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert not missing
    assert 'Path(self.build_lib) / "khoi_desktop" / "resources"' in (ROOT / "setup.py").read_text(encoding="utf-8")


def test_hidden_imports_cover_modules_loaded_by_name() -> None:
    hidden = set(cfg.hidden_imports())
    assert set(AREA_MODULES) <= hidden
    assert {"khoi_desktop.selftest", "khoi_desktop.gui.single_instance", "alembic.op", "_rl_accel"} <= hidden
    assert not [name for name in hidden if "migrations" in name]


def test_reportlab_runs_its_c_helpers() -> None:
    """reportlab[accel] installed: its C helpers, not the pure-Python fallbacks (the same PDF bytes)."""
    from reportlab.lib import rl_accel

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
    assert type(rl_accel.instanceStringWidthTTF).__name__ == "builtin_function_or_method"


def test_unused_qt_is_excluded_and_used_qt_is_not() -> None:
    excluded = set(cfg.excludes())
    for module in ("QtWebEngineCore", "QtWebEngineWidgets", "QtQml", "QtQuick", "Qt3DCore", "QtCharts",
                   "QtMultimedia", "QtBluetooth", "QtSensors"):
        assert f"PySide6.{module}" in excluded
    assert not {f"PySide6.{module}" for module in cfg.QT_USED} & excluded
    assert {"tkinter", "matplotlib", "pytest"} <= excluded
    used_in_source = set(re.findall(r"PySide6\.(Qt\w+)", "\n".join(
        p.read_text(encoding="utf-8") for p in cfg.PACKAGE.rglob("*.py"))))
    assert used_in_source <= set(cfg.QT_USED), "a new Qt module is used: add it to QT_USED"


@pytest.mark.parametrize("name", [
    "_internal/PySide6/Qt6WebEngineCore.dll", "_internal/PySide6/QtWebEngineProcess.exe",
    "_internal/PySide6/Qt6Qml.dll", "_internal/PySide6/Qt6QuickWidgets.dll", "_internal/PySide6/qml/QtQuick/x.qml",
    "_internal/PySide6/Qt/lib/libQt6Quick.so.6", "_internal/PySide6/translations/qtbase_vi.qm",
    "_internal/PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll",
    "_internal\\PySide6\\opengl32sw.dll", "_internal/PySide6/Qt6Charts.dll",
])
def test_forbidden_files(name: str) -> None:
    assert cfg.is_forbidden(name)


@pytest.mark.parametrize("name", [
    "khoi-desktop.exe", "_internal/PySide6/Qt6Pdf.dll", "_internal/PySide6/Qt6PdfWidgets.dll",
    "_internal/PySide6/Qt6Widgets.dll", "_internal/PySide6/Qt6Network.dll", "_internal/PySide6/Qt6PrintSupport.dll",
    "_internal/PySide6/plugins/platforms/qwindows.dll", "_internal/PySide6/plugins/platforms/qoffscreen.dll",
    "_internal/PySide6/plugins/imageformats/qpdf.dll", "_internal/PySide6/Qt/lib/libQt6Pdf.so.6",
    "_internal/khoi_desktop/core/migrations/versions/0001_initial_schema.py",
    "_internal/khoi_desktop/resources/fonts/LiberationSerif-Regular.ttf",
])
def test_needed_files_are_kept(name: str) -> None:
    assert not cfg.is_forbidden(name)


def test_version_resource_names_the_app_and_its_version() -> None:
    assert cfg.read_version() == __version__
    assert cfg.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert cfg.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    assert cfg.version_tuple("2.0.0.dev4") == (2, 0, 0, 0)

    def record(kind: str):  # type: ignore[no-untyped-def]
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct", "VarFileInfo",
             "VarStruct"]
    info = eval(cfg.version_info_text("1.2.3", cfg.CLI_NAME), {name: record(name) for name in names})  # noqa: S307
    fixed = info[2]["ffi"][2]
    assert fixed["filevers"] == fixed["prodvers"] == (1, 2, 3, 0)
    strings = dict(entry[1] for entry in info[2]["kids"][0][1][0][0][1][1])
    assert strings["ProductVersion"] == "1.2.3" and strings["OriginalFilename"] == "khoi-desktop-cli.exe"
    assert strings["ProductName"] == cfg.PRODUCT


# --- bundle checker ------------------------------------------------------------------------------
def fake_bundle(folder: Path, *, windows: bool = True) -> Path:
    bundle = folder / "khoi-desktop"
    internal = bundle / "_internal"
    bundle.mkdir(parents=True)
    for name in (cfg.NAME, cfg.CLI_NAME):
        (bundle / (f"{name}.exe" if windows else name)).write_bytes(b"MZ")
    for source, destination in cfg.data_files():
        target = internal / destination / Path(source).name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
    (internal / "PySide6").mkdir(parents=True)
    for module in cfg.QT_USED:
        (internal / "PySide6" / (f"{module}.pyd" if windows else f"{module}.abi3.so")).write_bytes(b"x" * 1000)
    return bundle


@pytest.mark.parametrize("windows", [True, False])
def test_checker_accepts_a_complete_bundle(tmp_path: Path, windows: bool) -> None:
    report = check_bundle.check(fake_bundle(tmp_path, windows=windows))
    assert report.problems == []
    assert report.qt_modules == sorted(cfg.QT_USED)
    assert report.total_bytes > 7000


def test_checker_lists_what_is_missing_or_unwanted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundle = fake_bundle(tmp_path)
    (bundle / "_internal" / "PySide6" / "QtPdf.pyd").unlink()
    (bundle / "_internal" / "PySide6" / "QtQuick.pyd").write_bytes(b"x")
    (bundle / "_internal" / "PySide6" / "Qt6WebEngineCore.dll").write_bytes(b"x")
    next((bundle / "_internal" / "khoi_desktop" / "core" / "migrations" / "versions").glob("*.py")).unlink()
    (bundle / "khoi-desktop-cli.exe").unlink()
    assert check_bundle.main([str(bundle), "--max-mb", "0.001"]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if line.startswith("PROBLEM")]
    text = "\n".join(problems)
    assert "missing PySide6.QtPdf" in text and "PySide6.QtQuick bundled" in text
    assert "Qt6WebEngineCore.dll bundled" in text and "migration scripts bundled" in text and "over 0 MB" in text
    assert "no executable khoi-desktop-cli" in text


# --- NSIS script ---------------------------------------------------------------------------------
def nsi_text() -> str:
    raw = NSI.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM: makensis reads Vietnamese correctly everywhere"
    return raw.decode("utf-8-sig")


def test_installer_script_is_per_user_vietnamese_and_keeps_data() -> None:
    text = nsi_text()
    assert "RequestExecutionLevel user" in text
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"' in text
    assert '!insertmacro MUI_LANGUAGE "Vietnamese"' in text and text.count("MUI_LANGUAGE") == 1
    assert "HKLM" not in text, "no machine-wide keys: no administrator rights"
    for value in ("DisplayName", "DisplayVersion", "Publisher", "UninstallString", "InstallLocation", "NoModify",
                  "NoRepair", "EstimatedSize", "DisplayIcon"):
        assert f'"${{UNINST_KEY}}" "{value}"' in text
    assert "$SMPROGRAMS\\${SHORTCUT}" in text and "$DESKTOP\\${SHORTCUT}" in text
    assert "MUI_PAGE_COMPONENTS" in text, "the desktop shortcut is optional"
    uninstall = text[text.index('Section "Uninstall"'):]
    removed = re.findall(r"^\s*(?:RMDir|Delete)\s+(?:/r\s+)?\"([^\"]+)\"", uninstall, re.MULTILINE)
    assert removed and all(path.startswith(("$INSTDIR", "$SMPROGRAMS", "$DESKTOP")) for path in removed)
    assert '"$INSTDIR"' not in [p for p in re.findall(r"RMDir\s+/r\s+(\"[^\"]+\")", text)], "never $INSTDIR whole"
    assert "LOCALAPPDATA\\khoi-desktop" not in "".join(removed)
    assert text.count("Call RefuseWhileRunning") == 2 and text.count("Call un.RefuseWhileRunning") == 2
    assert '!insertmacro IN_USE "$INSTDIR\\${APP_EXE}"' in text and '!insertmacro IN_USE "$INSTDIR\\${CLI_EXE}"' in text
    assert 'Delete "$INSTDIR\\${CLI_EXE}"' in uninstall


def makensis() -> str:
    found = shutil.which("makensis")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("makensis is missing in CI: scripts/bootstrap.sh --dev installs nsis")
        pytest.skip("makensis not installed (apt-get install nsis)")
    return found


def stub_payload(folder: Path) -> Path:
    payload = folder / "payload" / "khoi-desktop"
    (payload / "_internal" / "khoi_desktop").mkdir(parents=True)
    (payload / "khoi-desktop.exe").write_bytes(b"MZ stub")
    (payload / "_internal" / "khoi_desktop" / "Nguyễn Thị Hà.txt").write_text("tệp có tên tiếng Việt", "utf-8")
    return payload


def compile_installer(tmp_path: Path, *defines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([makensis(), "-WX", "-V2", *defines, str(NSI)], capture_output=True, text=True,
                          timeout=120)


def test_installer_script_compiles_with_the_app_version(tmp_path: Path) -> None:
    payload = stub_payload(tmp_path)
    setup = tmp_path / f"khoi-desktop-setup-{__version__}.exe"
    result = compile_installer(tmp_path, f"-DVERSION={__version__}", f"-DPAYLOAD={payload}", f"-DOUTFILE={setup}",
                               "-DCOMPRESSOR=zlib")
    assert result.returncode == 0, result.stdout + result.stderr
    data = setup.read_bytes()
    assert data[:2] == b"MZ" and b"Nullsoft" in data
    # The version resource (Properties › Details) carries the version and the Vietnamese product name.
    assert __version__.encode("utf-16-le") in data
    assert "Quản lý tổ chức đảng".encode("utf-16-le") in data


def test_installer_script_needs_a_version(tmp_path: Path) -> None:
    result = compile_installer(tmp_path, f"-DPAYLOAD={stub_payload(tmp_path)}",
                               f"-DOUTFILE={tmp_path / 'khoi-desktop-setup.exe'}")
    assert result.returncode != 0
    assert "DVERSION" in result.stdout + result.stderr


# --- build scripts -------------------------------------------------------------------------------
def test_build_scripts_run_the_same_steps() -> None:
    linux = (INSTALLER / "build-linux.sh").read_text(encoding="utf-8")
    windows = (INSTALLER / "build-windows.ps1").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "windows-installer.yml").read_text(encoding="utf-8")
    for script in (linux, windows):
        assert "installer/khoi-desktop.spec" in script.replace("\\", "/")
        assert "check_bundle.py" in script and "--selftest" in script and "makensis" in script
        assert "KHOI_DESKTOP_HOME" in script, "the self-test never writes in the builder's data folder"
        assert ".[build]" in script
    assert subprocess.run(["sh", "-n", str(INSTALLER / "build-linux.sh")]).returncode == 0
    assert "runs-on: windows-latest" in workflow and "build-windows.ps1" in workflow
    assert "choco install nsis" in workflow and "actions/upload-artifact" in workflow
    assert 'python-version: "3.11"' in workflow
    assert "sh installer/build-linux.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(req.startswith("pyinstaller") for req in build["build"])
