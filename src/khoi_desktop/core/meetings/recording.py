"""Recording a meeting: validated against the chi bộ and its members as they were on the meeting's day.

A meeting belongs to a chi bộ and a month; the people expected are the chi bộ's members on the day it was
held (or planned), so after a split or a move the old months stay with the old chi bộ and its members of
then. Every problem is collected and reported in Vietnamese; nothing is written unless all is well.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.current import current_user
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.codes import any_case, stored_code
from khoi_desktop.core.errors import OrgNotFound, RequestRefused, ValidationError
from khoi_desktop.core.meetings.criteria import load_sheets, score
from khoi_desktop.core.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingKind, Rating
from khoi_desktop.core.members import MemberRow, members_of
from khoi_desktop.core.models import Member, MemberStatus, Organization
from khoi_desktop.core.request_json import _enum_member
from khoi_desktop.core.text import code_text, date_form_hint, nfc_or_none, parse_date, show_date

MAX_TEXT = 5000


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_label(month: dt.date) -> str:
    return f"tháng {month.month:02d}/{month.year}"


def parse_month(text: str) -> dt.date:
    """'YYYY-MM' -> the first day of that month."""
    try:
        year, month = text.strip().split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise ValidationError(f"Tháng “{text}” không đúng dạng YYYY-MM (ví dụ 2026-03).",
                              code="invalid_month") from None


@dataclass(frozen=True)
class AttendanceInput:
    member: str  # code
    status: AttendanceStatus
    reason: str | None = None


@dataclass(frozen=True)
class MeetingInput:
    """A meeting as the dialog, the CLI's JSON or a return workbook gives it (organizations and members by code)."""

    org: str
    kind: MeetingKind
    planned_on: dt.date | None = None
    held_on: dt.date | None = None
    month: dt.date | None = None  # default: the month of planned_on, else of held_on
    topic: str | None = None
    chair: str | None = None
    summary: str | None = None
    resolutions: str | None = None
    attendance: tuple[AttendanceInput, ...] = ()
    scores: dict[str, int] | None = None

    @property
    def day(self) -> dt.date | None:
        """The day the chi bộ's members are taken from."""
        return self.held_on or self.planned_on

    @property
    def the_month(self) -> dt.date | None:
        if self.month is not None:
            return month_start(self.month)
        day = self.planned_on or self.held_on
        return month_start(day) if day else None


