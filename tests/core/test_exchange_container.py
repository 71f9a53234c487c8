"""The .khoipkg container alone: signed, sealed, and every alteration refused (no database)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from khoi_desktop.core.exchange.container import (
    PackageRefused,
    Party,
    Record,
    open_package,
    unseal,
    verify,
    write_package,
)
from khoi_desktop.core.exchange.keys import new_key_pair

OFFICE, BODY = Party(None, "Đảng ủy Khối"), Party("CS001", "Đảng bộ Sở Y tế")
PDF = "%PDF-1.4 quyết định đã ký".encode()


@pytest.fixture(scope="module")
def keys():  # type: ignore[no-untyped-def]
    return new_key_pair(), new_key_pair()


def _package(keys, **kwargs) -> bytes:  # type: ignore[no-untyped-def]
    body, office = keys
    records = [Record("meeting", {"org": "CB0001", "note": "Sinh hoạt tháng 3"}), Record("decision", {"n": 1}, PDF)]
    return write_package(kind="up", sender=BODY, receiver=OFFICE, sequence=1, records=records, keys=body,
                         seal_to=office.public, **kwargs)


def _rezip(data: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, change(content) if info.filename == name else content)
    return out.getvalue()


def test_sealed_package_opens_with_the_receivers_key_only(keys) -> None:  # type: ignore[no-untyped-def]
    body, office = keys
    data = _package(keys)
    opened = open_package(data)
    assert b"Sinh ho" not in data and PDF not in data, "sealed: nothing readable in the file"
    verify(opened, body.public, "Đảng bộ Sở Y tế")
    records = unseal(opened, box=office)
    assert [r.kind for r in records] == ["meeting", "decision"] and records[1].attachment == PDF
    assert opened.envelope.counts == {"records": 2, "attachments": 1, "by_kind": {"meeting": 1, "decision": 1}}
    with pytest.raises(PackageRefused, match="không có khóa để mở"):
        unseal(open_package(data), box=body)


def test_a_package_signed_by_another_key_is_foreign(keys) -> None:  # type: ignore[no-untyped-def]
    body, office = keys
    stranger = new_key_pair()
    data = write_package(kind="up", sender=BODY, receiver=OFFICE, sequence=1, records=[], keys=stranger)
    with pytest.raises(PackageRefused, match="gói lạ") as refused:
        verify(open_package(data), body.public, "Đảng bộ Sở Y tế")
    assert refused.value.code == "package_foreign"


@pytest.mark.parametrize("name, change, code", [
    ("manifest.json", lambda b: b.replace(b'"sequence": 1', b'"sequence": 2'), "package_tampered"),
    ("content.bin", lambda b: b[:-1] + bytes([b[-1] ^ 1]), "package_tampered"),
    ("manifest.sig", lambda b: b"AAAA" + b[4:], "package_tampered"),
    ("content.bin", lambda b: b[: len(b) // 2], "package_tampered"),
])
def test_every_altered_part_is_refused(keys, name, change, code) -> None:  # type: ignore[no-untyped-def]
    body, office = keys
    data = _rezip(_package(keys), name, change)
    with pytest.raises(PackageRefused) as refused:
        opened = open_package(data)
        verify(opened, body.public, "Đảng bộ Sở Y tế")
        unseal(opened, box=office)
    assert refused.value.code == code
    assert "đã bị thay đổi sau khi ký" in refused.value.message


def test_a_resigned_manifest_with_other_content_hashes_is_still_caught(keys) -> None:  # type: ignore[no-untyped-def]
    """Even the sender's own key cannot make the receiver take content other than the manifest lists."""
    body, office = keys
    data = _package(keys)
    other = _package(keys)
    with zipfile.ZipFile(io.BytesIO(other)) as z:
        foreign_content = z.read("content.bin")
    swapped = _rezip(data, "content.bin", lambda _: foreign_content)
    with pytest.raises(PackageRefused, match="mã băm nội dung"):
        verify(open_package(swapped), body.public, "x")


def test_passphrase_sealing_and_wrong_passphrase(keys) -> None:  # type: ignore[no-untyped-def]
    body, office = keys
    data = write_package(kind="starter", sender=OFFICE, receiver=BODY, sequence=0, records=[Record("k", {"a": 1})],
                         keys=office, passphrase="mật khẩu dài")
    opened = open_package(data)
    verify(opened, office.public, "Văn phòng")
    with pytest.raises(PackageRefused, match="không đúng") as wrong:
        unseal(opened, passphrase="sai mật khẩu")
    assert wrong.value.code == "wrong_passphrase"
    assert unseal(opened, passphrase="mật khẩu dài")[0].data == {"a": 1}


def test_not_a_package_and_newer_format(keys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PackageRefused) as refused:
        open_package(b"PK\x03\x04 junk", "x.khoipkg")
    assert refused.value.code == "not_a_package"
    newer = _rezip(_package(keys), "manifest.json",
                   lambda b: json.dumps({**json.loads(b), "version": 9}).encode())
    with pytest.raises(PackageRefused, match="phiên bản mới hơn"):
        open_package(newer)
