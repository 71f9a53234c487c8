"""The year's summary: counts and shares per level for the grassroots organizations and the members, per
TCCSĐ and for the office, with the article's two figures (share of those rated: grassroots organizations
HTTNV or better, members HTTNV or better)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.errors import NotFoundError
from khoi_desktop.core.ratings.entry import check_year, find_round
from khoi_desktop.core.ratings.models import RatingRound
from khoi_desktop.core.ratings.tally import Counts, RoundData, load_round


@dataclass
class BodyLine:
    code: str
    name: str
    level: str | None  # the TCCSĐ's own decided level (short label)
    sub_orgs: Counts  # its chi bộ and đảng bộ bộ phận
    members: Counts


@dataclass
class YearSummary:
    year: int
    org: str | None  # the organization asked for (None = the whole office)
    orgs: Counts
    members: Counts
    bodies: list[BodyLine]

    def as_json(self) -> dict:
        return {"year": self.year, "orgs": self.orgs.as_json(), "members": self.members.as_json(),
                "orgs_good_or_better_pct": self.orgs.good_or_better_pct,
                "members_good_or_better_pct": self.members.good_or_better_pct}


class RoundMissing(NotFoundError):
    code = "rating_round_not_found"

    def __init__(self, year: int) -> None:
        super().__init__(f"Chưa có đợt xếp loại chất lượng năm {year}: hãy nhập báo cáo xếp loại hoặc xếp loại "
                         "trong phần mềm trước.")


def round_data(session: Session, year: int) -> RoundData:
    rnd = find_round(session, check_year(year))
    if rnd is None:
        raise RoundMissing(year)
    return load_round(session, rnd)


def year_summary(session: Session, year: int, org_code: str | None = None) -> YearSummary:
    data = round_data(session, year)
    scope = data.scope
    grassroots = scope.grassroots
    under: set[int] | None = None
    if org_code is not None:
        node = scope.body(org_code)
        under = scope.ids_under(node.id)
        grassroots = [g for g in grassroots if g.id in under] or []
    orgs = Counts()
    for g in grassroots:
        orgs.add(data.org_level(g.id))
    members = data.member_counts(under=under)
    bodies = []
    for g in scope.grassroots:
        if under is not None and g.id not in under and not (scope.ids_under(g.id) & under):
            continue
        sub = Counts()
        for node in scope.orgs_of(g.id)[1:]:
            sub.add(data.org_level(node.id))
        own = data.org_level(g.id)
        bodies.append(BodyLine(g.code, g.name, own.short if own else None, sub, data.member_counts(g.id)))
    return YearSummary(year, org_code, orgs, members, bodies)


TREND_YEARS = 5  # a term


def year_trend(session: Session, last_year: int) -> list[YearSummary]:
    """The summaries of the rounds of the five years up to `last_year` (the term's trend), oldest first."""
    years = session.scalars(select(RatingRound.year).where(RatingRound.year <= last_year,
                                                           RatingRound.year > last_year - TREND_YEARS)
                            .order_by(RatingRound.year)).all()
    return [year_summary(session, year) for year in years]


@dataclass(frozen=True)
class MemberLine:
    code: str
    name: str
    chi_bo: str
    kind: str  # Vietnamese: Chính thức, Dự bị, Mới kết nạp, Miễn sinh hoạt
    rated: bool  # False: the rules do not rate this member
    decided: str | None  # short label
    disciplined: bool


def body_members(session: Session, year: int, org_code: str) -> list[MemberLine]:
    """The members of a TCCSĐ on the round's reference date with their decided level (the dialog's list)."""
    from khoi_desktop.core.ratings.scope import KIND_LABELS

    data = round_data(session, year)
    scope = data.scope
    body = scope.snapshot.root_of(scope.body(org_code).id)
    order = {org_id: i for i, org_id in enumerate(scope.snapshot.subtree_ids(body.id))}
    lines = []
    for m in sorted(scope.members_of(body.id), key=lambda m: (order.get(m.org_id, 0), m.code)):
        stored = data.members.get(m.id)
        level = stored.decided if stored else None
        lines.append(MemberLine(m.code, m.name, scope.snapshot.nodes[m.org_id].name, KIND_LABELS[m.kind], m.rated,
                                level.short if level else None, bool(stored and stored.disciplined)))
    return lines
