"""Issuing-body settings and thresholds: data an administrator edits, with sensible defaults."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from khoi_desktop.core.engines.sqlite import is_raw_connection
from khoi_desktop.core.text import nfc

# Plain data at import: the window's first overview reads the settings through plain sqlite3
# (Database.plain_reading) before the ORM has loaded; the ORM parts are imported where used.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass
class Signer:
    name: str
    title: str  # "BÍ THƯ", "PHÓ BÍ THƯ"


@dataclass
class Thresholds:
    """Charter figures (DOMAIN.md §2–3); revised rules change these values, not code."""

    min_full_members: int = 3
    chi_bo_max_members: int = 30
    tccsd_dang_bo_min_members: int = 30
    btv_min_committee: int = 9
    chi_uy_min_full_members: int = 9
    chi_uy_max_size: int = 7
    probation_months: int = 12
    effective_max_days_ahead: int = 366  # a decision takes effect at most this long after today
    meeting_absence_limit: int = 3  # Điều lệ Đảng, Điều 8: absences without a valid reason in a calendar year
    meeting_lookback_months: int = 12  # finished months the meeting findings look at
    # Admissions each year: at least this share of the members at the start of the term (the congress's target).
    admission_target_percent: float = 3.0


DEFAULT_CAN_CU = [
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "Căn cứ Quy định số 294-QĐ/TW, ngày 26/5/2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
    "Căn cứ Hướng dẫn số 06-HD/TW, ngày 09/6/2025 của Ban Bí thư hướng dẫn một số vấn đề cụ thể "
    "thi hành Điều lệ Đảng;",
    "Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh nhiệm kỳ 2025 - 2030;",
]


# Reported to the directly superior committee itself (DOMAIN.md §2: the Tỉnh ủy above this office), its Ban Tổ chức
# keeping the records, as a đảng ủy cơ sở's decisions report to this office's Ban Thường vụ (workflows/issuer.py);
# «Ban Tổ chức Tỉnh ủy (để báo cáo)» reported to an advisory body. An office's saved list is kept as it is.
DEFAULT_RECIPIENTS = [
    "Ban Thường vụ Tỉnh ủy (để báo cáo),",
    "Ban Tổ chức Tỉnh ủy (để theo dõi),",
    "Như Điều 3,",
    "Lưu Văn phòng Đảng ủy Khối.",
]
# A member's decision (admission, full membership, transfer, leave, exemption) goes to those its execution article
# names (the chi bộ and the đảng ủy above it among them) and to the member's file, not to the Tỉnh ủy: printed
# while the office keeps the default list above; an office's saved list prints as saved for every decision.
DEFAULT_MEMBER_RECIPIENTS = [
    "Như Điều 3,",
    "Lưu Văn phòng Đảng ủy Khối, hồ sơ đảng viên.",
]


@dataclass
class OfficeSettings:
    superior_body: str = "ĐẢNG BỘ TỈNH THÁI NGUYÊN"
    # A line break here is where the printed header may break the name.
    issuing_body: str = "ĐẢNG ỦY KHỐI CÁC CƠ QUAN\nTỈNH THÁI NGUYÊN"
    issuing_body_short: str = "Đảng ủy Khối các cơ quan tỉnh"
    standing_committee: str = "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"
    issuer_code: str = "ĐUK"
    decision_type_code: str = "QĐ"
    # The party body this office leads, above a đảng ủy cơ sở's name on the decisions drafted for it.
    party_body: str = "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH"
    lower_issuer_code: str = "ĐU"  # "05-QĐ/ĐU": a đảng ủy cơ sở's code on its decisions
    place_name: str = "Thái Nguyên"
    signers: list[Signer] = field(
        default_factory=lambda: [Signer("Nguyễn Văn Hùng", "BÍ THƯ"), Signer("Trần Thị Lan", "PHÓ BÍ THƯ")]
    )
    can_cu: list[str] = field(default_factory=lambda: list(DEFAULT_CAN_CU))
    # "Nơi nhận" of a decision, each line as printed after "- "; the last one is the file copy.
    default_recipients: list[str] = field(default_factory=lambda: list(DEFAULT_RECIPIENTS))
    thresholds: Thresholds = field(default_factory=Thresholds)
    # Codes of the đảng bộ cơ sở authorized to admit members (ủy quyền kết nạp đảng viên): their đảng ủy decides
    # admissions and the other member actions of their chi bộ (core/member_events/authority.py).
    admitting_bodies: list[str] = field(default_factory=list)
    configured: bool = False  # the first-start dialog has been completed

    def normalized(self) -> OfficeSettings:
        """Every string NFC (line breaks in body names are kept)."""
        def clean(text: str) -> str:
            return "\n".join(nfc(line) for line in text.splitlines() if nfc(line))

        return dataclasses.replace(
            self,
            superior_body=clean(self.superior_body),
            issuing_body=clean(self.issuing_body),
            issuing_body_short=nfc(self.issuing_body_short),
            standing_committee=nfc(self.standing_committee),
            issuer_code=nfc(self.issuer_code),
            party_body=clean(self.party_body),
            lower_issuer_code=nfc(self.lower_issuer_code),
            decision_type_code=nfc(self.decision_type_code),
            place_name=nfc(self.place_name),
            signers=[Signer(nfc(s.name), nfc(s.title)) for s in self.signers],
            can_cu=[nfc(line) for line in self.can_cu if nfc(line)],
            default_recipients=[nfc(line) for line in self.default_recipients if nfc(line)],
            admitting_bodies=sorted({nfc(code) for code in self.admitting_bodies if nfc(code)}),
        )


_KEY = "office"


def _from_dict(data: dict) -> OfficeSettings:
    defaults = OfficeSettings()
    values = {f.name: data.get(f.name, getattr(defaults, f.name)) for f in dataclasses.fields(OfficeSettings)}
    values["signers"] = [Signer(**s) if isinstance(s, dict) else s for s in values["signers"]]
    thresholds = values["thresholds"]
    if isinstance(thresholds, dict):
        known = {f.name for f in dataclasses.fields(Thresholds)}
        values["thresholds"] = Thresholds(**{k: v for k, v in thresholds.items() if k in known})
    return OfficeSettings(**values)


def read_setting(session: Session | sqlite3.Connection, key: str) -> Any:
    """The decoded JSON value stored under `key`, or None when nothing is stored."""
    if is_raw_connection(session):  # sqlite3's or SQLCipher's
        found = session.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if found is None else json.loads(found[0])
    fetch_plain = getattr(session, "fetch_plain", None)
    if fetch_plain is not None:  # a server office's snapshot read through psycopg alone (core/engines/postgres.py)
        rows = fetch_plain("SELECT value FROM settings WHERE key = :key", {"key": key})
        return json.loads(rows[0][0]) if rows else None
    row = setting_row(session, key)
    return None if row is None else json.loads(row.value)


# session.info key: the Setting rows read, held so the session's identity map keeps them (it keeps only the rows
# someone refers to): read again in the same transaction, a setting costs no query (a server: no round trip).
_HELD = "khoi_desktop.settings.rows"
# session.info key: (the transaction, the keys of _TOGETHER found missing in it).
_ABSENT = "khoi_desktop.settings.absent"
# The settings every decision reads (the office's, the wording templates, the line compounds, the audit trail's
# anchor): read together on a session's first setting, one query (one round trip to a server), not four.
_TOGETHER = ("office", "document_templates", "line_compounds", "audit_anchor")


def _hold_inserted(_mapper: Any, _connection: Any, row: Any) -> None:
    """A Setting row inserted by any code (not only write_setting) is held: a key read as missing finds it."""
    from sqlalchemy.orm import object_session

    session = object_session(row)
    if session is not None:
        session.info.setdefault(_HELD, {})[row.key] = row


def setting_row(session: Session, key: str) -> Any:
    """The Setting row of `key` (None when nothing is stored), as session.get finds it."""
    from sqlalchemy import event, select

    from khoi_desktop.core.models import Setting

    if not event.contains(Setting, "before_insert", _hold_inserted):
        event.listen(Setting, "before_insert", _hold_inserted)
    held: dict[str, Any] = session.info.setdefault(_HELD, {})
    transaction = session.get_transaction()
    absent = session.info.get(_ABSENT)
    if key in _TOGETHER and (absent is None or absent[0] is not transaction):
        found = {row.key: row for row in session.scalars(select(Setting).where(Setting.key.in_(_TOGETHER)))}
        held.update(found)
        transaction = session.get_transaction()  # begun by the query if it was not yet
        absent = session.info[_ABSENT] = (transaction, set(_TOGETHER) - set(found))
    if absent is not None and absent[0] is transaction and key in absent[1]:
        # Missing when read together; inserted since by this session (held by _hold_inserted), added and not
        # yet flushed, or still missing.
        row = held.get(key) or next((new for new in session.new if isinstance(new, Setting) and new.key == key),
                                    None)
    else:
        row = session.get(Setting, key)
    if row is not None:
        held[key] = row
    return row


def write_setting(session: Session, key: str, value: Any) -> None:
    from khoi_desktop.core.models import Setting

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = setting_row(session, key)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
    session.flush()


def load_settings(session: Session | sqlite3.Connection) -> OfficeSettings:
    data = read_setting(session, _KEY)
    return OfficeSettings() if data is None else _from_dict(data)


def save_settings(session: Session, settings: OfficeSettings) -> OfficeSettings:
    from khoi_desktop.core.audit import record
    from khoi_desktop.core.auth.permissions import Permission, require

    require(session, Permission.SETTINGS)
    settings = settings.normalized()
    before, after = read_setting(session, _KEY), json.loads(json.dumps(dataclasses.asdict(settings)))
    write_setting(session, _KEY, after)
    # A change is audited here; the first save is audited by its caller (a new office, the demo).
    changed = sorted(k for k in after if isinstance(before, dict) and before.get(k) != after[k])
    if changed:
        record(session, action="settings.office", target="Cài đặt cơ quan",
               before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed})
    return settings
