"""The package's modules stand on their own: each imports first in a fresh interpreter, and core never loads Qt.

An import that works only because something else was imported first (a circular import hidden by the
usual order, a registry filled as a side effect) fails here.
"""

from __future__ import annotations

import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import khoi_desktop

TESTS = Path(__file__).resolve().parents[1]
BATCHES = 4

# Imports each module named on stdin in its own child: forked from a parent that loaded the heavy third-party
# libraries (fast) but nothing of khoi_desktop (so every child starts from an empty package).
_ISOLATED_IMPORTS = textwrap.dedent("""
    import importlib, os, sys, traceback
    for lib in ("sqlalchemy.orm", "alembic", "openpyxl", "reportlab", "PySide6.QtWidgets", "docx"):
        try:
            importlib.import_module(lib)
        except ImportError:
            pass
    assert not [m for m in sys.modules if m.startswith("khoi_desktop")]
    failed = 0
    for name in sys.stdin.read().split():
        pid = os.fork()
        if pid == 0:
            try:
                importlib.import_module(name)
            except BaseException:
                print(f"--- {name}", traceback.format_exc(limit=-3), sep="\\n", flush=True)
                os._exit(1)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        failed += status != 0
    sys.exit(1 if failed else 0)
""")


def package_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(khoi_desktop.__path__, "khoi_desktop.")
                  if ".migrations.versions." not in info.name and not info.name.endswith(".migrations.env"))


def _environment() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    source = str(Path(khoi_desktop.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([source, str(TESTS), env.get("PYTHONPATH", "")])
    return env


def test_the_walk_finds_the_package() -> None:
    names = package_modules()
    assert "khoi_desktop.core.appointments.eligibility" in names and len(names) > 150


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks one child per module")
@pytest.mark.parametrize("batch", range(BATCHES))
@pytest.mark.timeout(900)  # its own children may take 600 s on a loaded machine
def test_every_module_imports_first_in_a_fresh_interpreter(batch: int) -> None:
    names = package_modules()[batch::BATCHES]
    done = subprocess.run([sys.executable, "-c", _ISOLATED_IMPORTS], input="\n".join(names), text=True,
                          capture_output=True, env=_environment(), timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


_CORE_WITHOUT_QT = textwrap.dedent("""
    import datetime as dt, importlib, pkgutil, sys, tempfile
    from pathlib import Path

    import khoi_desktop.core
    for info in pkgutil.walk_packages(khoi_desktop.core.__path__, "khoi_desktop.core."):
        if ".migrations." not in info.name:
            importlib.import_module(info.name)

    from factories import add_members, add_org
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.models import Decision, Term
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.core.settings import OfficeSettings, save_settings
    from khoi_desktop.documents import render_pdf

    db = open_database(Path(tempfile.mkdtemp()) / "office.db", create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30)))
        source = add_org(s, "CB0001", "Chi bộ Văn phòng", "chi_bo_co_so")
        add_members(s, source, 6)
    split = {"action": "split", "org": "CB0001", "effective": "2026-03-02",
             "into": [{"name": "Chi bộ A", "members": ["CB0001-001", "CB0001-002", "CB0001-003"]},
                      {"name": "Chi bộ B", "members": ["CB0001-004", "CB0001-005", "CB0001-006"]}]}
    with db.writing() as s:
        decision, _ = apply_request(s, parse_request(split), actor="test", issue=True, today=dt.date(2026, 3, 2),
                                    render=render_pdf)
        assert decision.code and decision.pdf, decision.code
    db.close()
    qt = sorted(m for m in sys.modules if m.split(".")[0] == "PySide6")
    print(qt)
    sys.exit(1 if qt else 0)
""")


def test_core_and_a_split_through_it_never_load_qt() -> None:
    done = subprocess.run([sys.executable, "-c", _CORE_WITHOUT_QT], text=True, capture_output=True,
                          env=_environment(), timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("upper", ["gui", "cli", "documents", "spreadsheets"])
def test_core_imports_nothing_from_the_layers_above(upper: str) -> None:
    core = Path(khoi_desktop.__file__).parent / "core"
    offenders = [str(p.relative_to(core)) for p in core.rglob("*.py")
                 if f"khoi_desktop.{upper}" in p.read_text(encoding="utf-8")]
    assert offenders == []


# A statement at the top of a module that fills a table or sets another module's name: a registry.
_SIDE_EFFECT = re.compile(r"^[A-Za-z_][\w.]*(\.(update|append|extend|setdefault)\(|\[[^\]]+\] *= )"
                          r"|^[a-z_]\w*\.[A-Za-z_]\w* *= ", re.MULTILINE)


def test_no_module_fills_a_registry_when_imported() -> None:
    package = Path(khoi_desktop.__file__).parent
    offenders = [f"{p.relative_to(package)}: {m.group(0).strip()}" for p in package.rglob("*.py")
                 for m in _SIDE_EFFECT.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []
