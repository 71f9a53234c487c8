"""The wording of restructuring decisions (DOMAIN.md §4), built from the checked plan.

Who acts is derived from every body the decision touches: each organization that gives, receives or
ends, the committee above each of them, and the bodies outside the office a hand-over or a reception
deals with. Where a committee acts, the committee is named ("Đảng ủy X bàn giao …"), not the đảng bộ.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from khoi_desktop.core.decision_content import Article, Attachment, DecisionContent, Header, SignatureBlock
from khoi_desktop.core.models import MemberStatus, OrgKind
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
from khoi_desktop.core.settings import DEFAULT_MEMBER_RECIPIENTS, DEFAULT_RECIPIENTS, OfficeSettings
from khoi_desktop.core.text import count_text, show_date
from khoi_desktop.core.tree import OrgNode
from khoi_desktop.core.wording.compounds import office_compounds
from khoi_desktop.core.wording.phrases import basis_lines, committee_of, job_and_unit, join_vi
from khoi_desktop.core.wording.template_store import template_for
from khoi_desktop.core.wording.templates import Wording, wording
from khoi_desktop.core.workflows.issuer import Authority, grassroots_body, office_authority, office_signature
from khoi_desktop.core.workflows.office import MemberInfo, Office
from khoi_desktop.core.workflows.plan import OrgRef, Plan

LIST_NOTE = "(Có danh sách đảng viên kèm theo)."


def authority_of(office: Office, signer: str | None = None) -> Authority:
    """Who issues the decision (core/workflows/issuer.py): this office, or the đảng ủy cơ sở that decides
    (its header, căn cứ, recipients and signer, for a decision recorded or drafted for it)."""
    return office.authority or office_authority(office, signer)


def effective_words(office: Office, request: Request, effective: dt.date) -> str:
    """What follows «kể từ ngày»: the effective date, or «ký» on a draft a đảng ủy cơ sở signs on paper
    without a date of its own. Its signing day is not known when it is drafted (the office's own drafts are
    worded again at issue); recording the signed decision words it again with the day it was signed."""
    if request.effective is not None or request.recorded is not None or authority_of(office).is_office:
        return show_date(effective)
    return "ký" if grassroots_body(office) is None else show_date(effective)


def header(office: Office) -> Header:
    return authority_of(office).header


def signature(office: Office, wanted: str | None) -> SignatureBlock:
    # A deputy's block gains "K/T BÍ THƯ" when printed (SignatureBlock.lines).
    return office.authority.signature if office.authority is not None else office_signature(office, wanted)


def basis_of(office: Office) -> str:
    """The default "Xét đề nghị của …" line of the issuer."""
    authority = authority_of(office)
    if authority.is_office:
        return default_basis(office.settings)
    return f"Xét đề nghị của Văn phòng {authority.short_name}"


def decided_by(settings: OfficeSettings) -> str:
    """'Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh', as the lists' subtitle names the decider."""
    return f"Ban Thường vụ {settings.issuing_body_short}"


def default_basis(settings: OfficeSettings) -> str:
    return f"Xét đề nghị của Ban Tổ chức {settings.issuing_body_short}"


def recipients(settings: OfficeSettings, bodies: Sequence[str], *, member: bool = False) -> list[str]:
    """'Nơi nhận': the office's lines (a member's decision, while the office keeps the default list: 'Như Điều 3'
    and the file copy with the member's file); where they do not send the decision 'Như Điều 3', the bodies
    of Điều 3 are listed one by one before the file copy."""
    lines = list(settings.default_recipients)
    if member and lines == DEFAULT_RECIPIENTS:
        lines = list(DEFAULT_MEMBER_RECIPIENTS)
    if any("điều 3" in line.casefold() for line in lines) or not bodies:
        return lines
    at = len(lines) - 1 if lines and lines[-1].lstrip("- ").startswith("Lưu") else len(lines)
    return lines[:at] + [f"{b}," for b in bodies] + lines[at:]


