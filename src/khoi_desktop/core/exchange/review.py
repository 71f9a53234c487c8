"""Reviewing a received item: accepted through the same path as if a clerk entered it here (the request
recorded as the đảng ủy's decision, the meeting recorded, the member's record changed), with the same checks,
effects and audit; or returned with a reason. A conflict is accepted only with a reason saying why the
grassroots version wins."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.decisions import PdfRenderer
from khoi_desktop.core.errors import NotFoundError, RequestRefused, ValidationError
from khoi_desktop.core.exchange.models import ExchangeItem
from khoi_desktop.core.exchange.preview import Preview, preview
from khoi_desktop.core.exchange.receive import ACCEPTED, PENDING, RETURNED, STATUS_LABELS, ItemView
from khoi_desktop.core.exchange.rows import MEMBER_NAME_FIELDS, column_values
from khoi_desktop.core.models import Member
from khoi_desktop.core.text import fold, full_name, name_sort_key, nfc

VERDICTS = ("accept", "return")


def find_item(session: Session, item_id: int) -> ExchangeItem:
    item = session.get(ExchangeItem, item_id)
    if item is None:
        raise NotFoundError(f"Không có mục trao đổi số {item_id}.", code="item_not_found")
    return item


def item_view(session: Session, item: ExchangeItem, today: dt.date) -> ItemView:
    """The item with its proposed changes read again now (the office's records may have moved on)."""
    data = json.loads(item.payload)
    if item.status == PENDING:
        shown = preview(session, item.kind, data, item.package.peer_code or "", today)
    elif item.kind == "subtree":  # at the grassroots: the differences found when the package came
        from khoi_desktop.core.exchange.downward import subtree_preview

        shown = subtree_preview(list(data.get("differences") or []))
    else:
        shown = Preview(item.title, item.ref)
    return ItemView(item.id, item.kind, item.status, shown, item.reason, item.result, item_files(item))


def item_files(item: ExchangeItem) -> list[tuple[str, str]]:
    """(name, SHA-256) of what the item carries: its one file (a decision's scan, a document) and named files."""
    own = [(_file_name(item), item.attachment_sha256)] if item.attachment_sha256 is not None else []
    return own + [(f.name, f.sha256) for f in item.files]


def _file_name(item: ExchangeItem) -> str:
    data = json.loads(item.payload)
    if isinstance(data, dict) and data.get("file_name"):
        return str(data["file_name"])
    return f"{item.ref or item.kind}.pdf".replace("/", "-")


def item_file(session: Session, item_id: int, number: int) -> tuple[str, bytes]:
    """The item's file `number` (from 1, in the order item_files lists them): (name, content)."""
    item = find_item(session, item_id)
    files = ([(_file_name(item), item.attachment)] if item.attachment is not None else []) + \
        [(f.name, f.content) for f in item.files]
    if not files:
        raise ValidationError(f"Mục số {item.id} ({item.title}) không có tệp kèm theo.", code="no_attachment")
    if not 1 <= number <= len(files):
        raise ValidationError(f"Mục số {item.id} không có tệp số {number} (có {len(files)} tệp).",
                              code="no_attachment")
    return files[number - 1]


def pending_items(session: Session, today: dt.date, *, all_items: bool = False) -> list[ItemView]:
    query = select(ExchangeItem).order_by(ExchangeItem.id)
    if not all_items:
        query = query.where(ExchangeItem.status == PENDING)
    return [item_view(session, item, today) for item in session.scalars(query)]


def review(session: Session, item_id: int, verdict: str, *, reason: str | None, actor: str, today: dt.date,
           render: PdfRenderer, now: dt.datetime | None = None) -> ItemView:
    item = find_item(session, item_id)
    if item.status != PENDING:
        if item.reviewed_at is None:  # a received item, kept to read or save
            raise ValidationError(f"Mục số {item.id} ({item.title}) là mục nhận để xem hoặc lưu: không có gì để xét.",
                                  code="item_reviewed")
        raise ValidationError(f"Mục số {item.id} ({item.title}) {STATUS_LABELS[item.status]} ngày "
                              f"{item.reviewed_at:%d/%m/%Y}: không xét lại.", code="item_reviewed")
    reason = nfc(reason).strip() if reason else None
    now = (now or dt.datetime.now()).replace(microsecond=0)
    if verdict == "return":
        require(session, Permission.IMPORT)
        if not reason:
            raise ValidationError("Trả lại một mục cần ghi lý do để cơ sở biết phải sửa gì.", code="reason_needed")
        item.status, item.reason = RETURNED, reason
    elif verdict == "accept":
        shown = preview(session, item.kind, json.loads(item.payload), item.package.peer_code or "", today)
        if shown.problems and shown.conflict is None:
            raise RequestRefused([("item_refused", p) for p in shown.problems])
        if shown.conflict is not None and not reason:
            raise ValidationError(f"Mục số {item.id} xung đột với dữ liệu của Văn phòng ({shown.conflict['message']}) "
                                  "Hãy xem hai bên rồi chấp nhận kèm lý do, hoặc trả lại.", code="conflict")
        item.result = _accept(session, item, actor=actor, today=today, render=render)
        item.status, item.reason = ACCEPTED, reason
    else:
        raise ValidationError(f"Chỉ chấp nhận (accept) hoặc trả lại (return), không phải «{verdict}».",
                              code="invalid_verdict")
    item.reviewed_by, item.reviewed_at = actor, now
    session.flush()
    record(session, actor=actor, action=f"exchange.{verdict}", target=f"mục {item.id}: {item.title}"[:300],
           after={"reason": item.reason, "result": item.result})
    return ItemView(item.id, item.kind, item.status, Preview(item.title, item.ref), item.reason, item.result,
                    item_files(item))


def _accept(session: Session, item: ExchangeItem, *, actor: str, today: dt.date, render: PdfRenderer) -> str | None:
    data = json.loads(item.payload)
    if item.kind == "decision":
        return _accept_decision(session, item, data, actor=actor, today=today, render=render)
    if item.kind == "meeting":
        from khoi_desktop.core.meetings.recording import meeting_from_json, record_meeting

        record_meeting(session, meeting_from_json(data), replace=True, actor=actor, today=today)
        return None
    if item.kind == "member":
        return _accept_member(session, data, actor=actor)
    if item.kind == "submission":
        from khoi_desktop.core.exchange.submissions import accept_submission

        return accept_submission(session, data, [(f.name, f.content) for f in item.files], actor=actor,
                                 today=today)
    if item.kind == "rating":
        from khoi_desktop.core.exchange.ratings import accept_rating

        accept_rating(session, data, actor=actor)
        return None
    raise ValidationError("Phiên bản này chưa nhận được loại mục này.", code="unknown_item")


def _accept_decision(session: Session, item: ExchangeItem, data: dict[str, Any], *, actor: str, today: dt.date,
                     render: PdfRenderer) -> str | None:
    from khoi_desktop.core.apply import apply_request
    from khoi_desktop.core.request_json import load_request

    request_data = dict(data["request"])
    with tempfile.TemporaryDirectory() as folder:
        if item.attachment is not None:
            scan = Path(folder) / "ban-chup.pdf"
            scan.write_bytes(item.attachment)
            request_data["recorded"] = {**request_data["recorded"], "scan": str(scan)}
        if item.package.peer_code is None:  # at the grassroots: the office's decision, recorded as signed
            from khoi_desktop.core.exchange.mode import recording_office_decision

            with recording_office_decision(session):
                decision, _ = apply_request(session, load_request(json.dumps(request_data)), actor=actor,
                                            today=today, issue=True, render=render)
        else:
            decision, _ = apply_request(session, load_request(json.dumps(request_data)), actor=actor, today=today,
                                        issue=True, render=render)
    return decision.code


def _accept_member(session: Session, data: dict[str, Any], *, actor: str) -> str:
    require(session, Permission.IMPORT)
    member = session.scalar(select(Member).where(Member.code == data["code"]))
    assert member is not None  # the preview found it
    after = column_values(Member, {k: v for k, v in (data.get("after") or {}).items() if k != "code"})
    before = {key: getattr(member, key) for key in after}
    for key, value in after.items():
        setattr(member, key, nfc(value) if isinstance(value, str) else value)
    if any(key in MEMBER_NAME_FIELDS for key in after):
        member.search_key = fold(full_name(member.family_name, member.middle_name, member.given_name))
        member.sort_key = name_sort_key(member.family_name, member.middle_name, member.given_name)
    session.flush()
    record(session, actor=actor, action="member.update", target=f"{member.code} {member.full_name}",
           before=before, after=after)
    return member.code