@dataclass
class MeetingPlan:
    """A validated meeting, ready to write."""

    input: MeetingInput
    org_id: int
    org_code: str
    org_name: str
    month: dt.date
    roster: list[MemberRow]
    attendance: list[AttendanceInput]
    chair_id: int | None
    points: int | None
    rating: Rating | None
    sheet: str | None
    existing_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def view(self) -> dict[str, Any]:
        """What the meeting says, for showing differences and for the audit trail."""
        i = self.input
        return {"org": self.org_code, "month": self.month.isoformat()[:7], "kind": i.kind.value,
                "planned_on": _iso(i.planned_on), "held_on": _iso(i.held_on), "topic": i.topic, "chair": i.chair,
                "summary": i.summary, "resolutions": i.resolutions, "scores": i.scores, "points": self.points,
                "rating": self.rating.value if self.rating else None,
                "attendance": {a.member: [a.status.value, a.reason] for a in self.attendance}}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- JSON (the CLI's MEETING.json) ------------------------------------------------------------------

_FIELDS = {"org", "kind", "planned_on", "held_on", "month", "topic", "chair", "summary", "resolutions", "attendance",
           "scores"}
_JSON_LABELS = {"org": "mã chi bộ", "kind": "loại sinh hoạt", "planned_on": "ngày dự kiến", "held_on": "ngày họp",
                "month": "tháng", "topic": "chủ đề", "chair": "người chủ trì", "summary": "tóm tắt nội dung",
                "resolutions": "nghị quyết"}


def meeting_from_json(data: object) -> MeetingInput:
    """Parse the CLI's JSON; every problem is named, none is guessed."""
    problems: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        raise RequestRefused([("invalid_json", "Tệp cuộc họp phải là một đối tượng JSON {…}.")])
    for key in sorted(set(data) - _FIELDS):
        problems.append(("unknown_field", f"Trường “{key}” không có trong mẫu ghi cuộc họp."))

    def text(key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.append(("missing_field", f"Thiếu {_JSON_LABELS[key]} (trường “{key}”)."))
            return None
        if not isinstance(value, str):
            problems.append(("invalid_field", f"{_JSON_LABELS[key].capitalize()} (trường “{key}”) phải là chuỗi."))
            return None
        return nfc_or_none(value.strip())

    def date(key: str) -> dt.date | None:
        value = text(key)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            problems.append(("invalid_date", f"{_JSON_LABELS[key].capitalize()} “{value}” không hợp lệ: "
                                             f"{date_form_hint(value)}."))
            return None

    org = text("org", required=True)
    org = code_text(org) if org is not None else None  # «cb01 » is CB01, as in every request
    kind_text = text("kind", required=True)
    kind = None
    if kind_text is not None:
        # As request values are read: «Thường kỳ», «thuong ky», «CHUYEN_DE» (it took only «thuong_ky» as written).
        kind = _enum_member(MeetingKind, kind_text)
        if kind is None:
            problems.append(("invalid_kind", f"Loại sinh hoạt “{kind_text}” không hợp lệ: ghi thuong_ky (thường kỳ) "
                                             "hoặc chuyen_de (chuyên đề)."))
    month = None
    month_text = text("month")
    if month_text is not None:
        try:
            month = parse_month(month_text)
        except ValidationError as exc:
            problems.append((exc.code, exc.message))
    attendance: list[AttendanceInput] = []
    rows = data.get("attendance") or []
    if not isinstance(rows, list):
        problems.append(("invalid_field", "Điểm danh (trường “attendance”) phải là một danh sách."))
        rows = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("member"), str):
            problems.append(("invalid_attendance", f"Điểm danh, mục {n}: cần “member” (mã đảng viên) và “status”."))
            continue
        status = _enum_member(AttendanceStatus, row.get("status"))  # «present» or «Có mặt», «vắng»
        if status is None:
            problems.append(("invalid_attendance", f"Điểm danh, mục {n} ({row['member']}): tình trạng "
                                                   f"“{row.get('status')}” không hợp lệ: ghi present (có mặt), absent "
                                                   "(vắng) hoặc excused (miễn sinh hoạt)."))
            continue
        reason = row.get("reason")
        if reason is not None and not isinstance(reason, str):
            problems.append(("invalid_attendance", f"Điểm danh, mục {n}: lý do phải là chuỗi."))
            reason = None
        attendance.append(AttendanceInput(code_text(row["member"]), status, nfc_or_none((reason or "").strip())))
    scores = data.get("scores")
    if scores is not None and not isinstance(scores, dict):
        problems.append(("invalid_scores", "Điểm (trường “scores”) phải là một đối tượng {mã tiêu chí: điểm}."))
        scores = None
    values = {key: text(key) for key in ("topic", "chair", "summary", "resolutions")}
    values["chair"] = code_text(values["chair"]) if values["chair"] else None  # a code, read as attendance's are
    planned_on, held_on = date("planned_on"), date("held_on")
    if problems or org is None or kind is None:
        raise RequestRefused(problems)
    return MeetingInput(org=org, kind=kind, planned_on=planned_on, held_on=held_on, month=month,
                        attendance=tuple(attendance), scores=scores, **values)


# --- validation ---------------------------------------------------------------------------------------

def roster(session: Session, org_id: int, day: dt.date) -> list[MemberRow]:
    """The chi bộ's members on `day`, in name order."""
    return members_of(session, [org_id], day)


def validate(session: Session, meeting: MeetingInput, *, today: dt.date | None = None) -> MeetingPlan:
    """Check a meeting against the chi bộ and its members on the day; RequestRefused lists every problem."""
    today = today or dt.date.today()
    problems: list[tuple[str, str]] = []
    org = session.scalar(select(Organization).where(Organization.code == stored_code(session, Organization.code,
                                                                                      meeting.org)))
    if org is None:
        raise RequestRefused([OrgNotFound(meeting.org).problem])
    if not org.kind.is_chi_bo:
        raise RequestRefused([("not_chi_bo", f"{org.name} là {org.kind.label.lower()}: chỉ chi bộ mới ghi sinh hoạt "
                                             "chi bộ.")])
    day, month = meeting.day, meeting.the_month
    if day is None or month is None:
        raise RequestRefused([("no_date", "Cần ngày dự kiến hoặc ngày họp của cuộc sinh hoạt.")])
    if day < org.founded_on:
        problems.append(("before_founded", f"{org.name} thành lập ngày {show_date(org.founded_on)}: không thể có "
                                           f"cuộc sinh hoạt ngày {show_date(day)}."))
    if org.ended_on is not None and day >= org.ended_on:
        problems.append(("after_ended", f"{org.name} đã kết thúc hoạt động từ ngày {show_date(org.ended_on)}: không "
                                        f"thể có cuộc sinh hoạt ngày {show_date(day)}."))
    if meeting.held_on is not None and meeting.held_on > today:
        problems.append(("held_in_future", f"Ngày họp {show_date(meeting.held_on)} chưa đến: cuộc họp chưa diễn ra "
                                           "thì chỉ ghi ngày dự kiến."))
    for key, value in (("topic", meeting.topic), ("summary", meeting.summary), ("resolutions", meeting.resolutions)):
        if value and len(value) > (500 if key == "topic" else MAX_TEXT):
            problems.append(("too_long", f"{_JSON_LABELS[key].capitalize()} quá dài."))
    if meeting.kind is MeetingKind.CHUYEN_DE and meeting.held_on and not meeting.topic:
        problems.append(("no_topic", "Sinh hoạt chuyên đề cần ghi chủ đề (chuyên đề)."))
    if problems:
        raise RequestRefused(problems)
    members = roster(session, org.id, day)
    attendance = _check_attendance(meeting, members, org.name, day, problems)
    chair_id = _check_chair(meeting, members, attendance, problems)
    points = rating = sheet = None
    if meeting.scores is not None:
        if meeting.held_on is None:
            problems.append(("not_held", "Cuộc họp chưa diễn ra (chưa có ngày họp): chưa chấm điểm được."))
        else:
            criteria = load_sheets(session)[meeting.kind]
            result = score(criteria, meeting.scores)
            problems += [("invalid_scores", p) for p in result.problems]
            points, rating, sheet = result.points, result.rating, criteria.version
    if problems:
        raise RequestRefused(problems)
    existing = session.scalar(select(Meeting.id).where(Meeting.org_id == org.id, Meeting.month == month,
                                                       Meeting.kind == meeting.kind))
    plan = MeetingPlan(meeting, org.id, org.code, org.name, month, members, attendance, chair_id, points, rating,
                       sheet, existing)
    plan.counts = _counts(attendance)
    return plan


def _check_attendance(meeting: MeetingInput, members: list[MemberRow], org_name: str, day: dt.date,
                      problems: list[tuple[str, str]]) -> list[AttendanceInput]:
    if meeting.held_on is None:
        if meeting.attendance:
            problems.append(("not_held", "Cuộc họp chưa diễn ra (chưa có ngày họp): chưa điểm danh được."))
        return []
    by_code = any_case({m.code: m for m in members})  # «dv000123» typed in a workbook's row is DV000123
    given: dict[str, AttendanceInput] = {}
    for entry in meeting.attendance:
        member = by_code(entry.member)
        if member is not None:
            entry = AttendanceInput(member.code, entry.status, entry.reason)
        if entry.member in given:
            problems.append(("duplicate_member", f"Đảng viên {entry.member} được điểm danh hai lần."))
        elif member is None:
            problems.append(("not_a_member", f"Đảng viên mã {entry.member} không sinh hoạt tại {org_name} ngày "
                                             f"{show_date(day)}."))
        elif entry.status is AttendanceStatus.EXCUSED and member.status is not MemberStatus.MIEN_SINH_HOAT:
            problems.append(("not_exempt", f"{member.full_name} ({member.code}) không được miễn sinh hoạt: có mặt "
                                           "hoặc vắng (ghi lý do nếu có)."))
        given[entry.member] = entry
    result = []
    for member in members:
        found = given.get(member.code)
        if found is None and member.status is MemberStatus.MIEN_SINH_HOAT:
            found = AttendanceInput(member.code, AttendanceStatus.EXCUSED)
        if found is None:
            problems.append(("missing_member", f"Chưa điểm danh {member.full_name} ({member.code})."))
            continue
        if found.status is not AttendanceStatus.ABSENT and found.reason:
            found = AttendanceInput(found.member, found.status, None)
        result.append(found)
    return result


def _check_chair(meeting: MeetingInput, members: list[MemberRow], attendance: list[AttendanceInput],
                 problems: list[tuple[str, str]]) -> int | None:
    if not meeting.chair:
        return None
    member = any_case({m.code: m for m in members})(meeting.chair)
    if member is None:
        problems.append(("chair_not_member", f"Người chủ trì (mã {meeting.chair}) không phải đảng viên của chi bộ "
                                             "ngày họp."))
        return None
    present = {a.member for a in attendance if a.status is AttendanceStatus.PRESENT}
    if meeting.held_on is not None and member.code not in present:
        problems.append(("chair_absent", f"Người chủ trì {member.full_name} không có mặt theo điểm danh."))
    return member.id


def _counts(attendance: list[AttendanceInput]) -> dict[str, int]:
    present = sum(a.status is AttendanceStatus.PRESENT for a in attendance)
    absent = sum(a.status is AttendanceStatus.ABSENT for a in attendance)
    unexcused = sum(a.status is AttendanceStatus.ABSENT and not a.reason for a in attendance)
    excused = sum(a.status is AttendanceStatus.EXCUSED for a in attendance)
    return {"expected": present + absent, "present": present, "absent": absent, "absent_unexcused": unexcused,
            "excused": excused}


# --- reading back and differences ---------------------------------------------------------------------

def stored_view(session: Session, meeting_id: int) -> dict[str, Any]:
    """A stored meeting in the same shape as MeetingPlan.view()."""
    row = session.get(Meeting, meeting_id)
    assert row is not None
    org_code = session.scalar(select(Organization.code).where(Organization.id == row.org_id))
    chair = session.scalar(select(Member.code).where(Member.id == row.chair_id)) if row.chair_id else None
    attendance = {code: [status.value, reason] for code, status, reason in session.execute(
        select(Member.code, Attendance.status, Attendance.reason).join(Member, Member.id == Attendance.member_id)
        .where(Attendance.meeting_id == meeting_id))}
    return {"org": org_code, "month": row.month.isoformat()[:7], "kind": row.kind.value,
            "planned_on": _iso(row.planned_on), "held_on": _iso(row.held_on), "topic": row.topic, "chair": chair,
            "summary": row.summary, "resolutions": row.resolutions,
            "scores": json.loads(row.scores) if row.scores else None, "points": row.points,
            "rating": row.rating.value if row.rating else None, "attendance": attendance}


_VIEW_LABELS = {"planned_on": "Ngày dự kiến", "held_on": "Ngày họp", "topic": "Chủ đề", "chair": "Người chủ trì",
                "summary": "Tóm tắt nội dung", "resolutions": "Nghị quyết", "points": "Tổng điểm",
                "rating": "Xếp loại"}
_STATUS_WORDS = {"present": "có mặt", "absent": "vắng", "excused": "miễn sinh hoạt"}


def _show(key: str, value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if key in ("planned_on", "held_on"):
        return show_date(dt.date.fromisoformat(value))
    if key == "rating":
        return Rating(value).label
    return str(value)


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What replacing `old` by `new` would change, one Vietnamese line each."""
    lines = [f"{label}: {_show(key, old.get(key))} → {_show(key, new.get(key))}"
             for key, label in _VIEW_LABELS.items() if old.get(key) != new.get(key)]
    if old.get("scores") != new.get("scores") and old.get("points") == new.get("points"):
        lines.append("Điểm từng tiêu chí thay đổi.")
    old_att, new_att = old.get("attendance", {}), new.get("attendance", {})
    for code in sorted(set(old_att) | set(new_att)):
        before, after = old_att.get(code), new_att.get(code)
        if before != after:
            lines.append(f"Điểm danh {code}: {_attendance_words(before)} → {_attendance_words(after)}")
    return lines


def _attendance_words(entry: list[Any] | None) -> str:
    if entry is None:
        return "(không có)"
    status, reason = entry
    word = _STATUS_WORDS[status]
    if status == "absent":
        word += f" ({reason})" if reason else " không lý do"
    return word


# --- writing ------------------------------------------------------------------------------------------

class MeetingExists(ValidationError):
    """The month already has this meeting: replacing it must be asked for; `changes` says what would change."""

    code = "meeting_exists"

    def __init__(self, headline: str, changes: list[str]) -> None:
        super().__init__(headline + " " + _changed_parts(changes))
        self.headline = headline  # which chi bộ, which meeting, which month, when it was held
        self.changes = changes


def _changed_parts(changes: list[str]) -> str:
    """What the new content changes, named by its parts, not listed in full (`changes` holds every line): the
    refusal repeated up to 20 of them, a screenful for a new roll call."""
    if not changes:
        return "Nội dung mới giống hệt nội dung đã ghi."
    roll_call = sum(line.startswith("Điểm danh ") for line in changes)
    parts = [line.split(":")[0].rstrip(".") for line in changes if not line.startswith("Điểm danh ")]
    if roll_call:
        parts.append(f"điểm danh {roll_call} đảng viên")
    return f"Nội dung mới khác ở: {', '.join(part[:1].lower() + part[1:] for part in parts)}."


def _actor(session: Session, actor: str | None) -> str:
    user = current_user(session)
    return actor or (user.username if user else "system")


def save_plan(session: Session, plan: MeetingPlan, *, actor: str | None = None, replace: bool = False,
              audit: bool = True, now: dt.datetime | None = None) -> int:
    """Write one validated meeting (replacing the month's own only when asked); returns its id."""
    i = plan.input
    before = None
    if plan.existing_id is not None:
        before = stored_view(session, plan.existing_id)
        if not replace:
            changes = differences(before, plan.view())
            day = (f", họp ngày {_show('held_on', before['held_on'])}" if before.get("held_on") else
                   f", dự kiến ngày {_show('planned_on', before['planned_on'])}" if before.get("planned_on") else "")
            raise MeetingExists(f"{plan.org_name} ({plan.org_code}) đã có cuộc sinh hoạt {i.kind.label.lower()} "
                                f"{month_label(plan.month)}{day}.", changes)
        session.execute(delete(Attendance).where(Attendance.meeting_id == plan.existing_id))
        session.execute(delete(Meeting).where(Meeting.id == plan.existing_id))
    row = Meeting(org_id=plan.org_id, month=plan.month, kind=i.kind, planned_on=i.planned_on, held_on=i.held_on,
                  topic=i.topic, chair_id=plan.chair_id, summary=i.summary, resolutions=i.resolutions,
                  scores=json.dumps(i.scores, ensure_ascii=False, sort_keys=True) if i.scores is not None else None,
                  points=plan.points, rating=plan.rating, sheet=plan.sheet, entered_by=_actor(session, actor),
                  entered_at=now or dt.datetime.now(), **plan.counts)
    session.add(row)
    session.flush()
    ids = {m.code: m.id for m in plan.roster}
    if plan.attendance:
        session.execute(insert(Attendance), [
            {"meeting_id": row.id, "member_id": ids[a.member], "status": a.status, "reason": a.reason}
            for a in plan.attendance])
    if audit:
        record(session, action="meetings.replace" if before else "meetings.record",
               target=f"{plan.org_code} – {plan.org_name}, {i.kind.label.lower()} {month_label(plan.month)}",
               before=before, after=plan.view())
    return row.id


def save_return(session: Session, plans: list[MeetingPlan], *, actor: str | None, target: str,
                after: dict[str, Any]) -> int:
    """Every meeting of a monthly return (validated, replacements confirmed), audited as one import."""
    require(session, Permission.MEETINGS)
    for plan in plans:
        save_plan(session, plan, actor=actor, replace=True, audit=False)
    record(session, actor=actor, action="meetings.import", target=target, after=after)  # type: ignore[arg-type]
    return len(plans)


def record_meeting(session: Session, meeting: MeetingInput, *, replace: bool = False, actor: str | None = None,
                   today: dt.date | None = None) -> int:
    """Validate and write one meeting in the caller's transaction (clerk role); audited."""
    require(session, Permission.MEETINGS)
    plan = validate(session, meeting, today=today)
    return save_plan(session, plan, actor=actor, replace=replace)
