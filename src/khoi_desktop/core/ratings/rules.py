"""The rating rules as data an administrator edits (defaults after Quy định 366-QĐ/TW and Hướng dẫn
43-HD/BTCTW, 2025): the cap on HTXSNV, the consistency rules, and how probationary, newly admitted and exempt
members are counted. They will change again; ratings already stored are not re-rated, only re-checked.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.ratings.models import Level
from khoi_desktop.core.settings import read_setting, write_setting
from khoi_desktop.core.text import nfc

SETTING_KEY = "rating_rules"

# What a consistency rule looks at (the code knows how to test each one; the administrator switches rules on
# and off, words them and sets the highest level allowed).
ORG_WITH_DISCIPLINED_MEMBER = "org_with_disciplined_member"
DISCIPLINED_MEMBER = "disciplined_member"
ORG_WITH_FAILING_MEMBER = "org_with_failing_member"
CONDITIONS = {
    ORG_WITH_DISCIPLINED_MEMBER: "tổ chức đảng có đảng viên bị kỷ luật trong năm",
    DISCIPLINED_MEMBER: "đảng viên bị kỷ luật trong năm",
    ORG_WITH_FAILING_MEMBER: "tổ chức đảng có đảng viên không hoàn thành nhiệm vụ",
}
RATED, NOT_RATED = "rated", "not_rated"  # how a kind of member is counted


@dataclass(frozen=True)
class ConsistencyRule:
    code: str
    condition: str  # one of CONDITIONS
    highest: Level  # the best level allowed when the condition holds
    enabled: bool = True
    text: str = ""

    @property
    def applies_to_members(self) -> bool:
        return self.condition == DISCIPLINED_MEMBER


@dataclass(frozen=True)
class RatingRules:
    version: str = "366-2025"
    cap_pct: int = 20  # HTXSNV at most this share of HTTNV, within the same body
    consistency: tuple[ConsistencyRule, ...] = (
        ConsistencyRule("org_disciplined_member", ORG_WITH_DISCIPLINED_MEMBER, Level.HTT,
                        text="Tổ chức đảng có đảng viên bị kỷ luật trong năm không được xếp loại HTXSNV."),
        ConsistencyRule("member_disciplined", DISCIPLINED_MEMBER, Level.HT,
                        text="Đảng viên bị kỷ luật trong năm không được xếp loại HTTNV trở lên."),
        ConsistencyRule("org_failing_member", ORG_WITH_FAILING_MEMBER, Level.HTT, enabled=False,
                        text="Tổ chức đảng có đảng viên KHTNV không được xếp loại HTXSNV."),
    )
    probationary: str = RATED  # probationary all year (admitted in the year before the reference date)
    new_member: str = NOT_RATED  # admitted less than `new_member_months` before the reference date
    new_member_months: int = 6
    exempt: str = NOT_RATED  # miễn sinh hoạt on the reference date

    def allowed(self, level: Level, cap: Level) -> bool:
        return level.rank >= cap.rank


def _to_json(rules: RatingRules) -> dict:
    data = dataclasses.asdict(rules)
    data["consistency"] = [{**dataclasses.asdict(r), "highest": r.highest.value} for r in rules.consistency]
    return data


def _from_json(data: dict) -> RatingRules:
    default = RatingRules()
    return RatingRules(
        version=str(data.get("version", default.version)),
        cap_pct=int(data.get("cap_pct", default.cap_pct)),
        consistency=tuple(ConsistencyRule(str(r["code"]), str(r["condition"]), Level(r["highest"]),
                                          bool(r.get("enabled", True)), str(r.get("text", "")))
                          for r in data["consistency"]) if "consistency" in data else default.consistency,
        probationary=str(data.get("probationary", default.probationary)),
        new_member=str(data.get("new_member", default.new_member)),
        new_member_months=int(data.get("new_member_months", default.new_member_months)),
        exempt=str(data.get("exempt", default.exempt)),
    )


def load_rules(session: Session) -> RatingRules:
    stored = read_setting(session, SETTING_KEY)
    return _from_json(stored) if stored else RatingRules()


def save_rules(session: Session, rules: RatingRules) -> RatingRules:
    """Store edited rules (administrator); the findings follow them from the next check."""
    require(session, Permission.SETTINGS)
    problems = []
    if not 0 <= rules.cap_pct <= 100:
        problems.append("Tỷ lệ HTXSNV tối đa phải từ 0 đến 100%.")
    if any(r.condition not in CONDITIONS for r in rules.consistency):
        problems.append("Điều kiện của quy tắc nhất quán không có trong danh sách điều kiện phần mềm kiểm tra được.")
    if any(value not in (RATED, NOT_RATED) for value in (rules.probationary, rules.new_member, rules.exempt)):
        problems.append("Cách tính đảng viên dự bị, mới kết nạp, miễn sinh hoạt chỉ là “xếp loại” hoặc "
                        "“không xếp loại”.")
    if not 0 <= rules.new_member_months <= 24:
        problems.append("Số tháng tính là đảng viên mới kết nạp phải từ 0 đến 24.")
    if problems:
        raise ValidationError(" ".join(problems), code="invalid_rating_rules")
    rules = dataclasses.replace(rules, consistency=tuple(dataclasses.replace(r, text=nfc(r.text))
                                                         for r in rules.consistency))
    before = _to_json(load_rules(session))
    write_setting(session, SETTING_KEY, _to_json(rules))
    record(session, action="ratings.rules", target="Quy định xếp loại chất lượng", before=before,
           after=_to_json(rules))
    return rules


def rules_json(rules: RatingRules) -> dict:
    return _to_json(rules)


def rules_from_json(data: object) -> RatingRules:
    """Rules as `rules_json` writes them (an administrator's edited file); every wrong shape refused in words."""
    try:
        if not isinstance(data, dict):
            raise TypeError
        return _from_json(data)
    except (KeyError, TypeError, ValueError):
        levels = ", ".join(level.value for level in Level)
        raise ValidationError("Tệp quy định xếp loại không đúng dạng: cần cap_pct (số), consistency (danh sách quy "
                              f"tắc có code, condition, highest là một trong {levels}, enabled, text), probationary, "
                              "new_member, exempt (rated hoặc not_rated), new_member_months.",
                              code="invalid_rating_rules") from None
