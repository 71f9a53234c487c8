"""Wording templates: named placeholders per action, unknown ones refused, stored as audited settings."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from khoi_desktop.core.db import Database
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.models import AuditEntry, Setting
from khoi_desktop.core.wording.template_store import (
    KEY,
    customized_actions,
    load_templates,
    reset_template,
    save_template,
    template_for,
)
from khoi_desktop.core.wording.templates import (
    ACTION_LABELS,
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    SAMPLE_VALUES,
    render_template,
    validate_template,
    wording,
)

ACTIONS = ["found", "split", "upgrade", "consolidate", "absorb", "transfer", "receive", "hand_over", "dissolve",
           "appoint", "approve_election", "end_seat", "admit", "confirm_full", "leave", "exempt", "end_exemption",
           "transfer_member", "receive_member", "recognize_ratings"]


def test_every_action_has_a_valid_default_that_renders_on_the_sample() -> None:
    assert sorted(DEFAULT_TEMPLATES) == sorted(ACTIONS) == sorted(PLACEHOLDERS) == sorted(ACTION_LABELS)
    for action in ACTIONS:
        words = wording(action, SAMPLE_VALUES)
        assert words.subject.startswith("về việc ")
        assert len(words.articles) >= 2
        assert "{" not in words.subject and all("{" not in p for a in words.articles for p in a.paragraphs)


def test_found_wording_fills_the_names() -> None:
    values = {**SAMPLE_VALUES, "ten_to_chuc": "Chi bộ Sở Tư pháp", "so_dang_vien": 12}
    words = wording("found", values)
    assert words.subject == "về việc thành lập Chi bộ Sở Tư pháp"
    assert words.articles[0].paragraphs[0].startswith("Thành lập Chi bộ Sở Tư pháp trực thuộc")
    assert "gồm 45 đảng viên" in words.articles[0].paragraphs[0]
    assert words.articles[-1].paragraphs[0].endswith("Quyết định có hiệu lực kể từ ngày ký.")


def test_unknown_placeholder_is_refused_naming_it() -> None:
    text = DEFAULT_TEMPLATES["found"] + "\nĐiều 4. Gửi {ten_bi_thu} và {ngay_ky}."
    with pytest.raises(ValidationError) as refused:
        validate_template("found", text)
    message = refused.value.message
    assert "{ten_bi_thu}" in message and "{ngay_ky}" in message and "{ten_to_chuc}" in message
    assert refused.value.code == "template_unknown_placeholder"
    # A placeholder of another action is unknown here too.
    with pytest.raises(ValidationError, match="ten_co_quan_giao"):
        validate_template("found", DEFAULT_TEMPLATES["found"] + " {ten_co_quan_giao}")


@pytest.mark.parametrize("text, code", [
    ("về việc {ten_to_chuc\nĐiều 1. X", "template_braces"),
    ("về việc {0}\nĐiều 1. X", "template_placeholder"),
    ("về việc {ten_to_chuc.upper}\nĐiều 1. X", "template_placeholder"),
    ("về việc {ten_to_chuc:>10}\nĐiều 1. X", "template_placeholder"),
    ("Điều 1. Thành lập {ten_to_chuc}", "template_no_subject"),
    ("về việc thành lập {ten_to_chuc}", "template_no_article"),
])
def test_malformed_templates_are_refused(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_template("found", text)
    assert refused.value.code == code


def test_literal_braces_and_missing_values() -> None:
    assert render_template("dissolve", SAMPLE_VALUES, "về việc {{giải thể}} {ten_to_chuc}\nĐiều 1. X").startswith(
        "về việc {giải thể} Chi bộ")
    with pytest.raises(ValidationError, match="chuyen_dang_vien"):
        render_template("dissolve", {k: v for k, v in SAMPLE_VALUES.items() if k != "chuyen_dang_vien"})
    with pytest.raises(ValidationError, match="khong_co"):
        validate_template("khong_co", "về việc\nĐiều 1.")


def test_save_load_round_trip_with_audit(db: Database) -> None:
    text = "về việc thành lập {ten_to_chuc}\nĐiều 1. Thành lập {ten_to_chuc}.\nĐiều 2. {co_quan_thi_hanh} thi hành."
    nfd = text.replace("ậ", "a\u0323\u0302")
    with db.writing() as session:
        assert load_templates(session) == DEFAULT_TEMPLATES
        assert save_template(session, "found", nfd, actor="admin") == text
    with db.reading() as session:
        assert template_for(session, "found") == text
        assert load_templates(session)["split"] == DEFAULT_TEMPLATES["split"]
        assert customized_actions(session) == {"found"}
        assert json.loads(session.get(Setting, KEY).value) == {"found": text}
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "settings.template")).one()
        assert entry.actor == "admin" and json.loads(entry.after) == {"text": text}
    with db.writing() as session:
        assert reset_template(session, "found", actor="admin") == DEFAULT_TEMPLATES["found"]
    with db.reading() as session:
        assert template_for(session, "found") == DEFAULT_TEMPLATES["found"] and customized_actions(session) == set()


def test_refused_template_changes_nothing(db: Database) -> None:
    with pytest.raises(ValidationError), db.writing() as session:
        save_template(session, "split", DEFAULT_TEMPLATES["split"] + " {la}", actor="admin")
    with db.reading() as session:
        assert session.get(Setting, KEY) is None
        assert session.scalars(select(AuditEntry).where(AuditEntry.action == "settings.template")).first() is None
