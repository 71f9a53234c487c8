"""The existing benchmarks on a server office (issue 19 item 9): the same app operation on the demo office's
SQLite file and on the same office moved to a local PostgreSQL server (bench/server_cluster.py), alternately,
in one run; the ratio server/SQLite, target ≤ 1.5×. And 8 clerks issuing at once for 60 s (bench/server_issuing).

    python -m bench.run --db-engine postgres --scale 20

Not repeated here: `pdf` renders a document from data already read (no database), `encryption` is about the
SQLite file's own encryption (a server office has TLS and the server's disk instead). `expand` and `memory`
have no raw floor on the server: the app on the file is the reference.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import (
    TODAY,
    Result,
    child_env,
    demo_database,
    fresh_copy,
    median,
    paired,
    ratio_target,
    run_child,
    scratch,
    timed,
)
from bench.server_cluster import demo_on_server, password_file, server_copy

LIMIT = 1.5
SERVER_BENCHMARKS = ("start", "commands", "search", "expand", "split", "export", "importing", "backup", "memory",
                     "meetings", "issuing")


def _compare(name: str, server: list[float], sqlite: list[float], scale: int, note: str, unit: str = "ms",
             factor: float = 1000) -> Result:
    return ratio_target(Result(f"server_{name}", median(server) * factor, median(sqlite) * factor, unit, scale,
                               note=f"{note}; baseline: the same on the SQLite file"), LIMIT)


def start(scale: int, repeat: int, url: str) -> list[Result]:
    file, server = str(demo_database(scale)), demo_on_server(scale, url)
    for target in (file, server):
        run_child(["-m", "bench.gui_child", "app", target])  # warm both
    on_server, on_file = paired(lambda: run_child(["-m", "bench.gui_child", "app", server]),
                                lambda: run_child(["-m", "bench.gui_child", "app", file]), repeat)
    return [_compare("start", on_server, on_file, scale, "spawn → tree filled")]


def commands(scale: int, repeat: int, url: str) -> list[Result]:
    file, server = str(demo_database(scale)), demo_on_server(scale, url)
    secret = password_file()
    results = []
    try:
        for name, args in (("stats", ["stats", "--as-of", "2026-06-01"]), ("orgs", ["orgs", "--as-of", "2026-06-01"]),
                           ("check", ["check", "--as-of", "2026-06-01"]), ("decisions", ["decisions"]),
                           ("verify_audit", ["verify-audit"])):
            def one(target: str, args: list[str] = args) -> None:
                # Signed in on both (a server office always signs in; the same sign-in on the file, to compare).
                subprocess.run([sys.executable, "-m", "khoi_desktop", "--user", "admin", "--password-file",
                                str(secret), args[0], target, *args[1:], "--json"], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=child_env())

            one(file)
            one(server)
            on_server, on_file = paired(lambda: one(server), lambda: one(file), max(3, repeat))
            results.append(_compare(f"cli_{name}", on_server, on_file, scale, f"`{args[0]}`, whole process"))
    finally:
        secret.unlink()
    return results


def search(scale: int, repeat: int, url: str) -> list[Result]:
    from bench.common import percentile
    from bench.search import queries
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.members import search_members

    texts = queries(str(demo_database(scale)))
    file_db, server_db = open_database(demo_database(scale)), open_database(demo_on_server(scale, url))
    times: dict[str, list[float]] = {"file": [], "server": []}
    try:
        with file_db.reading() as on_file, server_db.reading() as on_server:
            for text in texts[:10]:
                search_members(on_file, text, TODAY)
                search_members(on_server, text, TODAY)
            for text in texts:
                for key, session in (("file", on_file), ("server", on_server)):
                    times[key].append(min(timed(lambda s=session, t=text: search_members(s, t, TODAY))
                                          for _ in range(max(1, repeat))))
    finally:
        file_db.close()
        server_db.close()
    note = f"{len(texts)} queries (bench/search.py)"
    return [ratio_target(Result(f"server_search_p{p}", percentile(times["server"], p) * 1000,
                                percentile(times["file"], p) * 1000, "ms", scale,
                                note=f"{note}; baseline: the same on the SQLite file"), LIMIT) for p in (50, 95)]


def expand(scale: int, repeat: int, url: str) -> list[Result]:
    def times(target: str) -> list[float]:
        _, line = run_child(["-m", "bench.gui_child", "expand", target, str(repeat)])
        return [float(t) for t in line.split()[1].split(",")]

    on_file, on_server = times(str(demo_database(scale))), times(demo_on_server(scale, url))
    return [_compare("expand_largest", on_server, on_file, scale, "select and expand the largest đảng bộ")]


def split(scale: int, repeat: int, url: str) -> list[Result]:
    from bench.split import over_30, split_request
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.db import open_database
    from khoi_desktop.documents import render_pdf

    targets = over_30(demo_database(scale))
    rounds = min(max(11, repeat), len(targets) - 1)  # a median of 11 pairs: one disturbed split moves it less
    with scratch() as folder, server_copy(scale, url) as server_url:
        file_db = open_database(fresh_copy(scale, Path(folder)))
        server_db = open_database(server_url)
        os.sync()  # both fresh copies on disk before the timing: neither engine's writes wait behind their writeback

        def issue(db, target) -> Callable[[], None]:  # type: ignore[no-untyped-def]
            def run() -> None:
                with db.writing() as session:
                    apply_request(session, split_request(*target), actor="bench", issue=True, today=TODAY,
                                  render=render_pdf)
            return run

        try:
            issue(file_db, targets[0])()
            issue(server_db, targets[0])()
            on_server, on_file = [], []
            for target in targets[1:1 + rounds]:
                on_server.append(timed(issue(server_db, target)))
                on_file.append(timed(issue(file_db, target)))
        finally:
            file_db.close()
            server_db.close()
    return [_compare("split_issued", on_server, on_file, scale, f"{rounds} splits of a chi bộ over 30, PDF included")]


def export(scale: int, repeat: int, url: str) -> list[Result]:
    from khoi_desktop.core.db import open_database
    from khoi_desktop.spreadsheets.exports import ExportOptions
    from khoi_desktop.spreadsheets.exports import export as export_members

    options = ExportOptions(as_of=TODAY, today=TODAY)
    file_db, server_db = open_database(demo_database(scale)), open_database(demo_on_server(scale, url))
    try:
        with scratch() as folder:
            def run(db) -> Callable[[], None]:  # type: ignore[no-untyped-def]
                def go() -> None:
                    with db.reading() as session:
                        export_members(session, "members", Path(folder) / "ds.xlsx", options)
                return go

            on_server, on_file = paired(run(server_db), run(file_db), max(1, min(repeat, 2)))
    finally:
        file_db.close()
        server_db.close()
    return [_compare("export_members_xlsx", on_server, on_file, scale, "every member, print layout")]


def importing(scale: int, repeat: int, url: str) -> list[Result]:
    from bench.importing import ROWS, member_list
    from khoi_desktop.core.db import open_database
    from khoi_desktop.spreadsheets.mapping import propose_mapping
    from khoi_desktop.spreadsheets.member_import import ImportOptions, import_members
    from khoi_desktop.spreadsheets.reader import read_table

    on_file, on_server = [], []
    with scratch() as folder:
        xlsx = member_list(Path(folder) / "ds.xlsx")

        def one(target: str) -> float:
            db = open_database(target)
            try:
                with db.reading() as session:
                    from sqlalchemy import text
                    org_code = session.execute(text(
                        "SELECT code FROM organizations WHERE kind = 'chi_bo_truc_thuoc' AND ended_on IS NULL "
                        "ORDER BY id LIMIT 1")).scalar_one()

                def go() -> None:
                    table = read_table(xlsx, None)
                    with db.writing() as session:
                        report = import_members(session, table, propose_mapping(table),
                                                ImportOptions(target_org=org_code, joined_on=TODAY, today=TODAY,
                                                              accept_name_duplicates=True), actor="bench")
                    assert len(report.imported) == ROWS

                return timed(go)
            finally:
                db.close()

        for attempt in range(max(1, min(repeat, 2))):
            with server_copy(scale, url) as server_url:
                on_server.append(one(server_url))
            on_file.append(one(str(fresh_copy(scale, Path(folder), f"office-{attempt}.db"))))
    return [_compare("import_5000_members", on_server, on_file, scale, f"{ROWS} rows from .xlsx into one chi bộ")]


def backup(scale: int, repeat: int, url: str) -> list[Result]:
    from khoi_desktop.core.backup.writer import create_backup
    from khoi_desktop.core.db import open_database

    with scratch() as folder, server_copy(scale, url) as server_url:
        file_db, server_db = open_database(fresh_copy(scale, Path(folder))), open_database(server_url)

        def run(db, out: Path) -> Callable[[], None]:  # type: ignore[no-untyped-def]
            def go() -> None:
                create_backup(db, out, actor="bench", kind="manual").path.unlink()
            return go

        try:
            on_server, on_file = paired(run(server_db, Path(folder) / "s"), run(file_db, Path(folder) / "f"),
                                        max(1, min(repeat, 3)))
        finally:
            file_db.close()
            server_db.close()
    return [_compare("backup", on_server, on_file, scale, "a verified .khoibak of the whole office")]


def memory(scale: int, repeat: int, url: str) -> list[Result]:
    def peak(target: str) -> float:
        return float(run_child(["-m", "bench.gui_child", "memory-app", target])[1].split()[1])

    on_file, on_server = peak(str(demo_database(scale))), peak(demo_on_server(scale, url))
    return [_compare("peak_rss_gui", [on_server], [on_file], scale, "GUI open, expand, search (VmHWM)", "MB", 1)]


def meetings(scale: int, repeat: int, url: str) -> list[Result]:
    from bench.meetings import MONTH, YEAR
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.meetings.status import chi_bo_year, month_status

    file_db, server_db = open_database(demo_database(scale)), open_database(demo_on_server(scale, url))
    try:
        with file_db.reading() as on_file, server_db.reading() as on_server:
            from sqlalchemy import text
            code = on_file.execute(text(
                "SELECT o.code FROM organizations o JOIN meetings m ON m.org_id = o.id GROUP BY o.id, o.code "
                "ORDER BY count(*) DESC, o.code LIMIT 1")).scalar_one()
            assert month_status(on_file, MONTH, today=TODAY) == month_status(on_server, MONTH, today=TODAY)
            month = paired(lambda: month_status(on_server, MONTH, today=TODAY),
                           lambda: month_status(on_file, MONTH, today=TODAY), max(3, repeat))
            chi_bo_year(on_server, code, YEAR)
            year = paired(lambda: chi_bo_year(on_server, code, YEAR), lambda: chi_bo_year(on_file, code, YEAR),
                          max(5, repeat))
    finally:
        file_db.close()
        server_db.close()
    return [_compare("meetings_month_status", *month, scale, "the office's month status"),
            _compare("meetings_chi_bo_year", *year, scale, "one chi bộ's year")]


def issuing(scale: int, repeat: int, url: str) -> list[Result]:
    """8 clerks issuing transfers for 60 s (bench/server_issuing.py): throughput, p95, gaps, duplicates."""
    import json

    out = subprocess.run([sys.executable, "-m", "bench.server_issuing", "--clients", "8", "--seconds", "60",
                          "--url", url], check=False, capture_output=True, text=True, env=child_env(), timeout=900)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    note = (f"{report['clients']} client processes × {report['seconds']:.0f} s: {report['issued']} issued, "
            f"{report['refused']} refused, {report['duplicates']} duplicates, {report['gaps']} gaps, p50 "
            f"{report['p50_ms']} ms")
    sound = report["duplicates"] == 0 and report["gaps"] == 0 and report["stored_equals_reported"]
    return [
        Result("server_issuing_throughput", report["throughput_per_s"], None, "decisions/s", scale, note=note),
        Result("server_issuing_p95", report["p95_ms"], None, "ms", scale, target="zero gaps, zero duplicates",
               met=sound, note=note),
    ]


def run_all(scale: int, repeat: int, url: str, only: list[str] | None) -> tuple[list[Result], list[str]]:
    results, failed = [], []
    for name in only or SERVER_BENCHMARKS:
        print(f"[scale {scale}, server] {name} …", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        try:
            measured = globals()[name](scale, repeat, url)
        except Exception as exc:  # one broken benchmark must not lose the others' results
            print(f"  FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            failed.append(f"{name} (server, scale {scale}): {type(exc).__name__}")
            continue
        for result in measured:
            ratio = f" ({result.ratio:.2f}× SQLite)" if result.ratio else ""
            print(f"  {result.name}: {result.value:.1f} {result.unit}{ratio}", file=sys.stderr, flush=True)
        results.extend(measured)
        print(f"  ({time.perf_counter() - begun:.0f} s)", file=sys.stderr, flush=True)
    return results, failed