_AS_ARTICLE = re.compile(r"\b(Như Điều) (\d+)\b", re.IGNORECASE)


def as_last_article(lines: list[str], articles: int) -> list[str]:
    """'Như Điều 3' sends the decision to those its execution article names, the last one: a decision of
    two articles (a member's transfer) or a template the administrator shortened says 'Như Điều 2'."""
    if articles < 1:
        return lines
    return [_AS_ARTICLE.sub(lambda m: f"{m[1]} {articles}" if int(m[2]) > articles else m[0], line)
            for line in lines]


@dataclass
class Parties:
    """Who carries a decision out: committees above the organizations, the organizations, outside bodies."""

    parents: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def bodies(self, office_name: str) -> list[str]:
        """Those who carry the decision out: this office's own organizations and committees. A body outside
        the office is not bound by its decision: it receives the decision to cooperate (partners)."""
        return [b for b in dict.fromkeys([*self.parents, *self.orgs]) if b and b != office_name
                and b not in self.outside]

    def partners(self, office_name: str) -> list[str]:
        return [b for b in dict.fromkeys(self.outside) if b and b != office_name]


def with_partners(lines: list[str], partners: Sequence[str]) -> list[str]:
    """'Nơi nhận' with the bodies outside the office '(để phối hợp)', before 'Như Điều 3' (or the file copy)."""
    if not partners:
        return lines
    at = next((i for i, line in enumerate(lines) if _AS_ARTICLE.search(line)), None)
    if at is None:
        at = len(lines) - 1 if lines and lines[-1].lstrip("- ").startswith("Lưu") else len(lines)
    return lines[:at] + [f"{b} (để phối hợp)," for b in partners] + lines[at:]


def execution_text(settings: OfficeSettings, bodies: Sequence[str], staff: str | None = None) -> str:
    """'Văn phòng, Ban Tổ chức Đảng ủy Khối …, Đảng ủy X, Chi bộ Y và các đồng chí có liên quan'; `staff`
    replaces the first part for another issuer ('Văn phòng Đảng ủy Sở Y tế')."""
    own = staff or f"Văn phòng, Ban Tổ chức {settings.issuing_body_short}"
    return join_vi([own, *bodies, "các đồng chí có liên quan"])


def staff_of(office: Office) -> str | None:
    authority = authority_of(office)
    return None if authority.is_office else f"Văn phòng {authority.short_name}"


