"""The office's decision recognising the year's ratings of its grassroots organizations (the list attached),
prepared like every Quyết định (core/wiring.py): checked, worded by the editable template, drafted, numbered
in the office's one sequence when issued; issuing links it to the round."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from khoi_desktop.core.decision_content import Attachment
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.ratings.entry import find_round
from khoi_desktop.core.ratings.findings import round_findings
from khoi_desktop.core.ratings.models import Level, RatingRound
from khoi_desktop.core.ratings.requests import RecognizeRatings
from khoi_desktop.core.ratings.rules import load_rules
from khoi_desktop.core.ratings.tally import load_round
from khoi_desktop.core.requests import Request
from khoi_desktop.core.text import count_text
from khoi_desktop.core.workflows.office import Office
from khoi_desktop.core.workflows.prepared import Prepared, Wire
from khoi_desktop.core.workflows.wording import default_basis, execution_text, finish, worded

LIST_COLUMNS = ["STT", "Tên tổ chức cơ sở đảng", "Xếp loại chất lượng"]


def _result_text(counts: dict[Level, int]) -> str:
    parts = [f"{count_text(counts[level])} tổ chức {level.label.lower()}" for level in Level if counts[level]]
    return "; ".join(parts)


def prepare_recognition(session: Session, request: Request, effective: dt.date) -> Prepared:
    if not isinstance(request, RecognizeRatings):
        raise TypeError(f"prepare_recognition prepares RecognizeRatings, not {type(request).__name__}")
    rnd = find_round(session, request.year)
    if rnd is None:
        raise RequestRefused([("rating_round_not_found", f"Chưa có đợt xếp loại chất lượng năm {request.year}.")])
    if rnd.decision_id is not None:
        raise RequestRefused([("ratings_recognized", f"Kết quả xếp loại chất lượng năm {request.year} đã được công "
                                                     "nhận bằng một quyết định đã ban hành.")])
    data = load_round(session, rnd)
    grassroots = data.scope.grassroots
    unrated = [node.name for node in grassroots if data.org_level(node.id) is None]
    if unrated:
        shown = ", ".join(unrated[:10]) + (f" và {len(unrated) - 10} tổ chức khác" if len(unrated) > 10 else "")
        raise RequestRefused([("rating_missing", f"Chưa xếp loại năm {request.year} cho {len(unrated)} tổ chức cơ "
                                                 f"sở đảng: {shown}.")])
    office = Office(session, effective)
    counts = dict.fromkeys(Level, 0)
    rows = []
    ordered = sorted(grassroots, key=lambda n: (data.org_level(n.id).rank, grassroots.index(n)))  # type: ignore[union-attr]
    for number, node in enumerate(ordered, start=1):
        level = data.org_level(node.id)
        assert level is not None
        counts[level] += 1
        rows.append([str(number), node.name, level.label])
    values: dict[str, object] = {
        "ten_co_quan": office.settings.issuing_body_short, "ngay_hieu_luc": effective.strftime("%d/%m/%Y"),
        "co_quan_thi_hanh": execution_text(office.settings, ["các tổ chức cơ sở đảng trực thuộc"]),
        "nam": request.year, "so_to_chuc": len(grassroots), "ket_qua": _result_text(counts),
    }
    words = worded(office, request.action, values)
    attachment = Attachment(title=f"DANH SÁCH TỔ CHỨC CƠ SỞ ĐẢNG ĐƯỢC XẾP LOẠI CHẤT LƯỢNG NĂM {request.year}",
                            columns=list(LIST_COLUMNS), rows=rows)
    content = finish(office, subject=words.subject, articles=words.articles,
                     basis=[request.basis or default_basis(office.settings)], signer=request.signer,
                     attachments=[attachment], bodies=[])
    warnings = [(f.rule, f.message) for f in round_findings(data, load_rules(session),
                                                             office.settings.issuing_body_short)
                if f.rule in ("rating_cap_exceeded", "rating_inconsistent")]
    round_id = rnd.id

    def link(s: Session, decision, _on: dt.date) -> None:  # type: ignore[no-untyped-def]
        target = s.get(RatingRound, round_id)
        assert target is not None
        target.decision_id = decision.id
        s.flush()

    return Prepared(request, content, warnings, effective, apply=link)


RECOGNIZE_RATINGS = Wire(RecognizeRatings, prepare_recognition)
