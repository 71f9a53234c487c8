"""A process that applies and issues restructuring requests until it is killed (tests/faults).

Run as a script, it imports everything once, then reads commands on stdin:
    work DB SEED COUNT   fork a worker that issues up to COUNT random requests on DB (0 = until killed);
                         prints "pid N"
    wait N               wait for worker N to end; prints "ended N STATUS" (os.waitpid's status)
    quit
Each worker prints "w PID issued CODE" after every committed decision ("w PID refused CODE" when the
office changed under it, "w PID crashed …" on an unexpected error). Forking a warmed-up process keeps a
kill at a random moment cheap: the delay is spent issuing, not importing.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
from pathlib import Path

from khoi_desktop.core.apply import apply_request
from khoi_desktop.core.db import open_database
from khoi_desktop.core.errors import KhoiError
from khoi_desktop.core.members import members_of
from khoi_desktop.core.models import MemberStatus, OrgKind
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.tree import load_snapshot
from khoi_desktop.documents.fonts import register_fonts
from khoi_desktop.documents.pdf import render_pdf

TODAY = dt.date(2026, 6, 1)


def _full_members(session, org_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.code for r in members_of(session, [org_id], TODAY) if r.status is MemberStatus.CHINH_THUC]


def next_request(session, rng: random.Random, serial: int) -> dict | None:  # type: ignore[no-untyped-def]
    """A request that fits the office as it is now: a split, a founding or a transfer."""
    snapshot = load_snapshot(session, TODAY)
    nodes = snapshot.active_nodes()
    chi_bo = [n for n in nodes if n.kind is OrgKind.CHI_BO_TRUC_THUOC and n.direct_full >= 6]
    dang_bo = [n for n in nodes if n.kind is OrgKind.DANG_BO_CO_SO]
    action = rng.choice(["split", "found", "transfer"])
    if action == "transfer":
        movable = [n for n in nodes if n.kind is OrgKind.CHI_BO_TRUC_THUOC
                   and snapshot.nodes.get(n.parent_id) is not None
                   and snapshot.nodes[n.parent_id].kind is OrgKind.DANG_BO_CO_SO]
        node = rng.choice(movable)
        to = rng.choice([d for d in dang_bo if d.id != node.parent_id])
        return {"action": "transfer", "org": node.code, "to": to.code}
    if not chi_bo:
        return None
    source = rng.choice(chi_bo)
    members = [r.code for r in members_of(session, [source.id], TODAY)]
    full = set(_full_members(session, source.id))
    if action == "found":
        moved = rng.sample(sorted(full), 3)
        parent = snapshot.nodes.get(source.parent_id)
        return {"action": "found", "kind": "chi_bo_truc_thuoc", "name": f"Chi bộ mới {serial}",
                "parent": parent.code if parent else None, "members": moved,
                "consent_reason": "Đồng ý (kiểm thử)"}
    ordered = sorted(members, key=lambda code: code not in full)
    halves: list[list[str]] = [[], []]
    for i, code in enumerate(ordered):
        halves[i % 2].append(code)
    return {"action": "split", "org": source.code, "consent_reason": "Đồng ý (kiểm thử)",
            "into": [{"name": f"Chi bộ tách {serial} A", "members": halves[0]},
                     {"name": f"Chi bộ tách {serial} B", "members": halves[1]}]}


def work(db_path: str, seed: int, count: int) -> None:
    rng = random.Random(seed)
    db = open_database(Path(db_path))
    issued = 0
    serial = seed * 1000
    while count == 0 or issued < count:
        serial += 1
        try:
            with db.writing() as session:
                data = next_request(session, rng, serial)
                if data is None:
                    break
                decision, _ = apply_request(session, parse_request(data), actor="faults", issue=True, today=TODAY,
                                            render=render_pdf)
                code = decision.code
        except KhoiError as exc:  # refused (the office changed under a concurrent writer): try another
            print(f"w {os.getpid()} refused {exc.code}", flush=True)
            continue
        issued += 1
        print(f"w {os.getpid()} issued {code}", flush=True)
    db.close()


def serve() -> None:
    register_fonts()  # warm: the first PDF would otherwise spend its time loading fonts
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "quit":
            return
        if command == "wait":
            pid = int(args[0])
            _, status = os.waitpid(pid, 0)
            print(f"ended {pid} {status}", flush=True)
            continue
        db_path, seed, count = args[0], int(args[1]), int(args[2])
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(db_path, seed, count)
            except BaseException as exc:  # noqa: BLE001 - reported to the test as a failed worker
                print(f"w {os.getpid()} crashed {type(exc).__name__}: {exc}", flush=True)
                code = 3
            finally:
                sys.stdout.flush()
                os._exit(code)
        print(f"pid {pid}", flush=True)


if __name__ == "__main__":
    serve()
