"""Criteria sheets (phiếu chấm điểm) for rating meetings: data an administrator edits, with defaults.

A sheet lists criteria (code, wording, maximum points) and rating bands (the least points for each
rating). Each meeting stores the version of the sheet it was scored by, so editing the sheets later
does not re-rate the past.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.meetings.models import MeetingKind, Rating
from khoi_desktop.core.settings import read_setting, write_setting
from khoi_desktop.core.text import nfc

SETTING_KEY = "meeting_criteria"


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max_points: int


@dataclass(frozen=True)
class Band:
    rating: Rating
    min_points: int


@dataclass(frozen=True)
class CriteriaSheet:
    kind: MeetingKind
    version: str  # "thuong_ky-1": stored on each meeting scored by it
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...]  # best first

    @property
    def total(self) -> int:
        return sum(c.max_points for c in self.criteria)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    def rate(self, points: int) -> Rating:
        for band in self.bands:
            if points >= band.min_points:
                return band.rating
        return Rating.KEM


_BANDS = (Band(Rating.TOT, 90), Band(Rating.KHA, 70), Band(Rating.TRUNG_BINH, 50), Band(Rating.KEM, 0))

# After Hướng dẫn 12-HD/BTCTW (2018) on the content of chi bộ meetings; provinces set their own points.
DEFAULT_SHEETS = {
    MeetingKind.THUONG_KY: CriteriaSheet(MeetingKind.THUONG_KY, "thuong_ky-1", (
        Criterion("chuan_bi", "Chuẩn bị nội dung, tài liệu; thông báo trước cho đảng viên", 20),
        Criterion("thoi_gian", "Họp đúng thời gian, đủ thời lượng, đúng quy trình", 10),
        Criterion("ty_le_du", "Tỷ lệ đảng viên dự họp", 20),
        Criterion("noi_dung", "Nội dung thiết thực, đúng trọng tâm, gắn với nhiệm vụ chính trị", 20),
        Criterion("phe_binh", "Dân chủ thảo luận, phê bình và tự phê bình", 15),
        Criterion("nghi_quyet", "Nghị quyết, kết luận rõ ràng, khả thi; phân công thực hiện", 15),
    ), _BANDS),
    MeetingKind.CHUYEN_DE: CriteriaSheet(MeetingKind.CHUYEN_DE, "chuyen_de-1", (
        Criterion("chuan_bi", "Chuẩn bị chuyên đề: đề cương, người trình bày, tài liệu", 25),
        Criterion("ty_le_du", "Tỷ lệ đảng viên dự họp", 20),
        Criterion("thao_luan", "Thảo luận, liên hệ thực tiễn của cơ quan, đơn vị", 25),
        Criterion("ket_luan", "Kết luận và biện pháp thực hiện", 20),
        Criterion("thoi_luong", "Thời lượng, quy trình sinh hoạt", 10),
    ), _BANDS),
}


def _to_json(sheet: CriteriaSheet) -> dict:
    return {"kind": sheet.kind.value, "version": sheet.version,
            "criteria": [dataclasses.asdict(c) for c in sheet.criteria],
            "bands": [{"rating": b.rating.value, "min_points": b.min_points} for b in sheet.bands]}


def _from_json(data: dict) -> CriteriaSheet:
    return CriteriaSheet(
        MeetingKind(data["kind"]), str(data["version"]),
        tuple(Criterion(str(c["code"]), str(c["name"]), int(c["max_points"])) for c in data["criteria"]),
        tuple(Band(Rating(b["rating"]), int(b["min_points"])) for b in data["bands"]),
    )


def load_sheets(session: Session) -> dict[MeetingKind, CriteriaSheet]:
    stored = read_setting(session, SETTING_KEY) or {}
    return {kind: _from_json(stored[kind.value]) if kind.value in stored else DEFAULT_SHEETS[kind]
            for kind in MeetingKind}


def save_sheet(session: Session, sheet: CriteriaSheet) -> CriteriaSheet:
    """Store an edited sheet under a new version (administrator); meetings already rated keep theirs."""
    require(session, Permission.SETTINGS)
    codes = [c.code for c in sheet.criteria]
    if not codes or len(set(codes)) != len(codes) or any(c.max_points <= 0 for c in sheet.criteria):
        raise ValidationError("Phiếu chấm điểm cần ít nhất một tiêu chí, mã tiêu chí không trùng nhau và điểm "
                              "tối đa lớn hơn 0.", code="invalid_sheet")
    current = load_sheets(session)[sheet.kind]
    number = int(current.version.rsplit("-", 1)[-1]) + 1 if "-" in current.version else 2
    sheet = CriteriaSheet(sheet.kind, f"{sheet.kind.value}-{number}",
                          tuple(Criterion(nfc(c.code), nfc(c.name), c.max_points) for c in sheet.criteria),
                          tuple(sorted(sheet.bands, key=lambda b: -b.min_points)))
    stored = read_setting(session, SETTING_KEY) or {}
    before = stored.get(sheet.kind.value, _to_json(current))
    stored[sheet.kind.value] = _to_json(sheet)
    write_setting(session, SETTING_KEY, stored)
    record(session, action="meetings.criteria", target=f"Phiếu chấm điểm sinh hoạt {sheet.kind.label.lower()}",
           before=before, after=stored[sheet.kind.value])
    return sheet


def sheets_json(sheets: dict[MeetingKind, CriteriaSheet]) -> dict:
    return {kind.value: {**_to_json(sheet), "total": sheet.total} for kind, sheet in sheets.items()}


@dataclass
class Score:
    points: int
    rating: Rating
    problems: list[str] = field(default_factory=list)


def score(sheet: CriteriaSheet, scores: dict[str, int]) -> Score:
    """Points and rating of filled-in scores; problems name each criterion in Vietnamese."""
    problems: list[str] = []
    for code, value in scores.items():
        criterion = sheet.criterion(code)
        if criterion is None:
            known = ", ".join(c.code for c in sheet.criteria)
            problems.append(f"Tiêu chí “{code}” không có trong phiếu chấm điểm sinh hoạt "
                            f"{sheet.kind.label.lower()} (các mã: {known}).")
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.max_points:
            problems.append(f"Điểm tiêu chí “{criterion.name}” phải là số nguyên từ 0 đến {criterion.max_points} "
                            f"(đã ghi {value!r}).")
    missing = [c.name for c in sheet.criteria if c.code not in scores]
    if missing:
        problems.append("Chưa chấm điểm các tiêu chí: " + "; ".join(missing) + ".")
    points = sum(v for v in scores.values() if isinstance(v, int) and not isinstance(v, bool))
    return Score(points, sheet.rate(points), problems)
