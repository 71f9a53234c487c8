"""Start-up of each command line command, a whole process each, beside a bare Python + sqlite3 process
running the same counts (`stats`'s floor: the interpreter, the sqlite3 module and the queries)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from bench.common import Result, absolute_target, child_env, demo_database, median, ratio_target, scratch

FLOOR = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
day = "2026-06-01"
conn.execute("SELECT kind, count(*) FROM organizations WHERE founded_on <= ? AND (ended_on IS NULL OR ended_on > ?) "
             "GROUP BY kind", (day, day)).fetchall()
conn.execute("SELECT count(*) FROM memberships WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?)",
             (day, day)).fetchall()
print('{"ok": true}')
"""
# The demo office's administrator (README), for the commands that name people and so need a sign-in.
SIGN_IN = ["--user", "admin", "--password-file", "{password}"]
DEMO_PASSWORD = "khoi-demo"
# (name, arguments after the file, note); each a read command a clerk or a scheduled task runs.
COMMANDS = [
    ("stats", ["stats", "{db}", "--json", "--as-of", "2026-06-01"], "counts of the office"),
    ("orgs", ["orgs", "{db}", "--json", "--as-of", "2026-06-01"], "the tree with counts"),
    ("check", [*SIGN_IN, "check", "{db}", "--json", "--as-of", "2026-06-01"], "the Charter checks, signed in"),
    ("decisions", [*SIGN_IN, "decisions", "{db}", "--json"], "list of decisions, signed in"),
    ("verify_audit", [*SIGN_IN, "verify-audit", "{db}", "--json"], "hash chain of the audit trail, signed in"),
    ("help", ["--help"], "the parser alone"),
]


def _seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=child_env())
    return time.perf_counter() - start


def run(scale: int, repeat: int) -> list[Result]:
    db = demo_database(scale)
    results = []
    with scratch() as folder:
        floor_script = Path(folder) / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        floor_argv = [str(floor_script), str(db)]
        password = Path(folder) / "password.txt"
        password.write_text(DEMO_PASSWORD + "\n", encoding="utf-8")
        _seconds(floor_argv)  # warm the file cache
        for name, args, note in COMMANDS:
            command = args[len(SIGN_IN) if args[0] == SIGN_IN[0] else 0]
            argv = ["-m", "khoi_desktop", *(a.format(db=db, password=password) for a in args)]
            _seconds(argv)
            app, bare = [], []
            for _ in range(max(3, repeat)):
                app.append(_seconds(argv))
                bare.append(_seconds(floor_argv))
            result = Result(f"cli_{name}", median(app) * 1000, median(bare) * 1000, "ms", scale,
                            note=f"`{command}`: {note}; whole process vs bare python+sqlite3 counts")
            if name == "stats":
                ratio_target(result, 10)
                absolute = absolute_target(Result(result.name, result.value, None, "ms", scale), 300)
                result.met = bool(result.met and absolute.met)
                result.target = "≤ 300 ms and ≤ 10× baseline"
            results.append(result)
    return results