class Story:
    """Names and member lists of a plan, in the order the decision tells them."""

    def __init__(self, office: Office, plan: Plan) -> None:
        self.office = office
        self.plan = plan
        self.incoming: dict[OrgRef, list[MemberInfo]] = defaultdict(list)
        for move in plan.moves:
            self.incoming[move.to].append(move.member)
        self.parties = Parties()
        self.cross = False  # the organizations concerned sit under different committees

    def name(self, ref: OrgRef) -> str:
        if isinstance(ref, str):
            return self.plan.new_org(ref).name
        if ref is None:
            return self.office.settings.issuing_body_short
        return self.office.snapshot.nodes[ref].name

    def parent(self, ref: OrgRef) -> OrgRef:
        if isinstance(ref, str):
            return self.plan.new_org(ref).parent
        if ref is None:
            return None
        return self.office.snapshot.nodes[ref].parent_id

    def body(self, ref: OrgRef) -> str:
        """The body that acts for `ref`: a đảng bộ's committee ('Đảng ủy X'), a chi bộ itself."""
        if ref is None or isinstance(ref, str):
            return self.name(ref)
        node = self.office.snapshot.nodes[ref]
        return node.name if node.kind.is_chi_bo else committee_of(node.name)

    def concern(self, refs: Iterable[OrgRef]) -> None:
        """Record organizations the decision touches, with the committee above each."""
        refs = list(refs)
        for ref in refs:
            parent = self.parent(ref)
            if parent is not None:
                self.parties.parents.append(self.body(parent))
            self.parties.orgs.append(self.body(ref))
        if len({self.parent(r) for r in refs}) > 1:
            self.cross = True

    def qualified(self, ref: OrgRef) -> str:
        """'Chi bộ A trực thuộc Đảng bộ X' when the decision spans several đảng bộ, else 'Chi bộ A'."""
        parent = self.parent(ref)
        if not self.cross or parent is None:
            return self.name(ref)
        return f"{self.name(ref)} trực thuộc {self.name(parent)}"

    @staticmethod
    def count(members: list[MemberInfo]) -> str:
        probationary = sum(not m.full for m in members)
        text = f"{count_text(len(members))} đảng viên"
        return text + (f" (trong đó có {count_text(probationary)} đảng viên dự bị)" if probationary else "")

    @staticmethod
    def attachment(title: str, members: list[MemberInfo]) -> Attachment:
        rows = [[str(i), m.full_name, show_date(m.birth_date), job_and_unit(m.job_title, m.agency),
                 "Chính thức" if m.full else "Dự bị"] for i, m in enumerate(members, 1)]
        return Attachment(title=title, rows=rows)

    def sources(self, members: list[MemberInfo]) -> list[int]:
        return list(dict.fromkeys(m.org_id for m in members))

    def member_lists(self, refs: Sequence[OrgRef]) -> list[Attachment]:
        """One list per organization giving and per organization receiving, titled by what it is:
        'DANH SÁCH ĐẢNG VIÊN CHI BỘ A CHUYỂN VỀ SINH HOẠT TẠI CHI BỘ B'."""
        lists = []
        for ref in refs:
            members = self.incoming[ref]
            for source in self.sources(members):
                moved = [m for m in members if m.org_id == source]
                # The line break is where the printed title prefers to break (between the two names).
                title = (f"DANH SÁCH ĐẢNG VIÊN {self.qualified(source)}\nCHUYỂN VỀ SINH HOẠT TẠI "
                         f"{self.qualified(ref)}")
                lists.append(self.attachment(title.upper(), moved))
        return lists


def worded(office: Office, action: str, values: dict[str, object]) -> Wording:
    """Subject and articles from the action's template (the administrator's, or the default)."""
    return wording(action, values, template_for(office.session, action))


def _consent_phrase(note: str) -> str:
    """A consent note ('Duy trì 37 đảng viên …', 'Đảng bộ cơ sở có 17 đảng viên') as the rest of the
    sentence 'Đồng ý để <tổ chức> …'."""
    text = note[:1].lower() + note[1:]
    if text.startswith("thành lập"):  # "Thành lập đảng bộ bộ phận theo …": the organization named is that
        return "được thành lập " + text.removeprefix("thành lập").strip().removeprefix("đảng bộ bộ phận").strip()
    return text if text.startswith("duy trì") else f"là {text}"


def _consent_lines(story: Story, reason: str | None) -> list[str]:
    """One sentence per organization, all its consents in it: 'Đồng ý để Chi bộ X duy trì 37 đảng viên (trên
    30), sinh hoạt theo tổ đảng và duy trì chi bộ cơ sở có 37 đảng viên. Lý do: …'."""
    if not story.plan.consents or not reason:
        return []
    notes: dict[OrgRef, list[str]] = defaultdict(list)
    for ref, note in story.plan.consents:
        notes[ref].append(_consent_phrase(note))
    why = reason.strip().rstrip(".")
    return [f"Đồng ý để {story.name(ref)} {join_vi(phrases)}. Lý do: {why}." for ref, phrases in notes.items()]


