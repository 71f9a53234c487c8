"""Each command loads only the libraries it uses (issue 15): run in a fresh process, then look at sys.modules.

Start-up is most of a read command's time; a top-level import of reportlab or openpyxl in a shared module
would quietly add it back to every command. Times belong to bench/; this holds the cause.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from signin_support import signed_in, signed_in_if_needed

HEAVY = ("reportlab", "openpyxl", "docx", "cryptography", "xlsxwriter", "alembic", "sqlalchemy")
PROBE = """
import json, sys
from khoi_desktop.__main__ import main
code = main(sys.argv[1:])
print("LOADED " + json.dumps([m for m in {heavy!r} if m in sys.modules]), flush=True)
sys.exit(code)
"""
ORM = {"sqlalchemy"}


def loaded_by(*argv: str | Path, modules: tuple[str, ...] = HEAVY) -> tuple[int, set[str]]:
    sign_in = signed_in_if_needed(argv[1]) if len(argv) > 1 else []
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=modules), *sign_in, *map(str, argv)],
                          capture_output=True, text=True, timeout=120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOADED ")), None)
    assert line is not None, done.stderr
    return done.returncode, set(json.loads(line[len("LOADED "):]))


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "office.db"
    code, loaded = loaded_by("demo", path, "--json")
    assert code == 0
    # Making an office migrates a new file: Alembic is loaded then, and only then.
    assert loaded == ORM | {"alembic"}
    return path


def test_reading_the_tree_needs_neither_sqlalchemy_nor_alembic(office: Path) -> None:
    for command in ("stats", "orgs"):
        assert loaded_by(command, office, "--json") == (0, set())


# What a read command's start paid for nothing: the SQLCipher driver for a plain file, the log file's handlers
# (nothing was logged), the other commands' modules.
START_UP = ("sqlcipher3", "logging.handlers", "khoi_desktop.cli.documents", "khoi_desktop.cli.backup",
            "khoi_desktop.cli.spreadsheets", "khoi_desktop.cli.audit", "khoi_desktop.cli.meetings")


def test_a_command_loads_only_its_own_area_and_a_plain_file_no_cipher(office: Path) -> None:
    for command in ("stats", "orgs"):
        assert loaded_by(command, office, "--json", modules=START_UP) == (0, set())
    code, loaded = loaded_by("decisions", office, "--json", modules=START_UP)
    assert (code, loaded) == (0, {"khoi_desktop.cli.documents"})


# Nor do the tree's commands on a file (signed in: the demo has accounts) load the server's driver, the ORM's
# models, the Charter's rules or the office's settings: they count through sqlite3 alone.
TREE_ONLY = ("psycopg", "khoi_desktop.core.models", "khoi_desktop.core.rules", "khoi_desktop.core.settings")


def test_the_tree_commands_load_no_server_driver_model_or_rules(office: Path) -> None:
    for command in ("stats", "orgs"):
        assert loaded_by(command, office, "--json", modules=TREE_ONLY) == (0, set())


@pytest.mark.parametrize("argv", [
    ("check", "{db}"), ("members", "{db}"), ("decisions", "{db}"), ("appointments", "{db}"),
    ("submissions", "{db}"), ("verify-audit", "{db}"), ("audit", "{db}"), ("users", "{db}", "list"),
    ("meetings", "{db}", "status", "--month", "2026-01"),
])
def test_read_commands_load_the_orm_only(office: Path, argv: tuple[str, ...]) -> None:
    code, loaded = loaded_by(*(a.format(db=office) for a in argv), "--json")
    assert (code, loaded) == (0, ORM)


def _split_request(office: Path, folder: Path) -> Path:
    def answer(*argv: str | Path) -> dict:  # type: ignore[type-arg]
        done = subprocess.run([sys.executable, "-m", "khoi_desktop", *signed_in(office), *map(str, argv), "--json"],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    # A chi bộ cơ sở: this office splits it, numbers the decision and prints it (a chi bộ trực thuộc's split
    # is its đảng ủy's, recorded without a PDF of this office).
    org = next(o["code"] for o in answer("orgs", office)["orgs"]
               if o["kind"] == "chi_bo_co_so" and o["full_members"] >= 8)
    members = [m["code"] for m in answer("members", office, "--org", org)["members"]]
    half = len(members) // 2
    request = folder / "tach.json"
    request.write_text(json.dumps({"action": "split", "org": org, "into": [
        {"name": "Chi bộ Phòng A", "members": members[:half]},
        {"name": "Chi bộ Phòng B", "members": members[half:]}]}, ensure_ascii=False), encoding="utf-8")
    return request


def test_issuing_renders_the_pdf_and_printing_reads_it_back(office: Path, tmp_path: Path) -> None:
    request = _split_request(office, tmp_path)
    assert loaded_by("apply", office, request, "--issue") == (0, ORM | {"reportlab"})
    # The issued decision's stored PDF needs no renderer. A Word copy breaks its lines with the PDF's font
    # metrics (reportlab's), so it loads both.
    assert loaded_by("pdf", office, "1", "-o", tmp_path / "qd.pdf") == (0, ORM)
    assert loaded_by("pdf", office, "1", "--docx", tmp_path / "qd.docx") == (0, ORM | {"docx", "reportlab"})


@pytest.mark.parametrize("kind", ["members", "organizations", "register", "recorded", "bieu1", "bieu5"])
def test_exports_load_the_streaming_writer_only(office: Path, tmp_path: Path, kind: str) -> None:
    assert loaded_by("export", office, kind, "-o", tmp_path / f"{kind}.xlsx") == (0, ORM | {"xlsxwriter"})


def test_audit_export_loads_the_streaming_writer_only(office: Path, tmp_path: Path) -> None:
    assert loaded_by("audit", office, "-o", tmp_path / "nk.xlsx") == (0, ORM | {"xlsxwriter"})


def test_import_reads_with_openpyxl(office: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Ngày sinh", "Giới tính"])
    workbook.save(tmp_path / "ds.xlsx")
    code, loaded = loaded_by("import-members", office, tmp_path / "ds.xlsx", "--dry-run", "--json")
    assert code in (0, 2) and loaded == ORM | {"openpyxl"}


def test_backups_load_the_cipher_not_the_documents(office: Path, tmp_path: Path) -> None:
    code, loaded = loaded_by("backup", office, "--to", tmp_path, "--json")
    assert (code, loaded - {"cryptography"}) == (0, ORM)
    backup = next(tmp_path.glob("*.khoibak"))
    code, loaded = loaded_by("verify", backup)
    assert code == 0 and loaded <= {"cryptography"}  # a plain backup needs no cipher at all


def test_a_refused_request_loads_no_document_library(office: Path, tmp_path: Path) -> None:
    request = tmp_path / "yc.json"
    request.write_text(json.dumps({"action": "found", "kind": "chi_bo_truc_thuoc", "name": "Chi bộ X",
                                   "parent": "CS404", "members": ["DV404"]}), encoding="utf-8")
    assert loaded_by("apply", office, request) == (2, ORM)


def test_help_loads_nothing_heavy() -> None:
    assert loaded_by("--help") == (0, set())


def test_every_command_is_found_in_the_area_that_registers_it() -> None:
    """A command's parser is built from its own area only (build_parser(argv)): the table naming each
    command's area must agree with what the areas register, or a command would vanish from its own start."""
    import argparse

    from khoi_desktop.cli.main import HANDLERS, build_parser, command_in

    def commands(parser: argparse.ArgumentParser) -> set[str]:
        return next(set(a.choices) for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    assert commands(build_parser()) == set(HANDLERS)
    for name in HANDLERS:
        assert name in commands(build_parser([name])), name
    assert command_in(["--user", "stats", "--password-file", "p.txt", "orgs", "x.db"]) == "orgs"
    assert command_in(["--db", "x.db"]) is None and command_in(["nonsense"]) is None
