"""ORM entities. History is kept with valid_from / valid_to (valid_to exclusive, None = still valid)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    delete,
    event,
    insert,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, Session, mapped_column, object_session, relationship

# The kinds of organization live apart so that plain-data modules (the tree snapshot, counts) need no ORM.
from khoi_desktop.core.kinds import ORG_KIND_LABELS, OrgKind  # noqa: F401  (re-exported)
from khoi_desktop.core.member_words import word_rows

# Named constraints: Alembic's batch mode on SQLite needs names to alter them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MemberStatus(enum.StrEnum):
    DU_BI = "du_bi"
    CHINH_THUC = "chinh_thuc"
    MIEN_SINH_HOAT = "mien_sinh_hoat"

    @property
    def label(self) -> str:
        return {"du_bi": "Dự bị", "chinh_thuc": "Chính thức", "mien_sinh_hoat": "Miễn sinh hoạt"}[self]


def member_status(full_member_on: dt.date | None, exempt_since: dt.date | None, day: dt.date,
                  exempt_until: dt.date | None = None) -> MemberStatus:
    """A member's standing on a day, from the dates that change it (the one rule, for rows and entities).
    An exemption runs from `exempt_since` to the day before `exempt_until` (None: still running)."""
    if exempt_since is not None and exempt_since <= day and (exempt_until is None or day < exempt_until):
        return MemberStatus.MIEN_SINH_HOAT
    if full_member_on is not None and full_member_on <= day:
        return MemberStatus.CHINH_THUC
    return MemberStatus.DU_BI


class Sex(enum.StrEnum):
    NAM = "nam"
    NU = "nu"

    @property
    def label(self) -> str:
        return "Nam" if self is Sex.NAM else "Nữ"


class SeatRole(enum.StrEnum):
    CAP_UY_VIEN = "cap_uy_vien"
    UY_VIEN_BTV = "uy_vien_btv"
    BI_THU = "bi_thu"
    PHO_BI_THU = "pho_bi_thu"

    @property
    def label(self) -> str:
        return {
            "cap_uy_vien": "Cấp ủy viên",
            "uy_vien_btv": "Ủy viên Ban Thường vụ",
            "bi_thu": "Bí thư",
            "pho_bi_thu": "Phó Bí thư",
        }[self]


class MoveReason(enum.StrEnum):
    """Why a membership starts or ends. Moves inside the committee are neither increases nor decreases."""

    KET_NAP = "ket_nap"  # admitted to the Party
    CHUYEN_DEN = "chuyen_den"  # transferred in from outside the committee
    TIEP_NHAN = "tiep_nhan"  # received with an organization from another body
    CHUYEN_SINH_HOAT = "chuyen_sinh_hoat"  # moved between chi bộ of this committee
    CHUYEN_DI = "chuyen_di"  # transferred out of the committee
    BAN_GIAO = "ban_giao"  # handed over with an organization to another body
    TU_TRAN = "tu_tran"  # deceased
    KHAI_TRU = "khai_tru"  # expelled
    XOA_TEN = "xoa_ten"  # struck off
    XIN_RA = "xin_ra"  # left at own request
    DANH_SACH = "danh_sach"  # entered from an existing list: the opening balance, neither increase nor decrease


class DecisionStatus(enum.StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    DISCARDED = "discarded"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False,
                validate_strings=True, length=32)


class Setting(Base):
    """Administrator-editable settings; the value is JSON text (see core.settings)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Term(Base):
    """A term (nhiệm kỳ) of the issuing committee: decision numbers restart in each."""

    __tablename__ = "terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)


class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)
    kind: Mapped[OrgKind] = mapped_column(_enum(OrgKind, "org_kind"))
    agency: Mapped[str | None] = mapped_column(String(300))
    founded_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    founded_by_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    # Consent of the superior committee for an exception (đảng bộ under 30, chi bộ over 30 …).
    consent_note: Mapped[str | None] = mapped_column(Text)
    consent_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))

    placements: Mapped[list[Placement]] = relationship(
        back_populates="org", foreign_keys="Placement.org_id", order_by="Placement.valid_from"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="org")


class Placement(Base):
    """Where an organization sits in the tree over time (parent None = under the issuing committee)."""

    __tablename__ = "placements"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    # The organization's kind while placed here when it differs from Organization.kind (its kind now): a
    # chi bộ cơ sở moved under a đảng bộ cơ sở becomes a chi bộ trực thuộc, and as-of dates before the move
    # still show it as a chi bộ cơ sở.
    kind: Mapped[OrgKind | None] = mapped_column(_enum(OrgKind, "org_kind"))

    org: Mapped[Organization] = relationship(back_populates="placements", foreign_keys=[org_id])
    parent: Mapped[Organization | None] = relationship(foreign_keys=[parent_id])


