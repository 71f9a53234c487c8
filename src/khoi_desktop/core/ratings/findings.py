"""Rating findings beside the Charter checks, for the latest round up to the date's year.

rating_cap_exceeded: more HTXSNV than the cap's share of HTTNV within one body (a TCCSĐ's members, a đảng bộ
cơ sở's own organizations, the office's grassroots organizations and all its members);
rating_inconsistent: a level above what a consistency rule allows; rating_missing: organizations or members
(whom the rules rate) without a decided level.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from khoi_desktop.core.ratings.models import Level, RatingRound
from khoi_desktop.core.ratings.round_tally import RoundTally, load_tally, tally_of
from khoi_desktop.core.ratings.rules import (
    DISCIPLINED_MEMBER,
    ORG_WITH_DISCIPLINED_MEMBER,
    ORG_WITH_FAILING_MEMBER,
    RatingRules,
    load_rules,
)
from khoi_desktop.core.ratings.tally import Counts, RoundData
from khoi_desktop.core.rules import Finding
from khoi_desktop.core.settings import load_settings
from khoi_desktop.core.tree import OrgNode

OFFICE_ID = 0  # findings about the whole office point at no organization of the tree


def _over_cap(counts: Counts, cap_pct: int) -> bool:
    return counts.levels[Level.HTXS] * 100 > cap_pct * counts.levels[Level.HTT]


def cap_message(name: str, counts: Counts, cap_pct: int, what: str, year: int) -> str:
    return (f"{name}: {counts.levels[Level.HTXS]} HTXSNV trên {counts.levels[Level.HTT]} HTTNV, vượt {cap_pct}% "
            f"({what}, xếp loại năm {year}).")


def rating_findings(session: Session, as_of: dt.date) -> list[Finding]:
    """The findings of the latest round up to as_of's year, from its tally (core/ratings/round_tally.py): the
    levels counted per body in SQL, never the round's 100.000 members one by one."""
    rnd = session.scalars(select(RatingRound).where(RatingRound.year <= as_of.year)
                          .order_by(RatingRound.year.desc()).limit(1)).first()
    if rnd is None:
        return []
    rules = load_rules(session)
    return tally_findings(load_tally(session, rnd, rules), rules, load_settings(session).issuing_body_short)


def round_findings(data: RoundData, rules: RatingRules, office_name: str) -> list[Finding]:
    """The same findings from a round already read member by member (the decision, the ratings page)."""
    return tally_findings(tally_of(data), rules, office_name)


def tally_findings(tally: RoundTally, rules: RatingRules, office_name: str) -> list[Finding]:
    year, cap = tally.year, rules.cap_pct
    found: list[Finding] = []

    def add(node: OrgNode | None, rule: str, severity: str, message: str) -> None:
        if node is None:
            found.append(Finding(OFFICE_ID, "", office_name, rule, severity, tally.members, message))
        else:
            found.append(Finding(node.id, node.code, node.name, rule, severity, node.members, message))

    grassroots = tally.grassroots
    for body in grassroots:
        members = tally.member_levels(body.id)
        if _over_cap(members, cap):
            add(body, "rating_cap_exceeded", "warning", cap_message(body.name, members, cap, "đảng viên", year))
        subs = Counts()
        for node in tally.orgs_of(body.id)[1:]:
            subs.add(tally.org_level(node.id))
        if _over_cap(subs, cap):
            add(body, "rating_cap_exceeded", "warning",
                cap_message(body.name, subs, cap, "tổ chức đảng trực thuộc", year))
    office_orgs = Counts()
    for body in grassroots:
        office_orgs.add(tally.org_level(body.id))
    if _over_cap(office_orgs, cap):
        add(None, "rating_cap_exceeded", "warning", cap_message(office_name, office_orgs, cap, "tổ chức cơ sở đảng",
                                                                year))
    all_members = tally.member_levels()
    if _over_cap(all_members, cap):
        add(None, "rating_cap_exceeded", "warning", cap_message(office_name, all_members, cap, "đảng viên", year))
    found += _inconsistent(tally, rules)
    found += _missing(tally)
    return found


def _inconsistent(tally: RoundTally, rules: RatingRules) -> list[Finding]:
    year, nodes = tally.year, tally.snapshot.nodes
    disciplined_in: set[int] = set()  # organizations (and their ancestors) with a member disciplined in the year
    failing_in: set[int] = set()
    found = []
    for person in tally.flagged:
        chain = _ancestors(tally, person.org_id)
        if person.disciplined:
            disciplined_in |= chain
        if person.decided is Level.KHT:
            failing_in |= chain
        for rule in rules.consistency:
            if rule.enabled and rule.condition == DISCIPLINED_MEMBER and person.disciplined and person.decided \
                    and not rules.allowed(person.decided, rule.highest):
                node = nodes[person.org_id]
                found.append(Finding(node.id, node.code, node.name, "rating_inconsistent", "warning", node.members,
                                     f"Đảng viên {person.name} ({person.code}), {node.name}, bị kỷ luật trong năm "
                                     f"{year} mà xếp loại {person.decided.short}: {rule.text}"))
    for org_id, decided in tally.org_levels.items():
        org = nodes.get(org_id)
        if org is None or decided is None:
            continue
        for rule in rules.consistency:
            held = {ORG_WITH_DISCIPLINED_MEMBER: org_id in disciplined_in,
                    ORG_WITH_FAILING_MEMBER: org_id in failing_in}.get(rule.condition, False)
            if rule.enabled and held and not rules.allowed(decided, rule.highest):
                found.append(Finding(org.id, org.code, org.name, "rating_inconsistent", "warning", org.members,
                                     f"{org.name} xếp loại {decided.short} năm {year}: {rule.text}"))
    return found


def _ancestors(tally: RoundTally, org_id: int) -> set[int]:
    nodes, chain = tally.snapshot.nodes, set()
    current: int | None = org_id
    while current is not None and current in nodes and current not in chain:
        chain.add(current)
        current = nodes[current].parent_id
    return chain


def _missing(tally: RoundTally) -> list[Finding]:
    found = []
    for body in tally.grassroots:
        orgs = sum(1 for node in tally.orgs_of(body.id) if tally.org_level(node.id) is None)
        members = tally.unrated.get(body.id, 0)
        if orgs or members:
            parts = ([f"{orgs} tổ chức đảng"] if orgs else []) + ([f"{members} đảng viên"] if members else [])
            found.append(Finding(body.id, body.code, body.name, "rating_missing", "warning", body.members,
                                 f"{body.name}: {' và '.join(parts)} chưa được xếp loại chất lượng năm {tally.year}."))
    return found