def finish(office: Office, *, subject: str, articles: list[Article], basis: list[str], signer: str | None,
           attachments: list[Attachment], bodies: Sequence[str], partners: Sequence[str] = (),
           member: bool = False) -> DecisionContent:
    """The decision around its words: the issuer's header, căn cứ, recipients and signer (the settings'
    for this office's decisions; `member`: a member's decision, see recipients)."""
    settings = office.settings
    authority = authority_of(office, signer)
    texts = [subject, *(a.title for a in attachments)]
    if authority.is_office:
        lines, decider = recipients(settings, bodies, member=member), decided_by(settings)
    else:
        own = [b for b in bodies if b != authority.short_name]
        lines = [*authority.recipients[:-1], *(f"{b}," for b in own if "điều 3" not in " ".join(
            authority.recipients).casefold()), authority.recipients[-1]]
        # The lists' subtitle names who decided: the đảng ủy's standing committee where it signs.
        on_behalf = authority.signature.on_behalf.casefold()
        decider = f"Ban Thường vụ {authority.short_name}" if "thường vụ" in on_behalf else authority.short_name
    return DecisionContent(
        header=authority.header, subject=subject, can_cu=list(authority.can_cu), basis=basis_lines(basis),
        enacting=authority.enacting, articles=articles,
        recipients=as_last_article(with_partners(lines, partners), len(articles)),
        signature=signature(office, signer), attachments=attachments, decided_by=decider,
        keep_together=office_compounds(office.session, texts),
    )


R = TypeVar("R", bound=Request)
Values = tuple[dict[str, object], list[Attachment]]


def compose(office: Office, request: R, plan: Plan, effective: dt.date,
            values_of: Callable[[Story, R], Values]) -> DecisionContent:
    """The decision's content: the wording template of the action (the administrator's, or the default)
    filled with this plan's names and numbers (`values_of`, one function per action below), plus the
    settings' căn cứ, recipients and signer."""
    story = Story(office, plan)
    values, lists = values_of(story, request)
    settings = office.settings
    authority = authority_of(office, request.signer)
    bodies = [b for b in story.parties.bodies(settings.issuing_body_short) if b != authority.short_name]
    values.update(ten_co_quan=authority.short_name, ngay_hieu_luc=effective_words(office, request, effective),
                  co_quan_thi_hanh=execution_text(settings, bodies, staff_of(office)))
    words = worded(office, request.action, values)
    articles = words.articles or [Article([])]
    articles[0].paragraphs.extend(_consent_lines(story, request.consent_reason))
    articles[0].paragraphs.extend(_transfer_lines(story, request))
    return finish(office, subject=words.subject, articles=articles,
                  basis=[request.basis or basis_of(office)], signer=request.signer, attachments=lists,
                  bodies=bodies, partners=story.parties.partners(settings.issuing_body_short))


def _transfer_lines(story: Story, request: Request) -> list[str]:
    """A transfer across levels says what the organization becomes, and what becomes of its committee."""
    if not isinstance(request, Transfer) or not story.plan.reparents:
        return []
    reparent = story.plan.reparents[0]
    node = story.office.snapshot.nodes[reparent.org_id]
    lines = []
    if reparent.kind is not None:
        lines.append(f"{node.name} chuyển từ {node.kind.label.lower()} thành {reparent.kind.label.lower()} "
                     f"{story.name(reparent.to)}.")
    who = f"Chi ủy {node.name}" if node.kind.is_chi_bo else committee_of(node.name)
    if reparent.end_committee:
        lines.append(f"{who} kết thúc hoạt động kể từ ngày Quyết định có hiệu lực.")
    elif reparent.kind is not None:
        lines.append(f"{who} tiếp tục hoạt động đến hết nhiệm kỳ.")
    return lines


def _group_lines(story: Story, keys: list[str]) -> str:
    last = len(keys)
    return "\n".join(f"{i}. {story.name(k)}, gồm {story.count(story.incoming[k])}{'.' if i == last else ';'}"
                     for i, k in enumerate(keys, 1))


def _joined(names: list[str]) -> str:
    return join_vi(names)


