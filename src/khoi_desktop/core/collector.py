"""The cyclic garbage collector paused while a reader builds many thousand short-lived rows.

A month's status at provincial scale makes ≈ 30.000 tuples and records that live until it returns: the
collector's passes over them (and over everything else the process holds: a window's whole state) were a
fifth to a quarter of its CPU time, at random moments. They hold no reference cycles; reference counting
frees them when the reader returns, so nothing is left for the collector to find.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """gc.disable() for the block (or the decorated function), enabled again after it unless it was off already
    (nested, or a caller's)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
