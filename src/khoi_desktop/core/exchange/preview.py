"""What an item of a received package would change at the office, read against the office's own records:
the changes, a conflict shown side by side (the office's version and the package's), or the problems for
which accepting it would be refused. Reads only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import KhoiError, RequestRefused
from khoi_desktop.core.exchange.state import member_record
from khoi_desktop.core.models import Decision, DecisionStatus, Member, Organization
from khoi_desktop.core.text import show_date

MEMBER_LABELS = {
    "code": "Mã đảng viên", "family_name": "Họ", "middle_name": "Tên đệm", "given_name": "Tên", "sex": "Giới tính",
    "birth_date": "Ngày sinh", "hometown": "Quê quán", "ethnicity": "Dân tộc", "religion": "Tôn giáo",
    "national_id": "Số CCCD", "card_number": "Số thẻ đảng viên", "so_ly_lich": "Số lý lịch",
    "admitted_on": "Ngày vào Đảng", "full_member_on": "Ngày chính thức", "exempt_since": "Miễn sinh hoạt từ ngày",
    "education": "Trình độ học vấn", "theory_level": "Trình độ lý luận chính trị", "job_title": "Chức vụ",
    "agency": "Cơ quan, đơn vị"}


@dataclass
class Preview:
    title: str
    ref: str
    changes: list[str] = field(default_factory=list)
    conflict: dict[str, Any] | None = None  # {"message", "office", "package", "differences"}
    problems: list[str] = field(default_factory=list)  # accepting would be refused for these


def _show(value: Any) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return show_date(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def preview_decision(session: Session, data: dict[str, Any], sender: str, today: dt.date) -> Preview:
    from khoi_desktop.core.apply import prepare
    from khoi_desktop.core.request_json import load_request

    code = str(data.get("code"))
    result = Preview(f"Quyết định số {code} ngày {_show(data.get('issued_on'))} {data.get('subject', '')}".strip(),
                     code)
    from_office = not sender  # at the grassroots: the office's decision, from its downward package
    if from_office:
        twin = session.scalar(select(Decision.id).where(Decision.issuer_id.is_(None), Decision.code == code,
                                                        Decision.status == DecisionStatus.ISSUED))
    else:
        twin = session.scalar(select(Decision.id).join(Organization, Organization.id == Decision.issuer_id).where(
            Organization.code == sender, Decision.code == code, Decision.status == DecisionStatus.ISSUED))
    if twin is not None:
        result.problems.append(f"Quyết định số {code} đã được ghi nhận " + ("ở cơ sở." if from_office
                                                                             else "ở Văn phòng."))
        return result
    request_data = data.get("request") or {}
    office_side = {}
    for key in ("org", "orgs", "into"):
        value = request_data.get(key)
        for ref in value if isinstance(value, list) else [value]:
            if isinstance(ref, str):
                office_side[ref] = _org_view(session, ref, today)
    try:
        from khoi_desktop.core.exchange.mode import recording_office_decision

        nested = session.begin_nested()  # preparing reads only; the savepoint makes sure of it
        try:
            if from_office:
                with recording_office_decision(session):
                    prepared = prepare(session, load_request(json.dumps(request_data)), today=today)
            else:
                prepared = prepare(session, load_request(json.dumps(request_data)), today=today)
        finally:
            nested.rollback()
    except KhoiError as exc:
        problems = exc.problems if isinstance(exc, RequestRefused) else [exc.problem]
        result.problems += [message for _, message in problems]
        result.conflict = {"message": "Quyết định không khớp với dữ liệu ở cơ sở." if from_office else
                           "Yêu cầu không còn khớp với dữ liệu của Văn phòng.",
                           "office": office_side, "package": request_data, "differences": result.problems,
                           "rows": [[code, _org_words(view), "theo quyết định của cơ sở"]
                                    for code, view in office_side.items()]}
        return result
    first = prepared.content.articles[0].paragraphs if prepared.content.articles else []
    result.changes += [" ".join(p.split()) for p in first]
    result.changes += [f"Tổ chức mới: {o.name} (mã {o.code})" for o in prepared.created]
    result.changes += [f"Lưu ý: {message}" for _, message in prepared.warnings]
    return result


def _org_view(session: Session, code: str, today: dt.date) -> dict[str, Any]:
    from khoi_desktop.core.members import members_of

    org = session.scalar(select(Organization).where(Organization.code == code))
    if org is None:
        return {"name": None, "members": None}
    return {"name": org.name, "members": len(members_of(session, [org.id], today)),
            "ended_on": org.ended_on.isoformat() if org.ended_on else None}


def _org_words(view: dict[str, Any]) -> str:
    if view.get("name") is None:
        return "(không có)"
    ended = f", đã kết thúc ngày {_show(view['ended_on'])}" if view.get("ended_on") else ""
    return f"{view['name']}: {view['members']} đảng viên{ended}"


def preview_meeting(session: Session, data: dict[str, Any], today: dt.date) -> Preview:
    from khoi_desktop.core.meetings.models import MeetingKind
    from khoi_desktop.core.meetings.recording import differences, meeting_from_json, stored_view, validate

    kind = MeetingKind(data["kind"]) if data.get("kind") in ("thuong_ky", "chuyen_de") else None
    ref = f"{data.get('org')} {data.get('month', '')}"
    result = Preview(f"Sinh hoạt {kind.label.lower() if kind else ''} tháng {_month(data.get('month'))} của "
                     f"{data.get('org')}", ref)
    try:
        plan = validate(session, meeting_from_json(data), today=today)
    except KhoiError as exc:
        problems = exc.problems if isinstance(exc, RequestRefused) else [exc.problem]
        result.problems += [message for _, message in problems]
        return result
    result.title = f"Sinh hoạt {plan.input.kind.label.lower()} tháng {_month(data.get('month'))} của {plan.org_name}"
    new = plan.view()
    if plan.existing_id is not None:
        old = stored_view(session, plan.existing_id)
        lines = differences(old, new)
        if lines:
            result.conflict = {"message": "Văn phòng đã có cuộc sinh hoạt này với nội dung khác: chấp nhận sẽ thay "
                                          "bản của Văn phòng bằng bản của cơ sở.",
                               "office": old, "package": new, "differences": lines,
                               "rows": [[label, *change.split(" → ", 1)] for label, _, change in
                                        (line.partition(": ") for line in lines) if " → " in change]}
            result.changes = lines
        return result
    counts = plan.counts
    result.changes.append(f"Ghi mới: ngày họp {_show(new['held_on'])}, có mặt {counts.get('present', 0)}/"
                          f"{counts.get('expected', 0)}"
                          + (f", xếp loại {plan.rating.label}" if plan.rating else "") + ".")
    return result


def _month(value: Any) -> str:
    text = str(value or "")
    return f"{text[5:7]}/{text[:4]}" if len(text) >= 7 else text


def preview_member(session: Session, data: dict[str, Any]) -> Preview:
    code = str(data.get("code"))
    member = session.scalar(select(Member).where(Member.code == code))
    result = Preview(f"Thay đổi thông tin đảng viên {code}", code)
    if member is None:
        result.problems.append(f"Văn phòng không có đảng viên mã {code}.")
        return result
    result.title = f"Thay đổi thông tin đảng viên {member.full_name} ({code})"
    ours = member_record(member)
    before, after = data.get("before") or {}, data.get("after") or {}
    clashes = []
    for key in data.get("fields") or []:
        if key not in ours:
            continue
        label = MEMBER_LABELS.get(key, key)
        if ours[key] == after.get(key):
            continue
        if ours[key] == before.get(key):
            result.changes.append(f"{label}: {_show(ours[key])} → {_show(after.get(key))}")
        else:
            clashes.append({"field": label, "base": before.get(key), "office": ours[key], "package": after.get(key)})
            result.changes.append(f"{label}: {_show(ours[key])} → {_show(after.get(key))} (Văn phòng cũng đã sửa)")
    if clashes:
        result.conflict = {"message": "Cả Văn phòng và cơ sở đã sửa thông tin này từ lần trao đổi trước.",
                           "office": {c["field"]: c["office"] for c in clashes},
                           "package": {c["field"]: c["package"] for c in clashes},
                           "differences": [f"{c['field']}: lần trước {_show(c['base'])}; Văn phòng "
                                           f"{_show(c['office'])}; cơ sở {_show(c['package'])}" for c in clashes],
                           "rows": [[c["field"], _show(c["office"]), _show(c["package"])] for c in clashes]}
    return result


def preview(session: Session, kind: str, data: dict[str, Any], sender: str, today: dt.date) -> Preview:
    if kind == "decision":
        return preview_decision(session, data, sender, today)
    if kind == "meeting":
        return preview_meeting(session, data, today)
    if kind == "member":
        return preview_member(session, data)
    if kind == "submission":
        from khoi_desktop.core.exchange.submissions import preview_submission

        return preview_submission(session, data)
    if kind == "rating":
        from khoi_desktop.core.exchange.ratings import preview_rating

        return preview_rating(session, data)
    return Preview(f"Mục loại «{kind}» phần mềm chưa biết", kind,
                   problems=["Phiên bản này chưa nhận được loại mục này: hãy cài phiên bản mới."])
