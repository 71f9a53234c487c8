"""Fault tests: a demo office (scale 1, dated) generated once, copied for each scenario; the killable worker."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo_office_support import office, office_template  # noqa: F401 (fixtures of this folder's tests)

WORKER = Path(__file__).with_name("worker.py")


class Zygote:
    """The warmed-up worker process (tests/faults/worker.py), talked to over its stdin and stdout."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)
        self.lines: dict[int, list[str]] = defaultdict(list)  # worker pid -> what it printed
        self.ended: dict[int, int] = {}  # worker pid -> wait status
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker process ended (exit {self.proc.poll()})")
        return line.strip()

    def _until(self, prefix: str) -> str:
        while True:
            line = self._read()
            if line.startswith("w "):
                _, pid, text = line.split(" ", 2)
                self.lines[int(pid)].append(text)
            elif line.startswith("ended "):
                _, pid, status = line.split()
                self.ended[int(pid)] = int(status)
                if prefix == "ended":
                    return line
            elif line.startswith(prefix):
                return line

    def _send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def start(self, db: Path, seed: int, count: int = 0) -> int:
        """A new worker issuing `count` requests (0 = until killed); returns its pid."""
        self._send(f"work {db} {seed} {count}")
        return int(self._until("pid ").split()[1])

    def wait(self, pid: int) -> tuple[int, list[str]]:
        """(wait status, lines) of a worker once it has ended."""
        self._send(f"wait {pid}")
        while pid not in self.ended:
            self._until("ended")
        return self.ended.pop(pid), self.lines.pop(pid, [])

    def close(self) -> None:
        if self.proc.poll() is None:
            self._send("quit")
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    if sys.platform == "win32":
        pytest.skip("SIGKILL and fork are POSIX")
    process = Zygote()
    yield process
    process.close()
