"""Fuzzed requests and command lines: a clear refusal (KhoiError, exit 2) or an answer; never a traceback,
never an unexpected fault (exit 1), and the database file stays byte for byte the same."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from fault_checks import file_digest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khoi_desktop.__main__ import main
from khoi_desktop.core.apply import prepare
from khoi_desktop.core.appointments.requests import Seat
from khoi_desktop.core.db import open_database
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.requests import Group, MemberRecord, MemberTarget, ReceivedOrg
from khoi_desktop.core.wiring import REQUEST_TYPES
from signin_support import sign_in_for

TODAY = dt.date(2026, 6, 1)
FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _codes(path: Path) -> tuple[list[str], list[str]]:
    conn = sqlite3.connect(path)
    try:
        orgs = [r[0] for r in conn.execute("SELECT code FROM organizations ORDER BY id LIMIT 40")]
        members = [r[0] for r in conn.execute("SELECT code FROM members ORDER BY id LIMIT 60")]
    finally:
        conn.close()
    return orgs, members


def _json_values() -> st.SearchStrategy[object]:
    leaves = (st.none() | st.booleans() | st.integers(-5, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
              | st.text(max_size=12))
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _requests(orgs: list[str], members: list[str]) -> st.SearchStrategy[object]:
    """Request-shaped JSON: each action's own fields with plausible or wild values, sometimes unknown keys."""
    anything = _json_values()
    org = st.sampled_from(orgs) | st.text(max_size=8)
    member = st.sampled_from(members) | st.text(max_size=8)
    date = st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat) | st.text(max_size=10)
    kinds = st.sampled_from(["chi_bo_truc_thuoc", "chi_bo_co_so", "dang_bo_co_so", "dang_bo_bo_phan"])
    name = st.sampled_from(["Chi bộ Thử", "Đảng bộ Thử", ""]) | st.text(max_size=20)
    plain = {"org": org, "to": org | st.none(), "into": org, "parent": org | st.none(), "members_to": org,
             "kind": kinds | st.text(max_size=6), "name": name, "effective": date,
             "members": st.lists(member, max_size=6),
             "orgs": st.lists(org, max_size=3), "keep_source": st.booleans(), "term": st.sampled_from(
                 ["2020-2025", "2025-2030"]) | st.text(max_size=9), "role": st.sampled_from(
                 ["cap_uy_vien", "bi_thu", "pho_bi_thu", "uy_vien_btv"]) | st.text(max_size=6),
             "member": member, "mode": st.sampled_from(["chi_dinh", "chuan_y"]) | st.text(max_size=5),
             "committee_size": st.integers(-2, 40) | anything}

    def nested(cls: type) -> st.SearchStrategy[object]:
        return st.fixed_dictionaries({}, optional={f.name: plain.get(f.name, anything) | anything
                                                   for f in dataclasses.fields(cls)})

    lists = {"into": st.lists(nested(Group), max_size=3), "branches": st.lists(nested(Group), max_size=3),
             "seats": st.lists(nested(Seat), max_size=4),
             "members_to": org | st.lists(nested(MemberTarget), max_size=2)}
    received = st.lists(st.fixed_dictionaries({"name": name, "kind": kinds},
                                              optional={"members": st.lists(nested(MemberRecord), max_size=2)}),
                        max_size=2) | st.lists(nested(ReceivedOrg), max_size=2)

    def shaped(action: str) -> st.SearchStrategy[object]:
        fields = [f.name for f in dataclasses.fields(REQUEST_TYPES[action]) if f.name != "action"]
        optional = {}
        for field in fields:
            value = lists[field] if field in lists else plain[field] if field in plain else anything
            if action == "receive" and field == "orgs":
                value = received
            optional[field] = value | anything
        extra = st.dictionaries(st.text(min_size=1, max_size=6), anything, max_size=2)
        base = st.fixed_dictionaries({"action": st.just(action)}, optional=optional)
        return st.tuples(base, extra, st.booleans()).map(lambda t: {**t[0], **t[1]} if t[2] else t[0])

    return st.sampled_from(sorted(REQUEST_TYPES)).flatmap(shaped) | anything


def test_fuzzed_requests_are_refused_clearly_and_change_nothing(office: Path) -> None:
    orgs, members = _codes(office)
    before = file_digest(office)
    db = open_database(office)

    @FUZZ
    @given(data=_requests(orgs, members))
    def check(data: object) -> None:
        try:
            request = parse_request(data)
            with db.reading() as session:
                prepare(session, request, today=TODAY)
        except KhoiError as exc:
            assert exc.message.strip()

    try:
        check()
    finally:
        db.close()
    assert file_digest(office) == before


COMMANDS = ["stats", "check", "orgs", "members", "decisions", "apply", "issue", "pdf", "appointments", "committee",
            "submissions", "verify", "restore", "export", "verify-audit", "import-members", "audit"]


def _argv(db: Path, scratch: Path) -> st.SearchStrategy[list[str]]:
    tokens = st.sampled_from([
        str(db), str(db), str(scratch / "missing.db"), str(scratch / "out.xlsx"), str(scratch / "out.pdf"),
        str(scratch / "request.json"), str(scratch / "garbage.bin"), str(scratch), "--json", "--json", "--as-of",
        "2024-02-30", "2020-01-01", "hôm qua", "--org", "CS001", "CB0001", "XYZ", "--issue", "-o", "--docx",
        "--term", "2020-2025", "--to", "--from", "--passphrase-file", "--dry-run", "members", "organizations",
        "bieu1", "bieu5", "register", "12", "0", "-1", "12-QĐ/ĐUK", "--pending", "", " ", "'; DROP TABLE members;",
        "Nguyễn", "\u0000".replace("\u0000", "nul"), "--scale", "999",
    ]) | st.text(max_size=10).filter(lambda t: not t.startswith("-"))
    command = st.sampled_from(COMMANDS) | st.text(min_size=1, max_size=8).filter(lambda t: not t.startswith("-"))
    return st.tuples(command, st.lists(tokens, max_size=7)).map(lambda t: [t[0], *t[1]])


def test_fuzzed_command_lines_never_fault_and_change_nothing(office: Path, tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "garbage.bin").write_bytes(b"\x00\xff" * 300)
    monkeypatch.chdir(scratch)  # relative outputs land here

    @FUZZ
    @given(argv=_argv(office, scratch), request=_json_values())
    def check(argv: list[str], request: object) -> None:
        (scratch / "request.json").write_text(json.dumps(request), encoding="utf-8")
        before = file_digest(office)
        code = main([*sign_in_for(argv), *argv])  # the demo office's administrator
        out, err = capsys.readouterr()
        assert code in (0, 2), (argv, code, out[-500:], err[-500:])
        assert "Traceback" not in out + err, argv
        if code == 2 and "--json" not in argv:
            assert err.strip(), argv  # a refusal says why
        assert file_digest(office) == before, argv

    check()