def found_values(story: Story, r: Found) -> Values:
    """A chi bộ with its members; or a đảng bộ with its chi bộ trực thuộc, each with its members, in the same
    Điều 1 («…, gồm 45 đảng viên chuyển từ …; Đảng bộ X gồm 03 chi bộ trực thuộc:» then one line per chi bộ)."""
    new, *branches = story.plan.new_orgs
    keys = [b.key for b in branches]
    members = [m for key in [new.key, *keys] for m in story.incoming[key]]
    sources = story.sources(members)
    story.concern([new.key, *sources])
    gom = ""
    if members:
        gom = f", gồm {story.count(members)} chuyển từ {join_vi([story.qualified(s) for s in sources])}"
    if keys:
        lines = [f"{i}. {b.name}, gồm {story.count(story.incoming[b.key])}" for i, b in enumerate(branches, 1)]
        gom += f"; {new.name} gồm {count_text(len(keys))} chi bộ trực thuộc:\n" + ";\n".join(lines)
        gom += ".\n" + LIST_NOTE.removesuffix(".") if members else ""
    elif members:
        gom += ", có danh sách kèm theo"
    values: dict[str, object] = {
        "ten_to_chuc": new.name, "loai_to_chuc": new.kind.label.lower(), "ten_cap_tren": story.name(new.parent),
        "cap_uy_cap_tren": story.body(new.parent),
        "so_dang_vien": len(members), "so_du_bi": sum(not m.full for m in members), "gom_dang_vien": gom,
        "chuc_danh_chi_dinh": _to_appoint(story, new.kind, sum(m.full for m in members)),
    }
    return values, story.member_lists([new.key, *keys])


def _to_appoint(story: Story, kind: OrgKind, full_members: int) -> str:
    """What the superior appoints for a new organization (DOMAIN.md §3): a đảng bộ its committee, Bí thư and Phó
    Bí thư; a chi bộ with enough full members for a chi ủy the same; a smaller chi bộ has no chi ủy, only a Bí thư
    (and a Phó Bí thư if needed)."""
    if not kind.is_chi_bo:
        return "cấp ủy, bí thư, phó bí thư"
    if full_members >= story.office.settings.thresholds.chi_uy_min_full_members:
        return "chi ủy, bí thư, phó bí thư"
    return "bí thư, phó bí thư"


def _counted(node: OrgNode) -> str:
    """«42 đảng viên (trong đó có 04 đảng viên dự bị)»: an organization's members as its new chi bộ are counted."""
    text = f"{count_text(node.members)} đảng viên"
    return text + (f" (trong đó có {count_text(node.probationary)} đảng viên dự bị)" if node.probationary else "")


def split_values(story: Story, r: Split) -> Values:
    source = story.office.org(r.org)
    assert source is not None
    keys = [o.key for o in story.plan.new_orgs]
    story.concern([source.id, *keys])
    ended = ""
    if r.keep_source:
        how = (f"Tách {count_text(len(story.plan.moves))} đảng viên của {source.name} để thành lập "
               f"{count_text(len(keys))} chi bộ")
    else:
        how = f"Tách {source.name}, gồm {_counted(source)}, thành {count_text(len(keys))} chi bộ"
        ended = f"{source.name} kết thúc hoạt động kể từ ngày trên."
    values: dict[str, object] = {
        "ten_to_chuc": source.name, "ten_cap_tren": story.name(source.parent_id),
        "cap_uy_cap_tren": story.body(source.parent_id), "so_dang_vien": source.members,
        "so_to_chuc_moi": len(keys), "cac_to_chuc_moi": _joined([story.name(k) for k in keys]),
        "danh_sach_to_chuc_moi": _group_lines(story, keys), "cach_tach": how, "ket_thuc": ended,
        "cac_ben_ban_giao": join_vi([source.name, *(story.name(k) for k in keys)]),
    }
    return values, story.member_lists(keys)


