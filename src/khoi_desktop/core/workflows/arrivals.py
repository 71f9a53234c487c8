"""Members received as dự bị whose 12 months are already over: accepted, but the clerk is told."""

from __future__ import annotations

from khoi_desktop.core.dates import probation_ends
from khoi_desktop.core.text import show_date
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.plan import Plan


def probation_notes(office: Office, plan: Plan) -> list[tuple[str, str]]:
    notes = []
    for arrival in plan.arrivals:
        record = arrival.record
        if record.status != "du_bi" or record.admitted_on is None:
            continue
        ends = probation_ends(record.admitted_on)
        if ends <= office.day:
            who = " ".join(p for p in (record.family_name, record.middle_name, record.given_name) if p)
            notes.append(("probation_over", f"{who} vào Đảng ngày {show_date(record.admitted_on)}, đủ 12 tháng dự "
                                            f"bị từ ngày {show_date(ends)} mà vẫn ghi là dự bị: cần xét công nhận "
                                            "đảng viên chính thức."))
    return notes
