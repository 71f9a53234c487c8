"""The office's thresholds (DOMAIN.md: every threshold is data an administrator edits), checked and saved.

Each figure has its Vietnamese name and its allowed range; a value out of range is refused with nothing saved.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.settings import Thresholds, load_settings, save_settings


@dataclass(frozen=True)
class ThresholdField:
    name: str  # the Thresholds field
    label: str
    low: float
    high: float
    unit: str = ""
    group: str = "Tổ chức đảng"


FIELDS = (
    ThresholdField("probation_months", "Thời gian dự bị", 1, 60, "tháng", "Đảng viên"),
    ThresholdField("admission_target_percent", "Chỉ tiêu kết nạp mỗi năm (so với số đảng viên đầu nhiệm kỳ)", 0.1,
                   100, "%", "Đảng viên"),
    ThresholdField("meeting_absence_limit", "Số lần vắng sinh hoạt không lý do trong năm", 1, 12, "lần",
                   "Đảng viên"),
    ThresholdField("min_full_members", "Số đảng viên chính thức tối thiểu của một chi bộ", 1, 30, "đảng viên"),
    ThresholdField("chi_bo_max_members", "Số đảng viên tối đa của một chi bộ", 3, 500, "đảng viên"),
    ThresholdField("tccsd_dang_bo_min_members", "Từ số đảng viên này, tổ chức cơ sở đảng là đảng bộ cơ sở", 3,
                   500, "đảng viên"),
    ThresholdField("btv_min_committee", "Đảng ủy có từ số ủy viên này thì bầu Ban Thường vụ", 3, 99, "ủy viên"),
    ThresholdField("chi_uy_min_full_members", "Chi bộ có từ số đảng viên chính thức này thì bầu chi ủy", 3, 99,
                   "đảng viên"),
    ThresholdField("chi_uy_max_size", "Số chi ủy viên tối đa", 1, 99, "người"),
    ThresholdField("effective_max_days_ahead", "Quyết định có hiệu lực chậm nhất sau ngày ban hành", 1, 3660, "ngày",
                   "Văn bản"),
    ThresholdField("meeting_lookback_months", "Số tháng gần nhất được kiểm tra sinh hoạt chi bộ", 1, 36, "tháng",
                   "Đảng viên"),
)


def update_thresholds(session: Session, values: dict[str, float]) -> Thresholds:
    """Save the thresholds given (the others kept); refused, with nothing saved, if one is out of its range."""
    fields = {f.name: f for f in FIELDS}
    problems = []
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            problems.append(("unknown_threshold", f"Không có ngưỡng «{name}»."))
        elif not field.low <= value <= field.high:
            problems.append(("threshold_out_of_range", f"{field.label}: {value:g} {field.unit} nằm ngoài khoảng "
                                                       f"{field.low:g} – {field.high:g}.".replace("  ", " ")))
    if problems:
        raise RequestRefused(problems)
    settings = load_settings(session)
    kinds = {f.name: f.type for f in dataclasses.fields(Thresholds)}
    typed: dict[str, Any] = {
        name: (float(value) if kinds[name] in (float, "float") else int(value)) for name, value in values.items()
    }
    thresholds = dataclasses.replace(settings.thresholds, **typed)
    save_settings(session, dataclasses.replace(settings, thresholds=thresholds))
    return thresholds
