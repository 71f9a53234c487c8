"""Crafted .xlsx member lists: a far cell, a huge string, XML entities. Refused before any memory is spent."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from attack_support import Cli
from openpyxl import Workbook

from khoi_desktop.core.errors import ValidationError
from khoi_desktop.spreadsheets import reader


def _list(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Ngày vào Đảng"])
    ws.append([1, "Trần Thị Mai", "12/03/1990", "Nữ", "05/06/2015"])
    wb.save(path)
    return path


def _rewrite(path: Path, part: str, change: object) -> Path:
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items[part] = change(items[part]) if callable(change) else change  # type: ignore[assignment]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    return path


def test_a_cell_at_the_last_column_and_row_is_refused_at_once(tmp_path: Path, office: Path, cli: Cli) -> None:
    path = _list(tmp_path / "far.xlsx")
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    try:
        code, out, _err = cli("import-members", office, path, "--org", "CB0278", "--dry-run", "--json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2 and "quá lớn" in json.loads(out)["errors"][0]["message"]
    assert peak < 200 * 1024**2


def test_a_huge_shared_string_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "MAX_STRINGS_BYTES", 1024**2)  # the same check as with 64 MB, 64 times cheaper
    path = _list(tmp_path / "big.xlsx")
    huge = b"A" * (3 * 1024**2)
    _rewrite(path, "xl/sharedStrings.xml",
             b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             b'2006/main" count="1" uniqueCount="1"><si><t>' + huge + b"</t></si></sst>")
    assert path.stat().st_size < 100_000
    with pytest.raises(ValidationError) as caught:
        reader.read_table(path)
    assert caught.value.code == "too_big"


@pytest.mark.parametrize("doctype", [
    b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
])
def test_xml_entities_are_refused(tmp_path: Path, office: Path, cli: Cli, doctype: bytes) -> None:
    path = _list(tmp_path / "xxe.xlsx")
    entity = b"&x;" if b"SYSTEM" in doctype else b"&d;"

    def inject(xml: bytes) -> bytes:
        xml = xml.replace(b"</sheetData>", b'<row r="3"><c r="B3" t="inlineStr"><is><t>' + entity
                          + b"</t></is></c></row></sheetData>")
        if xml.startswith(b"<?xml"):
            head, _, rest = xml.partition(b"?>")
            return head + b"?>" + doctype + rest
        return doctype + xml

    _rewrite(path, "xl/worksheets/sheet1.xml", inject)
    code, out, err = cli("import-members", office, path, "--org", "CB0278", "--dry-run", "--json")
    assert code == 2, out + err
    message = json.loads(out)["errors"][0]["message"]
    assert "khai báo XML" in message and "root:" not in out and "invalid" not in message
