"""The office as a request sees it on its effective date: lookups that collect problems, not raise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Select, func, select, union_all
from sqlalchemy.orm import Session

from khoi_desktop.core.code_hints import member_code_hint, org_code_hint
from khoi_desktop.core.codes import (
    ORG_CODE_PREFIX,
    codes_in_use,
    continue_sequence,
    prefix_of_body,
    stored_in_other_case,
)
from khoi_desktop.core.errors import MemberNotFound, OrgNotFound
from khoi_desktop.core.models import CommitteeSeat, Member, Membership, Organization, OrgKind, Placement
from khoi_desktop.core.settings import OfficeSettings, load_settings
from khoi_desktop.core.text import fold, show_date
from khoi_desktop.core.tree import OrgFamilies, OrgNode, org_exists_on, valid_on

if TYPE_CHECKING:
    from khoi_desktop.core.workflows.issuer import Authority

# Which kinds may sit under which (None = directly under the issuing committee).
ALLOWED_PARENTS: dict[OrgKind, set[OrgKind | None]] = {
    OrgKind.DANG_BO_CO_SO: {None},
    OrgKind.CHI_BO_CO_SO: {None},
    OrgKind.DANG_BO_BO_PHAN: {OrgKind.DANG_BO_CO_SO},
    OrgKind.CHI_BO_TRUC_THUOC: {OrgKind.DANG_BO_CO_SO, OrgKind.DANG_BO_BO_PHAN},
}


@dataclass(frozen=True)
class MemberInfo:
    id: int
    code: str
    full_name: str
    birth_date: dt.date | None
    job_title: str | None
    agency: str | None
    full: bool  # chính thức on the date
    org_id: int
    membership_id: int
    open_ended: bool  # the membership on the date is the current one (no later change)


class Office:
    def __init__(self, session: Session, day: dt.date) -> None:
        self.session = session
        self.day = day
        self.settings: OfficeSettings = load_settings(session)
        # Only the tổ chức cơ sở đảng the request touches are read (the rule book needs no more).
        self.snapshot = OrgFamilies(session, day)
        self.problems: list[tuple[str, str]] = []
        self._taken_codes: set[str] = set()
        self._codes_in_use: dict[str, list[str]] = {}  # by prefix
        self._members: dict[str, tuple[Member, Membership | None] | None] = {}  # by code: prefetch_members
        self._names: dict[tuple[str, int | None], list[Any]] = {}  # by (name key, parent): prefetch_names
        # Who issues the decision and what its document carries; set once the request's issuer is checked.
        self.authority: Authority | None = None
        self._parent_refused = False  # the last parent_node's code was refused

    @cached_property
    def grassroots_code(self) -> str | None:
        """The body's code in grassroots mode (core/exchange), None at the office: read once a request (a split's
        two new codes and its issuer ask for it)."""
        from khoi_desktop.core.exchange.mode import grassroots_code

        return grassroots_code(self.session)

    def refuse(self, code: str, message: str) -> None:
        self.problems.append((code, message))

    # --- organizations ---------------------------------------------------------------------
    def org(self, code: str | None, what: str = "tổ chức") -> OrgNode | None:
        """The organization active on the date, or None after recording why not."""
        if not code:
            self.refuse("missing_org", f"Chưa nêu mã {what}.")
            return None
        node = self.snapshot.by_code(code)
        if node is not None:
            return node
        known = self.session.scalars(select(Organization).where(Organization.code == code)).first()
        if known is None and (stored := stored_in_other_case(self.session, Organization.code, code)) is not None:
            known = self.session.scalars(select(Organization).where(Organization.code == stored)).first()
        if known is None:
            self.refuse(*OrgNotFound(code, hint=org_code_hint(self.session, code)).problem)
        elif known.founded_on > self.day:
            self.refuse("org_not_yet_founded", f"{known.name} ({code}) thành lập ngày {show_date(known.founded_on)}, "
                                               f"sau ngày hiệu lực {show_date(self.day)}.")
        else:
            self.refuse("org_ended", f"{known.name} ({code}) đã kết thúc hoạt động ngày {show_date(known.ended_on)}.")
        return None

    def parent_node(self, code: str | None) -> OrgNode | None:
        node = None if code is None else self.org(code, "tổ chức cấp trên")
        # A parent named but refused (unknown, ended, not yet founded) is not «directly under the committee»:
        # check_parent then says nothing more (it added kind_parent_mismatch «… trực thuộc trực tiếp Đảng ủy Khối»).
        self._parent_refused = code is not None and node is None
        return node

    def parent_name(self, node: OrgNode | None) -> str:
        return node.name if node else self.settings.issuing_body_short

    def check_parent(self, kind: OrgKind, parent: OrgNode | None, name: str) -> None:
        if parent is None and self._parent_refused:
            return
        parent_kind = parent.kind if parent else None
        if parent_kind not in ALLOWED_PARENTS[kind]:
            where = parent.name if parent else f"trực tiếp {self.settings.issuing_body_short}"
            allowed = ", ".join(k.label.lower() if k else f"trực tiếp {self.settings.issuing_body_short}"
                                for k in ALLOWED_PARENTS[kind])
            self.refuse("kind_parent_mismatch", f"{name}: {kind.label.lower()} không thể trực thuộc {where} "
                                                f"(chỉ trực thuộc: {allowed}).")

    def prefetch_names(self, wanted: list[tuple[str, OrgNode | None]]) -> None:
        """Read in one query the organizations check_new_name compares each (name, parent) with."""
        keys = {fold(name) for name, _ in wanted if name.split()}
        parents = {parent.id for _, parent in wanted if parent is not None}
        if not keys:
            return
        under: ColumnElement[bool] = Placement.parent_id.in_(parents)
        if any(parent is None for _, parent in wanted):
            under = under | Placement.parent_id.is_(None)
        rows = self.session.execute(
            select(Organization.id, Organization.code, Organization.name, Organization.name_key, Placement.parent_id)
            .join(Placement, Placement.org_id == Organization.id)
            .where(Organization.name_key.in_(keys), org_exists_on(self.day), valid_on(Placement, self.day), under)
        ).all()
        for name, parent in wanted:
            key = (fold(name), parent.id if parent is not None else None)
            self._names[key] = [row for row in rows if (row.name_key, row.parent_id) == key]

    def check_new_name(self, name: str, parent: OrgNode | None, ending: set[int] | frozenset[int] = frozenset()
                       ) -> None:
        """A new organization may not take the name of one active under the same parent on the date (one the
        same decision ends, e.g. the chi bộ split, may pass its name on)."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return
        key = (fold(name), parent.id if parent is not None else None)
        if key not in self._names:
            self.prefetch_names([(name, parent)])
        twin = next((row for row in self._names[key]
                     if row.id not in ending and " ".join(row.name.split()).casefold() == wanted), None)
        if twin is not None:
            self.refuse("name_taken", f"Đã có {twin.name} (mã {twin.code}) trực thuộc {self.parent_name(parent)}: "
                                      "tổ chức mới không được trùng tên với tổ chức đang hoạt động cùng cấp trên; "
                                      "hãy đặt tên khác.")

    def is_current(self, node: OrgNode) -> bool:
        """No later change to the organization's placement or life than the date."""
        later = self.session.scalars(select(Placement.id).where(
            Placement.org_id == node.id, Placement.valid_from > self.day)).first()
        if later is not None or node.ended_on is not None:
            self.refuse("later_change", f"{node.name} đã có thay đổi sau ngày {show_date(self.day)}: "
                                        "không thể ghi quyết định có hiệu lực sớm hơn thay đổi đó.")
            return False
        return True

    def check_no_later_change(self, org_ids: set[int], member_ids: set[int]) -> None:
        """Refuse a request dated before a later change to an organization or member it concerns: its members
        joining or leaving, its place in the tree or its children's, its committee, the member's moves."""
        if not org_ids and not member_ids:
            return
        day, ids, people = self.day, list(org_ids), list(member_ids)
        candidates: list[Select[tuple[Any]]] = [
            select(func.min(Membership.valid_from)).where(Membership.org_id.in_(ids), Membership.valid_from > day),
            select(func.min(Membership.valid_to)).where(Membership.org_id.in_(ids), Membership.valid_to > day),
            select(func.min(Placement.valid_from)).where(Placement.org_id.in_(ids) | Placement.parent_id.in_(ids),
                                                         Placement.valid_from > day),
            select(func.min(CommitteeSeat.valid_from)).where(CommitteeSeat.org_id.in_(ids),
                                                             CommitteeSeat.valid_from > day),
            select(func.min(Membership.valid_from)).where(Membership.member_id.in_(people),
                                                          Membership.valid_from > day),
        ]
        # One statement, one round trip to a server, instead of five.
        dates: list[dt.date] = [d for d in self.session.scalars(union_all(*candidates)) if d is not None]
        if dates:
            self.refuse("later_change", f"Tổ chức hoặc đảng viên trong yêu cầu đã có thay đổi ngày "
                                        f"{show_date(min(dates))}, sau ngày hiệu lực {show_date(day)}: không thể "
                                        "ghi quyết định có hiệu lực sớm hơn thay đổi đó. Hãy chọn ngày hiệu lực từ "
                                        f"ngày {show_date(min(dates))} trở đi.")

    def new_code(self, kind: OrgKind, wanted: str | None) -> str:
        if wanted:
            exists = self.session.scalars(select(Organization.id).where(Organization.code == wanted)).first()
            if exists is not None or wanted in self._taken_codes:
                self.refuse("code_taken", f"Mã tổ chức {wanted} đã được dùng.")
            self._taken_codes.add(wanted)
            return wanted
        prefix = prefix_of_body(self.grassroots_code, ORG_CODE_PREFIX[kind])
        if prefix not in self._codes_in_use:  # read once: a split founds two chi bộ, a merge one more
            self._codes_in_use[prefix] = codes_in_use(self.session, Organization.code, prefix)
        (code,) = continue_sequence(prefix, [*self._codes_in_use[prefix], *self._taken_codes])
        self._taken_codes.add(code)
        return code

    # --- members ---------------------------------------------------------------------------
    def members_in(self, org_id: int) -> list[MemberInfo]:
        rows = self.session.execute(
            select(Member, Membership).join(Membership, Membership.member_id == Member.id)
            .where(Membership.org_id == org_id, valid_on(Membership, self.day)).order_by(Member.sort_key)
        ).all()
        return [self._info(m, ms) for m, ms in rows]

    def prefetch_members(self, codes: list[str]) -> None:
        """Look the members up in one query before `member` is asked for each of them."""
        wanted = [code for code in set(codes) if code not in self._members]
        for chunk in (wanted[i:i + 500] for i in range(0, len(wanted), 500)):
            for member, membership in self.session.execute(self._member_query().where(Member.code.in_(chunk))):
                self._members[member.code] = (member, membership)
            for code in chunk:
                self._members.setdefault(code, None)

    def _member_query(self):  # type: ignore[no-untyped-def]
        return select(Member, Membership).outerjoin(
            Membership, (Membership.member_id == Member.id) & valid_on(Membership, self.day))

    def member(self, code: str) -> MemberInfo | None:
        row: tuple[Member, Membership | None] | None
        if code in self._members:
            row = self._members[code]
        else:
            found = self.session.execute(self._member_query().where(Member.code == code)).first()
            row = (found[0], found[1]) if found is not None else None
        if row is None and (stored := stored_in_other_case(self.session, Member.code, code)) is not None:
            return self.member(stored)
        if row is None:
            self.refuse(*MemberNotFound(code, hint=member_code_hint(self.session, code)).problem)
            return None
        member, membership = row
        if membership is None:
            self.refuse("member_without_org", f"Đảng viên {member.full_name} ({code}) không sinh hoạt ở chi bộ nào "
                                              f"vào ngày {show_date(self.day)}{self._membership_around(member)}.")
            return None
        return self._info(member, membership)

    def _membership_around(self, member: Member) -> str:
        """Where the member was before or comes after the request's day: a member received on 03/12 and moved
        «on» 01/12 was told only that they sat nowhere on 01/12, not that the day is before they came."""
        later = self.session.execute(
            select(Membership.valid_from, Organization.name).join(Organization, Organization.id == Membership.org_id)
            .where(Membership.member_id == member.id, Membership.valid_from > self.day)
            .order_by(Membership.valid_from)).first()
        if later is not None:
            since = show_date(later.valid_from)
            return f": đồng chí sinh hoạt tại {later.name} từ ngày {since}, hãy ghi ngày từ {since} trở đi"
        earlier = self.session.execute(
            select(Membership.valid_to, Organization.name).join(Organization, Organization.id == Membership.org_id)
            .where(Membership.member_id == member.id, Membership.valid_to.is_not(None),
                   Membership.valid_to <= self.day)
            .order_by(Membership.valid_to.desc())).first()
        if earlier is not None and earlier.valid_to is not None:
            return f": đồng chí đã thôi sinh hoạt tại {earlier.name} từ ngày {show_date(earlier.valid_to)}"
        return ""

    def _info(self, member: Member, membership: Membership) -> MemberInfo:
        return MemberInfo(member.id, member.code, member.full_name, member.birth_date, member.job_title,
                          member.agency, member.full_member_on is not None and member.full_member_on <= self.day,
                          membership.org_id, membership.id, membership.valid_to is None)

    def movable(self, info: MemberInfo, source: OrgNode | None = None) -> bool:
        """A member can be moved from where they are on the date, and only if nothing changed later."""
        if source is not None and info.org_id != source.id:
            where = self.snapshot.nodes.get(info.org_id)
            self.refuse("member_not_in_org", f"Đảng viên {info.full_name} ({info.code}) không sinh hoạt ở "
                                             f"{source.name} mà ở {where.name if where else 'tổ chức khác'}.")
            return False
        if not info.open_ended:
            self.refuse("later_change", f"Đảng viên {info.full_name} ({info.code}) đã chuyển sinh hoạt sau ngày "
                                        f"{show_date(self.day)}: không thể ghi thay đổi sớm hơn.")
            return False
        return True
