"""What a write changed, by area: each screen reloads only when an area it shows is in the change set."""

from __future__ import annotations

import enum


class Area(enum.StrEnum):
    ORGANIZATIONS = "organizations"  # the tree, its counts and findings
    MEMBERS = "members"
    DECISIONS = "decisions"  # drafts and the register
    COMMITTEES = "committees"  # seats, terms, submissions
    SETTINGS = "settings"
    USERS = "users"
    BACKUPS = "backups"
    MEETINGS = "meetings"
    RATINGS = "ratings"  # yearly quality ratings


Changes = frozenset[Area]
EVERYTHING: Changes = frozenset(Area)  # a change made outside this window: what it touched is unknown
DRAFTED: Changes = frozenset({Area.DECISIONS})  # a draft saved, edited or discarded changes nothing else
# Issuing applies a decision's effects: the tree, memberships and committees.
ISSUED: Changes = frozenset({Area.DECISIONS, Area.ORGANIZATIONS, Area.MEMBERS, Area.COMMITTEES})
# A member list imported: new members and their memberships in organizations that already exist.
MEMBERS_ADDED: Changes = frozenset({Area.MEMBERS})
# The main window: its findings panel lists the rating findings too, so a rating changed reloads it.
OVERVIEW: Changes = frozenset({Area.ORGANIZATIONS, Area.MEMBERS, Area.COMMITTEES, Area.SETTINGS, Area.RATINGS})
