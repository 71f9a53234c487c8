"""The wording of restructuring decisions (DOMAIN.md §4), built from the checked plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from khoi_desktop.core.decision_content import Article, Attachment, DecisionContent, Header, SignatureBlock
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.requests import (
    Absorb,
    Consolidate,
    Dissolve,
    Found,
    HandOver,
    Receive,
    Request,
    Split,
    Transfer,
    Upgrade,
)
from khoi_desktop.core.stats import thousands
from khoi_desktop.core.text import show_date
from khoi_desktop.core.wording.template_store import template_for
from khoi_desktop.core.wording.templates import Wording, wording
from khoi_desktop.core.workflows.office import MemberInfo, Office
from khoi_desktop.core.workflows.plan import OrgRef, Plan


def header(office: Office) -> Header:
    s = office.settings
    return Header(s.superior_body, s.issuing_body, s.decision_type_code, s.issuer_code, s.place_name)


def signature(office: Office, wanted: str | None) -> SignatureBlock:
    signers = office.settings.signers
    if not signers:
        raise RequestRefused([("no_signer", "Chưa khai báo người ký trong phần cài đặt.")])
    signer = next((s for s in signers if s.name == wanted), None) if wanted else signers[0]
    if signer is None:
        names = ", ".join(s.name for s in signers)
        raise RequestRefused([("unknown_signer", f"Người ký «{wanted}» không có trong cài đặt ({names}).")])
    return SignatureBlock("T/M BAN THƯỜNG VỤ", signer.title, signer.name)


class Story:
    """Names and member lists of a plan, in the order the decision tells them."""

    def __init__(self, office: Office, plan: Plan) -> None:
        self.office = office
        self.plan = plan
        self.incoming: dict[OrgRef, list[MemberInfo]] = defaultdict(list)
        for move in plan.moves:
            self.incoming[move.to].append(move.member)

    def name(self, ref: OrgRef) -> str:
        if isinstance(ref, str):
            return self.plan.new_org(ref).name
        if ref is None:
            return self.office.settings.issuing_body_short
        return self.office.snapshot.nodes[ref].name

    @staticmethod
    def count(members: list[MemberInfo]) -> str:
        probationary = sum(not m.full for m in members)
        text = f"{thousands(len(members))} đảng viên"
        return text + (f" (trong đó có {probationary} đảng viên dự bị)" if probationary else "")

    def attachment(self, title: str, members: list[MemberInfo]) -> Attachment:
        rows = [[str(i), m.full_name, show_date(m.birth_date), ", ".join(x for x in (m.job_title, m.agency) if x),
                 "Chính thức" if m.full else "Dự bị"] for i, m in enumerate(members, 1)]
        return Attachment(title=title, rows=rows)

    def member_lists(self, refs: Sequence[OrgRef]) -> list[Attachment]:
        return [self.attachment(f"DANH SÁCH ĐẢNG VIÊN {self.name(ref).upper()}", self.incoming[ref])
                for ref in refs if self.incoming[ref]]


def _parties(office: Office, *names: str) -> str:
    """Who carries the decision out (the {co_quan_thi_hanh} of the wording templates)."""
    unique = list(dict.fromkeys(n for n in names if n and n != office.settings.issuing_body_short))
    return ", ".join([f"Văn phòng, Ban Tổ chức {office.settings.issuing_body_short}", *unique]) + \
        " và các đồng chí có liên quan"


def worded(office: Office, action: str, values: dict[str, object]) -> Wording:
    """Subject and articles from the action's template (the administrator's, or the default)."""
    return wording(action, values, template_for(office.session, action))


def _consent_lines(story: Story, reason: str | None) -> list[str]:
    if not story.plan.consents or not reason:
        return []
    return [f"Đồng ý để {story.name(ref)}: {note.lower()}. Lý do: {reason}." for ref, note in story.plan.consents]


def compose(office: Office, request: Request, plan: Plan, effective: dt.date) -> DecisionContent:
    """The decision's content: the wording template of the action (the administrator's, or the default)
    filled with this plan's names and numbers, plus the settings' căn cứ, recipients and signer."""
    story = Story(office, plan)
    values, parties, lists = _VALUES[type(request)](story, request)
    values.update(ten_co_quan=office.settings.issuing_body_short, ngay_hieu_luc=show_date(effective),
                  co_quan_thi_hanh=_parties(office, *parties))
    words = worded(office, request.action, values)
    articles = words.articles or [Article([])]
    articles[0].paragraphs.extend(_consent_lines(story, request.consent_reason))
    settings = office.settings
    basis = [request.basis] if request.basis else [f"Xét đề nghị của Ban Tổ chức {settings.issuing_body_short},"]
    return DecisionContent(
        header=header(office), subject=words.subject, can_cu=list(settings.can_cu), basis=basis,
        enacting=f"{settings.standing_committee} QUYẾT ĐỊNH", articles=articles,
        recipients=list(settings.default_recipients), signature=signature(office, request.signer),
        attachments=lists,
    )


Values = tuple[dict[str, object], list[str], list[Attachment]]


def _group_lines(story: Story, keys: list[str]) -> str:
    last = len(keys)
    return "\n".join(f"{i}. {story.name(k)}, gồm {story.count(story.incoming[k])}{'.' if i == last else ';'}"
                     for i, k in enumerate(keys, 1))


def _joined(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" và {names[-1]}" if len(names) > 1 else (names[0] if names else "")


def _found(story: Story, r: Found) -> Values:
    new = story.plan.new_orgs[0]
    members = story.incoming[new.key]
    values: dict[str, object] = {
        "ten_to_chuc": new.name, "loai_to_chuc": new.kind.label.lower(), "ten_cap_tren": story.name(new.parent),
        "so_dang_vien": len(members), "so_du_bi": sum(not m.full for m in members),
        "gom_dang_vien": f", gồm {story.count(members)} (có danh sách kèm theo)" if members else "",
    }
    return values, [story.name(new.parent), new.name], story.member_lists([new.key])


def _split(story: Story, r: Split) -> Values:
    source = story.office.org(r.org)
    assert source is not None
    keys = [o.key for o in story.plan.new_orgs]
    if r.keep_source:
        how = f"Tách {thousands(len(story.plan.moves))} đảng viên của {source.name} để thành lập {len(keys)} chi bộ"
    else:
        how = f"Tách {source.name} (gồm {thousands(source.members)} đảng viên) thành {len(keys)} chi bộ"
    values: dict[str, object] = {
        "ten_to_chuc": source.name, "ten_cap_tren": story.name(source.parent_id), "so_dang_vien": source.members,
        "so_to_chuc_moi": len(keys), "cac_to_chuc_moi": _joined([story.name(k) for k in keys]),
        "danh_sach_to_chuc_moi": _group_lines(story, keys), "cach_tach": how,
    }
    parties = [story.name(source.parent_id), source.name, *(story.name(k) for k in keys)]
    return values, parties, story.member_lists(keys)


def _upgrade(story: Story, r: Upgrade) -> Values:
    source = story.office.org(r.org)
    assert source is not None
    dang_bo, *branches = story.plan.new_orgs
    keys = [b.key for b in branches]
    values: dict[str, object] = {
        "ten_to_chuc": source.name, "ten_to_chuc_moi": dang_bo.name, "ten_cap_tren": story.name(dang_bo.parent),
        "so_dang_vien": source.members, "so_to_chuc_moi": len(keys),
        "cac_to_chuc_moi": _joined([b.name for b in branches]), "danh_sach_to_chuc_moi": _group_lines(story, keys),
    }
    return values, [story.name(dang_bo.parent), dang_bo.name], story.member_lists(keys)


def _source_names(story: Story) -> str:
    return _joined([story.office.snapshot.nodes[i].name for i in story.plan.ends])


def _consolidate(story: Story, r: Consolidate) -> Values:
    new = story.plan.new_orgs[0]
    members = _members_after(story, new.key)
    values: dict[str, object] = {
        "cac_to_chuc": _source_names(story), "ten_to_chuc_moi": new.name, "loai_to_chuc": new.kind.label.lower(),
        "ten_cap_tren": story.name(new.parent), "so_dang_vien": len(members), "thanh_phan": story.count(members),
    }
    return values, [story.name(new.parent), new.name], story.member_lists([new.key])


def _members_after(story: Story, ref: str | int) -> list[MemberInfo]:
    """Members a merged organization holds: moved in directly, or in the branches it receives."""
    moved = list(story.incoming[ref])
    for reparent in story.plan.reparents:
        if reparent.to == ref:
            moved += _members_under(story, reparent.org_id)
    return moved


def _absorb(story: Story, r: Absorb) -> Values:
    target = story.office.org(r.into)
    assert target is not None
    moved = story.incoming[target.id]
    sources = _source_names(story)
    line = (f"Chuyển {story.count(moved)} của {sources} về sinh hoạt tại {target.name} (có danh sách kèm theo)."
            if moved else f"Các tổ chức trực thuộc {sources} chuyển về trực thuộc {target.name}.")
    values: dict[str, object] = {"cac_to_chuc": sources, "ten_to_chuc": target.name,
                                 "so_dang_vien": len(_members_after(story, target.id)), "chuyen_dang_vien": line}
    return values, [target.name], story.member_lists([target.id])


def _members_under(story: Story, org_id: int) -> list[MemberInfo]:
    return [m for i in story.office.snapshot.subtree_ids(org_id) for m in story.office.members_in(i)]


def _transfer(story: Story, r: Transfer) -> Values:
    node = story.office.org(r.org)
    assert node is not None
    target = story.name(story.plan.reparents[0].to)
    members = _members_under(story, node.id)
    values: dict[str, object] = {"ten_to_chuc": node.name, "ten_cap_tren_cu": story.name(node.parent_id),
                                 "ten_cap_tren": target, "so_dang_vien": len(members),
                                 "thanh_phan": story.count(members)}
    return values, [story.name(node.parent_id), target, node.name], []


def _receive(story: Story, r: Receive) -> Values:
    arrivals = story.plan.arrivals
    probationary = sum(a.record.status == "du_bi" for a in arrivals)
    parent = story.name(story.plan.new_orgs[0].parent) if story.plan.new_orgs else ""
    lists = []
    for new in story.plan.new_orgs:
        rows = [[str(i), " ".join(p for p in (a.record.family_name, a.record.middle_name, a.record.given_name) if p),
                 show_date(a.record.birth_date), a.record.job_title or "",
                 "Chính thức" if a.record.status == "chinh_thuc" else "Dự bị"]
                for i, a in enumerate((a for a in arrivals if a.to == new.key), 1)]
        lists.append(Attachment(title=f"DANH SÁCH ĐẢNG VIÊN {new.name.upper()}", rows=rows))
    count = f"{thousands(len(arrivals))} đảng viên" + (
        f" (trong đó có {probationary} đảng viên dự bị)" if probationary else "")
    values: dict[str, object] = {
        "ten_co_quan_giao": r.from_body, "so_to_chuc": len(story.plan.new_orgs),
        "cac_to_chuc": _joined([o.name for o in story.plan.new_orgs]), "so_dang_vien": len(arrivals),
        "so_du_bi": probationary, "thanh_phan": count, "ten_cap_tren": parent,
    }
    return values, [parent, *(o.name for o in story.plan.new_orgs)], lists


def _hand_over(story: Story, r: HandOver) -> Values:
    node = story.office.org(r.org)
    assert node is not None
    members = [leave.member for leave in story.plan.leaves]
    values: dict[str, object] = {
        "ten_to_chuc": node.name, "ten_co_quan_nhan": r.to_body, "so_to_chuc": len(story.plan.ends),
        "so_dang_vien": len(members), "so_du_bi": sum(not m.full for m in members),
        "thanh_phan": story.count(members),
    }
    attachment = story.attachment(f"DANH SÁCH ĐẢNG VIÊN {node.name.upper()}", members)
    return values, [node.name], [attachment] if members else []


def _dissolve(story: Story, r: Dissolve) -> Values:
    node = story.office.org(r.org)
    assert node is not None
    targets = list(story.incoming)
    lines = [f"Chuyển {story.count(story.incoming[t])} của {node.name} về sinh hoạt tại {story.name(t)}."
             for t in targets]
    if lines:
        lines.append("(Có danh sách đảng viên kèm theo).")
    values: dict[str, object] = {
        "ten_to_chuc": node.name, "ten_cap_tren": story.name(node.parent_id),
        "ten_to_chuc_nhan": _joined([story.name(t) for t in targets]),
        "so_dang_vien": sum(len(story.incoming[t]) for t in targets),
        "chuyen_dang_vien": "\n".join(lines) if lines else f"{node.name} không còn đảng viên.",
    }
    return values, [node.name, *(story.name(t) for t in targets)], story.member_lists(targets)


_VALUES: dict[type[Request], Callable[[Story, Any], Values]] = {
    Found: _found, Split: _split, Upgrade: _upgrade, Consolidate: _consolidate, Absorb: _absorb,
    Transfer: _transfer, Receive: _receive, HandOver: _hand_over, Dissolve: _dissolve,
}
