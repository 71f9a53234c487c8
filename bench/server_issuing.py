"""Concurrent clerks issuing on a server office (issue 19 item 9): N client processes issue transfer decisions
for D seconds on one PostgreSQL database; throughput, p50/p95 latency, and the numbers checked for gaps and
duplicates afterwards.

    KHOI_TEST_PG_URL=postgresql://khoi_app:…@127.0.0.1:55432/khoi_test \\
        python -m bench.server_issuing --clients 8 --seconds 60

The role in the URL needs CREATEDB (the tests' cluster from scripts/pg-cluster.sh has it): the benchmark makes
its own database and drops it afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date.today()


def _admin(url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT",
                           poolclass=NullPool)
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def _office(url: str, chi_bo: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from factories import add_members, add_org
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.models import Term
    from khoi_desktop.core.settings import OfficeSettings, save_settings

    db = open_database(url, create=True)
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add(Term(name="hien-tai", starts_on=TODAY - dt.timedelta(days=400), ends_on=TODAY + dt.timedelta(days=400)))
        first = add_org(s, "CS001", "Đảng bộ Sở Tài chính", "dang_bo_co_so")
        add_members(s, add_org(s, "CB9000", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=first), 30)
        second = add_org(s, "CS002", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        add_members(s, add_org(s, "CB8000", "Chi bộ Văn phòng Sở Y tế", "chi_bo_truc_thuoc", parent=second), 30)
        for i in range(1, chi_bo + 1):
            add_members(s, add_org(s, f"CB{i:04d}", f"Chi bộ Phòng {i}", "chi_bo_truc_thuoc", parent=first), 3)
    db.close()


def _client(url: str, deadline: float, counter: mp.Value, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.db import open_database
    from khoi_desktop.core.errors import KhoiError
    from khoi_desktop.core.request_json import parse_request
    from khoi_desktop.documents.pdf import render_pdf

    db = open_database(url)
    latencies: list[float] = []
    numbers: list[int] = []
    refused = 0
    while time.monotonic() < deadline:
        with counter.get_lock():
            counter.value += 1
            index = counter.value
        request = parse_request({"action": "transfer", "org": f"CB{index:04d}", "to": "CS002"})
        started = time.perf_counter()
        try:
            with db.writing() as s:
                decision, _ = apply_request(s, request, actor=f"may_{os.getpid()}", issue=True, today=TODAY,
                                            render=render_pdf)
                number = decision.number
        except KhoiError:
            refused += 1
            continue
        latencies.append(time.perf_counter() - started)
        numbers.append(int(number or 0))
    db.close()
    out.put({"latencies": latencies, "numbers": numbers, "refused": refused})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--url", default=os.environ.get("KHOI_TEST_PG_URL"))
    args = parser.parse_args(argv)
    if not args.url:
        print("no server: set KHOI_TEST_PG_URL (scripts/pg-cluster.sh)", file=sys.stderr)
        return 2
    name = f"khoi_bench_{uuid.uuid4().hex[:8]}"
    url = urlunsplit(urlsplit(args.url)._replace(path=f"/{name}"))
    _admin(args.url, f"CREATE DATABASE {name}")
    try:
        _office(url, chi_bo=max(200, int(args.clients * args.seconds * 3)))
        counter, out = mp.Value("i", 0), mp.Queue()
        deadline = time.monotonic() + args.seconds
        clients = [mp.Process(target=_client, args=(url, deadline, counter, out)) for _ in range(args.clients)]
        started = time.monotonic()
        for client in clients:
            client.start()
        results = [out.get(timeout=args.seconds + 300) for _ in clients]
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        latencies = sorted(t for r in results for t in r["latencies"])
        numbers = sorted(n for r in results for n in r["numbers"])
        from sqlalchemy import create_engine, text

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as connection:
            stored = [row[0] for row in connection.execute(text(
                "SELECT number FROM decisions WHERE status = 'issued' ORDER BY number"))]
        engine.dispose()
        report = {
            "clients": args.clients, "seconds": round(elapsed, 1), "issued": len(numbers),
            "throughput_per_s": round(len(numbers) / elapsed, 2),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1) if latencies else None,
            "refused": sum(r["refused"] for r in results),
            "duplicates": len(numbers) - len(set(numbers)),
            "gaps": (max(stored) - len(stored)) if stored else 0,
            "stored_equals_reported": stored == numbers,
        }
        print(json.dumps(report, ensure_ascii=False))
        return 0 if report["duplicates"] == 0 and report["gaps"] == 0 and report["stored_equals_reported"] else 1
    finally:
        _admin(args.url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    raise SystemExit(main())