def upgrade_values(story: Story, r: Upgrade) -> Values:
    source = story.office.org(r.org)
    assert source is not None
    dang_bo, *branches = story.plan.new_orgs
    keys = [b.key for b in branches]
    story.concern([source.id, dang_bo.key])
    values: dict[str, object] = {
        "ten_to_chuc": source.name, "ten_to_chuc_moi": dang_bo.name, "ten_cap_tren": story.name(dang_bo.parent),
        "cap_uy_cap_tren": story.body(dang_bo.parent), "so_dang_vien": source.members, "thanh_phan": _counted(source),
        "so_to_chuc_moi": len(keys), "cac_to_chuc_moi": _joined([b.name for b in branches]),
        "danh_sach_to_chuc_moi": _group_lines(story, keys),
        "cac_ben_ban_giao": join_vi([source.name, dang_bo.name]),
    }
    return values, story.member_lists(keys)


def _ended(story: Story) -> list[int]:
    return list(story.plan.ends)


def consolidate_values(story: Story, r: Consolidate) -> Values:
    new = story.plan.new_orgs[0]
    members = _members_after(story, new.key)
    ended = _ended(story)
    story.concern([*ended, new.key])
    values: dict[str, object] = {
        "cac_to_chuc": join_vi([story.qualified(i) for i in ended]), "ten_to_chuc_moi": new.name,
        "loai_to_chuc": new.kind.label.lower(), "ten_cap_tren": story.name(new.parent),
        "cap_uy_cap_tren": story.body(new.parent), "so_dang_vien": len(members), "thanh_phan": story.count(members),
        "cac_ben_ban_giao": join_vi([*(story.body(i) for i in ended), new.name]),
    }
    return values, story.member_lists([new.key])


def _members_after(story: Story, ref: str | int) -> list[MemberInfo]:
    """Members a merged organization holds: moved in directly, or in the branches it receives."""
    moved = list(story.incoming[ref])
    for reparent in story.plan.reparents:
        if reparent.to == ref:
            moved += _members_under(story, reparent.org_id)
    return moved


def absorb_values(story: Story, r: Absorb) -> Values:
    target = story.office.org(r.into)
    assert target is not None
    ended = _ended(story)
    story.concern([*ended, target.id])
    moved = story.incoming[target.id]
    sources = join_vi([story.qualified(i) for i in ended])
    line = (f"Chuyển {story.count(moved)} của {sources} về sinh hoạt tại {story.qualified(target.id)}.\n"
            + LIST_NOTE if moved else
            f"Các tổ chức trực thuộc {sources} chuyển về trực thuộc {story.qualified(target.id)}.")
    values: dict[str, object] = {
        "cac_to_chuc": sources, "ten_to_chuc": story.qualified(target.id),
        "so_dang_vien": len(_members_after(story, target.id)), "chuyen_dang_vien": line,
        "cac_ben_ban_giao": join_vi([*(story.body(i) for i in ended), story.body(target.id)]),
    }
    return values, story.member_lists([target.id])


def _members_under(story: Story, org_id: int) -> list[MemberInfo]:
    return [m for i in story.office.snapshot.subtree_ids(org_id) for m in story.office.members_in(i)]


def transfer_values(story: Story, r: Transfer) -> Values:
    node = story.office.org(r.org)
    assert node is not None
    to = story.plan.reparents[0].to
    members = _members_under(story, node.id)
    story.concern([node.id])
    if to is not None:
        story.parties.parents.append(story.body(to))
    old_body = story.body(node.parent_id) if node.parent_id is not None else \
        f"Ban Tổ chức {story.office.settings.issuing_body_short}"
    new_body = story.body(to) if to is not None else f"Ban Tổ chức {story.office.settings.issuing_body_short}"
    values: dict[str, object] = {"ten_to_chuc": node.name, "ten_cap_tren_cu": story.name(node.parent_id),
                                 "ten_cap_tren": story.name(to), "cap_uy_cap_tren": story.body(to),
                                 "so_dang_vien": len(members), "thanh_phan": story.count(members),
                                 "cac_ben_ban_giao": join_vi([old_body, new_body])}
    return values, []


