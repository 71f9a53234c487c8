"""Small pieces of Vietnamese decision prose every composer shares: lists, people, bodies, basis lines."""

from __future__ import annotations

import re
from collections.abc import Iterable

_TRAILING = re.compile(r"[\s,;.]+$")


def join_vi(names: Iterable[str]) -> str:
    """'A, B và C' (each name once, in order)."""
    unique = list(dict.fromkeys(n for n in names if n))
    if len(unique) < 2:
        return unique[0] if unique else ""
    return ", ".join(unique[:-1]) + " và " + unique[-1]


def job_and_unit(job: str | None, unit: str | None) -> str:
    """'Chủ tịch Hội Cựu chiến binh tỉnh': the job and the unit read as one title, no comma between;
    a job that already names its unit is not repeated."""
    job, unit = (job or "").strip(), (unit or "").strip()
    if not job or not unit:
        return job or unit
    if unit.casefold() in job.casefold():
        return job
    return f"{job} {unit}"


def committee_of(body: str) -> str:
    """The committee that acts for an organization: 'Đảng bộ Sở Y tế' -> 'Đảng ủy Sở Y tế'.
    A chi bộ acts as itself; other names (a huyện ủy, an external body) are kept."""
    return re.sub(r"^Đảng bộ\b", "Đảng ủy", body.strip())


def basis_lines(lines: Iterable[str]) -> list[str]:
    """'Xét …' lines: each ends with ';' and the last with ',' (the enacting line follows)."""
    cleaned = [_TRAILING.sub("", line.strip()) for line in lines]
    cleaned = [line for line in cleaned if line]
    return [line + ("," if i == len(cleaned) - 1 else ";") for i, line in enumerate(cleaned)]
