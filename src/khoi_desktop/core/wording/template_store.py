"""Wording templates as administrator-edited settings: validated on save, audited, defaults otherwise."""

from __future__ import annotations

from sqlalchemy.orm import Session

from khoi_desktop.core.audit import record
from khoi_desktop.core.auth.permissions import Permission, require
from khoi_desktop.core.settings import read_setting, write_setting
from khoi_desktop.core.wording.templates import DEFAULT_TEMPLATES, allowed_placeholders, validate_template

KEY = "document_templates"


def _saved(session: Session) -> dict[str, str]:
    data = read_setting(session, KEY)
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k in DEFAULT_TEMPLATES and isinstance(v, str)}


def load_templates(session: Session) -> dict[str, str]:
    """Every action's template: the administrator's where saved, else the default."""
    return {**DEFAULT_TEMPLATES, **_saved(session)}


def customized_actions(session: Session) -> set[str]:
    return set(_saved(session))


def template_for(session: Session, action: str) -> str:
    allowed_placeholders(action)  # refuses an unknown action
    return load_templates(session)[action]


def _write(session: Session, saved: dict[str, str]) -> None:
    write_setting(session, KEY, saved)


def save_template(session: Session, action: str, text: str, *, actor: str) -> str:
    """Store the administrator's wording for `action`; refuses unknown placeholders (nothing saved)."""
    require(session, Permission.TEMPLATES)
    text = validate_template(action, text)
    saved = _saved(session)
    before = saved.get(action, DEFAULT_TEMPLATES[action])
    saved[action] = text
    _write(session, saved)
    record(session, actor=actor, action="settings.template", target=f"template:{action}",
           before={"text": before}, after={"text": text})
    return text


def reset_template(session: Session, action: str, *, actor: str) -> str:
    """Back to the default wording for `action`."""
    require(session, Permission.TEMPLATES)
    allowed_placeholders(action)
    saved = _saved(session)
    if action in saved:
        before = saved.pop(action)
        _write(session, saved)
        record(session, actor=actor, action="settings.template_reset", target=f"template:{action}",
               before={"text": before}, after={"text": DEFAULT_TEMPLATES[action]})
    return DEFAULT_TEMPLATES[action]
