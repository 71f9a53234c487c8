"""The command line run in this process and its JSON answer read back; request and password files written
for it. Shared by the tests of tests/cli."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from khoi_desktop.__main__ import main


def json_of_args(capsys: pytest.CaptureFixture[str], args: list[Any]) -> tuple[int, dict[str, Any]]:
    """(exit code, JSON answer) of `khoi-desktop ARGS --json`."""
    code = main([*map(str, args), "--json"])
    return code, json.loads(capsys.readouterr().out)


def json_answer(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, dict[str, Any]]:
    return json_of_args(capsys, list(argv))


def checked_json(capsys: pytest.CaptureFixture[str], *argv: object, expect: int = 0) -> dict[str, Any]:
    """The JSON answer of a command that must exit with `expect` (stdout and stderr shown when it does not)."""
    code = main([*map(str, argv), "--json"])
    out, err = capsys.readouterr()
    assert code == expect, (out, err)
    return json.loads(out)  # type: ignore[no-any-return]


def write_request(folder: Path, data: object, name: str = "request.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def secret_file(folder: Path, name: str, text: str) -> Path:
    """A password file as the command line reads it: the secret on its first line."""
    path = folder / name
    path.write_text(text + "\n", encoding="utf-8")
    return path