class Member(Base):
    """A party member, after the core of form 2-HSĐV."""

    __tablename__ = "members"
    # Name order with the search key alongside: member search reads the first names in order from this
    # index alone (core/members.py).
    __table_args__ = (Index("ix_members_name_order", "sort_key", "code", "search_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    family_name: Mapped[str] = mapped_column(String(60))
    middle_name: Mapped[str] = mapped_column(String(80), default="")
    given_name: Mapped[str] = mapped_column(String(60))
    search_key: Mapped[str] = mapped_column(String(250), index=True)
    sort_key: Mapped[str] = mapped_column(String(250), index=True)
    sex: Mapped[Sex] = mapped_column(_enum(Sex, "sex"))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    hometown: Mapped[str | None] = mapped_column(String(300))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    religion: Mapped[str | None] = mapped_column(String(60))
    national_id: Mapped[str | None] = mapped_column(String(12), index=True)
    card_number: Mapped[str | None] = mapped_column(String(20), index=True)
    so_ly_lich: Mapped[str | None] = mapped_column(String(20))
    admitted_on: Mapped[dt.date | None] = mapped_column(Date)
    full_member_on: Mapped[dt.date | None] = mapped_column(Date, index=True)  # counts of full members
    exempt_since: Mapped[dt.date | None] = mapped_column(Date)  # miễn sinh hoạt
    exempt_until: Mapped[dt.date | None] = mapped_column(Date)  # the exemption ended on this day (thôi miễn)
    # Party age (Điều lệ Điều 5 khoản 4): from the first admission of a re-admitted member (None: admitted_on),
    # less the days outside the Party (removed, expelled, out of contact, gaps between transfers).
    party_age_from: Mapped[dt.date | None] = mapped_column(Date)
    party_age_gap_days: Mapped[int | None] = mapped_column(Integer)
    education: Mapped[str | None] = mapped_column(String(120))
    theory_level: Mapped[str | None] = mapped_column(String(60))
    job_title: Mapped[str | None] = mapped_column(String(200))
    agency: Mapped[str | None] = mapped_column(String(300))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="member", order_by="Membership.valid_from"
    )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    def status_on(self, day: dt.date) -> MemberStatus:
        """Its standing on `day`, with the earlier exemption periods its events record (the row keeps the
        latest only)."""
        status = member_status(self.full_member_on, self.exempt_since, day, self.exempt_until)
        session = object_session(self)
        if status is MemberStatus.MIEN_SINH_HOAT or session is None or self.id is None:
            return status
        from khoi_desktop.core.member_events.exemptions import exempt_on, exemption_periods

        earlier = exemption_periods(session, [self.id]).get(self.id, [])
        return MemberStatus.MIEN_SINH_HOAT if exempt_on(earlier, day) else status


class MemberWord(Base):
    """One word of a member's folded name (search_key): the index of the word-prefix search.

    Kept in step with Member.search_key by core/member_words.py (ORM inserts and updates) and by the
    bulk writers that bypass the ORM (the demo office).
    """

    __tablename__ = "member_words"
    word: Mapped[str] = mapped_column(String(250), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)


class Membership(Base):
    """A member belongs to one chi bộ from valid_from until valid_to (exclusive)."""

    __tablename__ = "memberships"
    # A member's memberships read from the index alone (0022: the tree's probationary count on a cold, encrypted
    # file read their table pages).
    __table_args__ = (Index("ix_memberships_org_dates", "org_id", "valid_from", "valid_to"),
                      Index("ix_memberships_member_cover", "member_id", "org_id", "valid_from", "valid_to"))
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    # Why the membership began / ended, for the increase-decrease report (Biểu 1): see MoveReason.
    start_reason: Mapped[str | None] = mapped_column(String(32))
    end_reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(300))

    member: Mapped[Member] = relationship(back_populates="memberships")
    org: Mapped[Organization] = relationship(back_populates="memberships")


