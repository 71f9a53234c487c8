"""Run the benchmarks: `python -m bench.run --scale 1 --scale 20` (or `python bench/run.py`).

Writes the results as JSON ([{"name", "value", "baseline", "ratio", "unit", …}], bench/results.json by
default) and the table between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import ROOT, Result, compile_sources  # noqa: E402

BENCHMARKS = ("start", "commands", "search", "expand", "split", "pdf", "export", "importing", "backup", "memory",
              "meetings", "encryption")
MARK_START, MARK_END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
# The server's own table (`--db-engine postgres`, bench/server.py), in its own section of docs/benchmarks.md.
SERVER_MARKS = ("<!-- bench:server:start -->", "<!-- bench:server:end -->")


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def markdown(results: list[Result], seconds: float) -> str:
    load = os.getloadavg()
    lines = [
        f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} at the end, {seconds:.0f} s in all.",
        "",
        "| scale | benchmark | app | baseline | ratio | target | met? | what |",
        "|---:|---|---:|---:|---:|---|:-:|---|",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "–"
        met = "–" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.scale} | {r.name} | {_number(r.value)} {r.unit} | {_number(r.baseline)} {r.unit} | "
                     f"{ratio} | {r.target or '–'} | {met} | {r.note} |")
    return "\n".join(lines)


def write_markdown(path: Path, table: str, marks: tuple[str, str] = (MARK_START, MARK_END)) -> None:
    start, end = marks
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="1 and/or 20 (repeatable; default both)")
    parser.add_argument("--only", action="append", choices=sorted({*BENCHMARKS, "issuing"}),
                        help="run only these (repeatable; issuing: on the server only)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement (median)")
    parser.add_argument("--json", type=Path, help="default bench/results.json (the server's: results-server.json)")
    parser.add_argument("--markdown", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-markdown", action="store_true", help="leave docs/benchmarks.md alone")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a target is missed (the table is still written)")
    parser.add_argument("--db-engine", choices=("sqlite", "postgres"), default="sqlite",
                        help="postgres: the benchmarks on a server office (a private cluster from "
                             "scripts/pg-cluster.sh) beside the same on the SQLite file (bench/server.py)")
    args = parser.parse_args(argv)
    scales = args.scale or [1, 20]
    compile_sources()
    started = time.perf_counter()
    results: list[Result] = []
    failed: list[str] = []
    if args.db_engine == "postgres":
        from bench import server
        from bench.server_cluster import private_cluster

        unknown = set(args.only or ()) - set(server.SERVER_BENCHMARKS)
        if unknown:
            parser.error(f"not run on the server: {', '.join(sorted(unknown))} (see bench/server.py)")
        with private_cluster() as url:
            for scale in scales:
                measured, broken = server.run_all(scale, args.repeat, url, args.only)
                results += measured
                failed += broken
        scales = []
    for scale in scales:
        for name in args.only or BENCHMARKS:
            print(f"[scale {scale}] {name} …", file=sys.stderr, flush=True)
            module = importlib.import_module(f"bench.{name}")
            begun = time.perf_counter()
            try:
                measured = module.run(scale, args.repeat)
            except Exception as exc:  # one broken benchmark must not lose the others' results
                print(f"  FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                failed.append(f"{name} (scale {scale}): {type(exc).__name__}")
                continue
            for result in measured:
                results.append(result)
                ratio = f" ({result.ratio:.2f}× baseline {_number(result.baseline)})" if result.ratio else ""
                verdict = "" if result.met is None else (" ok" if result.met else " MISSES " + result.target)
                print(f"  {result.name}: {_number(result.value)} {result.unit}{ratio}{verdict}", file=sys.stderr,
                      flush=True)
            print(f"  ({time.perf_counter() - begun:.0f} s)", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    default = "results-server.json" if args.db_engine == "postgres" else "results.json"
    args.json = args.json or ROOT / "bench" / default
    args.json.write_text(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=1) + "\n",
                         encoding="utf-8")
    table = markdown(results, elapsed)
    if not args.no_markdown:
        write_markdown(args.markdown, table, SERVER_MARKS if args.db_engine == "postgres" else (MARK_START, MARK_END))
    print(table)
    missed = [f"{r.name} (scale {r.scale}): {_number(r.value)} {r.unit}, target {r.target}"
              for r in results if r.met is False]
    missed += [f"{name}: did not run to the end" for name in failed]
    if args.check and missed:
        print("Targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