def receive_values(story: Story, r: Receive) -> Values:
    arrivals = story.plan.arrivals
    probationary = sum(a.record.status is MemberStatus.DU_BI for a in arrivals)
    parent_ref = story.plan.new_orgs[0].parent if story.plan.new_orgs else None
    parent = story.name(parent_ref) if story.plan.new_orgs else ""
    giver = committee_of(r.from_body)
    story.concern([o.key for o in story.plan.new_orgs])
    story.parties.outside.append(giver)
    lists = []
    for new in story.plan.new_orgs:
        rows = [[str(i), " ".join(p for p in (a.record.family_name, a.record.middle_name, a.record.given_name) if p),
                 show_date(a.record.birth_date), a.record.job_title or "", a.record.status.label]
                for i, a in enumerate((a for a in arrivals if a.to == new.key), 1)]
        title = f"DANH SÁCH ĐẢNG VIÊN TIẾP NHẬN TỪ {r.from_body}\nVỀ SINH HOẠT TẠI {new.name}"
        lists.append(Attachment(title=title.upper(), rows=rows))
    count = f"{count_text(len(arrivals))} đảng viên" + (
        f" (trong đó có {count_text(probationary)} đảng viên dự bị)" if probationary else "")
    values: dict[str, object] = {
        "ten_co_quan_giao": r.from_body, "so_to_chuc": len(story.plan.new_orgs),
        "cac_to_chuc": _joined([o.name for o in story.plan.new_orgs]), "so_dang_vien": len(arrivals),
        "so_du_bi": probationary, "thanh_phan": count, "ten_cap_tren": parent,
        "cap_uy_cap_tren": story.body(parent_ref),
        "cac_ben_ban_giao": join_vi([giver, story.body(parent_ref) if parent_ref is not None else
                                     f"Ban Tổ chức {story.office.settings.issuing_body_short}"]),
    }
    return values, lists


def hand_over_values(story: Story, r: HandOver) -> Values:
    node = story.office.org(r.org)
    assert node is not None
    members = [leave.member for leave in story.plan.leaves]
    receiver = committee_of(r.to_body)
    # The side that keeps the organization's records above it, as a transfer and a reception name it: its
    # đảng ủy cơ sở, or this office's Ban Tổ chức for a TCCSĐ directly under it.
    giver = story.body(node.parent_id) if node.parent_id is not None else \
        f"Ban Tổ chức {story.office.settings.issuing_body_short}"
    story.concern([node.id])
    story.parties.outside.append(receiver)
    values: dict[str, object] = {
        "ten_to_chuc": node.name, "ten_co_quan_nhan": r.to_body, "so_to_chuc": len(story.plan.ends),
        "so_dang_vien": len(members), "so_du_bi": sum(not m.full for m in members),
        "thanh_phan": story.count(members), "cac_ben_ban_giao": join_vi([giver, receiver]),
    }
    title = f"DANH SÁCH ĐẢNG VIÊN {node.name}\nCHUYỂN GIAO VỀ {r.to_body}"
    attachment = story.attachment(title.upper(), members)
    return values, [attachment] if members else []


def dissolve_values(story: Story, r: Dissolve) -> Values:
    node = story.office.org(r.org)
    assert node is not None
    targets = list(story.incoming)
    story.concern([node.id, *(t for t in targets)])
    lines = [f"Chuyển {story.count(story.incoming[t])} của {story.qualified(node.id)} về sinh hoạt tại "
             f"{story.qualified(t)}." for t in targets]
    if lines:
        lines.append(LIST_NOTE)
    values: dict[str, object] = {
        "ten_to_chuc": node.name, "ten_cap_tren": story.name(node.parent_id),
        "cap_uy_cap_tren": story.body(node.parent_id),
        "ten_to_chuc_nhan": _joined([story.name(t) for t in targets]),
        "so_dang_vien": sum(len(story.incoming[t]) for t in targets),
        "chuyen_dang_vien": "\n".join(lines) if lines else f"{node.name} không còn đảng viên.",
        "cac_ben_ban_giao": join_vi([story.body(node.id), *(story.body(t) for t in targets)]),
    }
    return values, story.member_lists(targets)