class CommitteeSeat(Base):
    """A seat on an organization's committee for one of its terms (e.g. '2020-2025')."""

    __tablename__ = "committee_seats"
    __table_args__ = (Index("ix_committee_seats_org_term", "org_id", "term"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    role: Mapped[SeatRole] = mapped_column(_enum(SeatRole, "seat_role"))
    term: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    end_reason: Mapped[str | None] = mapped_column(String(300))

    member: Mapped[Member] = relationship()
    org: Mapped[Organization] = relationship()


class Decision(Base):
    """A document of the issuing committee. Content is structured JSON; issued rows never change."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("doc_type", "term_id", "number", name="uq_decisions_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(16))  # "QĐ", "TTr", "BC" …
    action: Mapped[str] = mapped_column(String(32))  # found, split, appoint …
    status: Mapped[DecisionStatus] = mapped_column(_enum(DecisionStatus, "decision_status"))
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    code: Mapped[str | None] = mapped_column(String(40), index=True)  # "12-QĐ/ĐUK"
    subject: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)  # JSON: căn cứ, articles, attachments, recipients, signer
    request: Mapped[str | None] = mapped_column(Text)  # JSON request that produced it
    signer: Mapped[str | None] = mapped_column(String(120))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    effective_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # The stored signed copy: the rendered PDF of this office's decision, or the scan of a recorded one.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    # Who decides (core/authority.py): None = this office's Ban Thường vụ, which numbers the decision in its
    # sequence; otherwise the đảng bộ cơ sở whose committee decides. Its decisions are recorded here with
    # their own number (code "05-QĐ/ĐU", number None), or drafted for it.
    issuer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", use_alter=True), index=True)
    recorded: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Two clerks on one draft (a server office): every UPDATE checks and bumps the version, and the editor's
    # save names who changed it since it was opened, and when (core/decisions.py update_draft).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    changed_by: Mapped[str | None] = mapped_column(String(120))
    changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": version}

    term: Mapped[Term | None] = relationship()
    issuer: Mapped[Organization | None] = relationship(foreign_keys=[issuer_id])


class AuditEntry(Base):
    """Who changed what; each entry carries the hash of the previous one (tamper evidence).

    `at` is UTC; `at_offset` the workstation's offset from UTC then, in minutes (shown with the time).
    Format 1: entries from before 0013_audit_seal, hashed over the local time they were written in (`at` +
    `at_offset`); format 2: hashed over the UTC time, the offset and `rows_digest` (core/audit.py).
    """

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    at_offset: Mapped[int | None] = mapped_column(Integer)
    format: Mapped[int] = mapped_column(Integer, default=2, server_default="1")
    # SHA-256 over the digests of the rows this entry changed (core/audit_rows.py), None when none.
    rows_digest: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    os_user: Mapped[str | None] = mapped_column(String(120))  # the OS user behind a signed-in account
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SubmissionStatus(enum.StrEnum):
    """Where a submission (tờ trình) stands; "drafted" while a live draft decision cites it."""

    RECEIVED = "received"
    DRAFTED = "drafted"
    ISSUED = "issued"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"received": "Đã nhận", "drafted": "Đã dự thảo", "issued": "Đã ban hành",
                "returned": "Trả lại"}[self]


class Committee(Base):
    """An organization's committee for one of its terms: the size its congress set and the term's dates.

    The seats themselves are CommitteeSeat rows with the same org and term label.
    """

    __tablename__ = "committees"
    __table_args__ = (UniqueConstraint("org_id", "term", name="uq_committees_org_term"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    term: Mapped[str] = mapped_column(String(20))  # "2025-2030"
    # Number of committee members set by the congress (or by the superior appointing a first committee);
    # None = not recorded.
    size: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))

    org: Mapped[Organization] = relationship()


class Submission(Base):
    """A submission (tờ trình) from an organization asking the superior to appoint or approve."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    register_number: Mapped[str] = mapped_column(String(40), index=True)  # "15-TTr/ĐU"
    dated_on: Mapped[dt.date | None] = mapped_column(Date)  # the date written on the submission
    received_on: Mapped[dt.date] = mapped_column(Date)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    subject: Mapped[str] = mapped_column(Text)  # what is asked: "đề nghị chuẩn y Bí thư Chi bộ …"
    member_codes: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: for whom
    status: Mapped[SubmissionStatus] = mapped_column(_enum(SubmissionStatus, "submission_status"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    returned_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    org: Mapped[Organization] = relationship()


# session.info key: the words of the members this flush inserted, written in one statement at its end.
_NEW_WORDS = "khoi_desktop.models.new_words"


@event.listens_for(Member, "after_insert")
def _index_new_member(_mapper: Mapper[Member], connection: Connection, member: Member) -> None:
    """Keeps member_words in step with every member the ORM writes (core/member_words.py): the rows of the
    members one flush inserts go in together when it ends (one statement for an import of 5.000, not 5.000)."""
    rows = word_rows(member.id, member.search_key)
    if not rows:
        return
    session = object_session(member)
    if session is None:  # not through a session: at once
        connection.execute(insert(MemberWord), rows)
        return
    session.info.setdefault(_NEW_WORDS, []).extend(rows)


@event.listens_for(Session, "before_flush")
def _forget_words_of_failed_flush(session: Session, *_args: object) -> None:
    session.info.pop(_NEW_WORDS, None)  # a flush that failed before its end: rolled back with it


@event.listens_for(Session, "after_flush")
def _index_new_members(session: Session, _context: object) -> None:
    rows = session.info.pop(_NEW_WORDS, None)
    if rows:
        from khoi_desktop.core.bulk_load import insert_words

        insert_words(session, rows)


@event.listens_for(Member, "after_update")
def _reindex_renamed_member(_mapper: Mapper[Member], connection: Connection, member: Member) -> None:
    if not inspect(member).attrs.search_key.history.has_changes():
        return
    connection.execute(delete(MemberWord).where(MemberWord.member_id == member.id))
    rows = word_rows(member.id, member.search_key)
    if rows:
        connection.execute(insert(MemberWord), rows)
