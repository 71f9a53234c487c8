"""Shared pieces of the benchmarks: cached demo databases, timing, results.

Every benchmark measures the app and a raw baseline in the same run, so the ratio holds on a loaded
machine even when absolute times do not.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
TODAY = dt.date(2026, 6, 1)  # fixed: the same database and the same answers on every run


@dataclass
class Result:
    name: str
    value: float
    baseline: float | None
    unit: str
    scale: int
    target: str = ""  # e.g. "≤ 2× bare", "≤ 30 ms"
    met: bool | None = None  # None: no target
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.value / self.baseline

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        ratio = self.ratio
        data["ratio"] = round(ratio, 3) if ratio is not None else None
        for key in ("value", "baseline"):
            if isinstance(data[key], float):
                data[key] = round(data[key], 3)
        return data


def ratio_target(result: Result, limit: float) -> Result:
    result.target = f"≤ {limit:g}× baseline"
    result.met = result.ratio is not None and result.ratio <= limit
    return result


def absolute_target(result: Result, limit: float) -> Result:
    result.target = f"≤ {limit:g} {result.unit}"
    result.met = result.value <= limit
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paired(app: Callable[[], object], base: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """App and baseline timed alternately, so both see the same load on the machine."""
    app_times, base_times = [], []
    for _ in range(repeat):
        app_times.append(timed(app))
        base_times.append(timed(base))
    return app_times, base_times


def demo_database(scale: int) -> Path:
    """The demo office at this scale, generated once into bench/.cache and reused.

    The file name carries the schema revision: a new migration makes a new cache file.
    """
    from khoi_desktop.core.db import open_database, schema_head
    from khoi_desktop.core.demo import generate_demo

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"demo-s{scale}-{TODAY.isoformat()}-{schema_head()}.db"
    if not path.exists():
        print(f"  tạo dữ liệu mẫu quy mô {scale} (một lần, lưu ở {path.name}) …", file=sys.stderr, flush=True)
        partial = path.with_suffix(".partial")
        for leftover in CACHE.glob(partial.name + "*"):
            leftover.unlink()
        db = open_database(partial, create=True)
        generate_demo(db, scale=scale, seed=1, today=TODAY)
        db.close()
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        partial.rename(path)
    return path


def fresh_copy(scale: int, folder: Path, name: str = "office.db") -> Path:
    """A private, writable copy of the cached demo database."""
    from khoi_desktop.core.db import backup_copy

    target = folder / name
    backup_copy(demo_database(scale), target)
    return target


def scratch() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="khoi-bench-")


def compile_sources() -> None:
    """Byte-compile the app's sources once, as the installed app ships them (PyInstaller bundles bytecode).

    Without it a session with PYTHONDONTWRITEBYTECODE=1 (this shared machine sets it) compiles every module
    of the app from source at every start, while the floor's standard library and PySide6 load compiled
    files: 80–120 ms of every measured start were that compilation, not the app."""
    import compileall

    for folder in ("src", "bench"):
        compileall.compile_dir(ROOT / folder, quiet=1, force=False)


def child_env() -> dict[str, str]:
    """Environment of benchmark subprocesses: offscreen Qt, a throw-away data folder."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the bytecode is written and read as an installed app has it
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("KHOI_DESKTOP_HOME", str(Path(tempfile.gettempdir()) / "khoi-bench-home"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run_child(args: list[str], timeout: float = 180) -> tuple[float, str]:
    """Run `python -m bench.<child> ...`; returns (seconds from spawn to its 'ready' line, that line).

    A child that does not get there within `timeout` (a dialog waiting for a person …) is killed.
    """
    elapsed, _cpu, line = run_child_cpu(args, timeout)
    return elapsed, line


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows: no CPU figure
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child_cpu(args: list[str], timeout: float = 180) -> tuple[float, float, str]:
    """run_child, with the CPU seconds (user + system, every thread) the child used in all: on a loaded machine
    the wall time of a short process is mostly waiting for a core, its CPU time much less so. The child prints
    'ready' and exits at once, so its CPU is that of the measured span (plus its exit)."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=ROOT)
    assert proc.stdout is not None
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    try:
        for line in proc.stdout:
            if line.startswith("ready"):
                elapsed = time.perf_counter() - start
                proc.stdout.read()
                proc.wait(timeout=timeout)
                return elapsed, _children_cpu() - cpu_before, line.strip()
        proc.wait(timeout=timeout)
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    raise RuntimeError(f"{' '.join(args)} ended without 'ready' (exit {proc.returncode}): "
                       f"{proc.stderr.read() if proc.stderr else ''}")
