"""The wording of restructuring decisions (DOMAIN.md §4), built from the checked plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

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
from khoi_desktop.core.workflows.office import MemberInfo, Office
from khoi_desktop.core.workflows.plan import OrgRef, Plan

EXECUTION = "Quyết định có hiệu lực kể từ ngày ký."


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

    def member_lists(self, refs: list[OrgRef]) -> list[Attachment]:
        return [self.attachment(f"DANH SÁCH ĐẢNG VIÊN {self.name(ref).upper()}", self.incoming[ref])
                for ref in refs if self.incoming[ref]]


def _execution(office: Office, *parties: str) -> Article:
    who = ", ".join(["Văn phòng, Ban Tổ chức " + office.settings.issuing_body_short, *parties])
    return Article([f"{who} và các đồng chí có liên quan chịu trách nhiệm thi hành Quyết định này. {EXECUTION}"])


def _records_article(what: str) -> Article:
    return Article([f"{what} bàn giao danh sách đảng viên, hồ sơ đảng viên và tài liệu có liên quan bằng biên bản "
                    "theo quy định."])


def _consent_lines(story: Story, reason: str | None) -> list[str]:
    if not story.plan.consents or not reason:
        return []
    return [f"Đồng ý để {story.name(ref)}: {note.lower()}. Lý do: {reason}." for ref, note in story.plan.consents]


def compose(office: Office, request: Request, plan: Plan, effective: dt.date) -> DecisionContent:
    story = Story(office, plan)
    from_date = f"kể từ ngày {show_date(effective)}"
    subject, articles, lists = _ARTICLES[type(request)](story, request, from_date)
    articles[0].paragraphs.extend(_consent_lines(story, request.consent_reason))
    settings = office.settings
    basis = [request.basis] if request.basis else [f"Xét đề nghị của Ban Tổ chức {settings.issuing_body_short},"]
    return DecisionContent(
        header=header(office), subject=subject, can_cu=list(settings.can_cu), basis=basis,
        enacting=f"{settings.standing_committee} QUYẾT ĐỊNH", articles=articles,
        recipients=list(settings.default_recipients), signature=signature(office, request.signer),
        attachments=lists,
    )


def _found(story: Story, r: Found, from_date: str):  # type: ignore[no-untyped-def]
    new = story.plan.new_orgs[0]
    parent = story.name(new.parent)
    members = story.incoming[new.key]
    first = f"Thành lập {new.name} trực thuộc {parent}, {from_date}."
    if members:
        first += f" {new.name} gồm {story.count(members)} (có danh sách kèm theo)."
    duties = Article([f"{new.name} có chức năng, nhiệm vụ theo quy định của Điều lệ Đảng và hướng dẫn của cấp ủy "
                      "cấp trên; cấp ủy cấp trên trực tiếp chỉ định cấp ủy lâm thời đến hết nhiệm kỳ."])
    return (f"về việc thành lập {new.name}", [Article([first]), duties, _execution(story.office, parent, new.name)],
            story.member_lists([new.key]))


def _split(story: Story, r: Split, from_date: str):  # type: ignore[no-untyped-def]
    source = story.office.org(r.org)
    assert source is not None
    groups = [o for o in story.plan.new_orgs]
    lines = [f"{i}. {g.name}, gồm {story.count(story.incoming[g.key])}." for i, g in enumerate(groups, 1)]
    if r.keep_source:
        first = (f"Tách {thousands(len(story.plan.moves))} đảng viên của {source.name} để thành lập "
                 f"{len(groups)} chi bộ, {from_date}:")
        subject = f"về việc tách một số đảng viên của {source.name} để thành lập chi bộ mới"
    else:
        first = (f"Tách {source.name} (gồm {thousands(source.members)} đảng viên) thành {len(groups)} chi bộ trực "
                 f"thuộc {story.name(source.parent_id)}, {from_date}:")
        subject = f"về việc tách {source.name}"
    articles = [Article([first, *lines, "(Có danh sách đảng viên kèm theo)."]),
                _records_article(f"{source.name} và các chi bộ mới"),
                _execution(story.office, story.name(source.parent_id), source.name, *(g.name for g in groups))]
    return subject, articles, story.member_lists([g.key for g in groups])


def _upgrade(story: Story, r: Upgrade, from_date: str):  # type: ignore[no-untyped-def]
    source = story.office.org(r.org)
    assert source is not None
    dang_bo, *branches = story.plan.new_orgs
    lines = [f"{i}. {b.name}, gồm {story.count(story.incoming[b.key])}." for i, b in enumerate(branches, 1)]
    first = (f"Thành lập {dang_bo.name} trên cơ sở {source.name} (gồm {thousands(source.members)} đảng viên), trực "
             f"thuộc {story.name(dang_bo.parent)}, {from_date}; {source.name} kết thúc hoạt động. {dang_bo.name} "
             f"gồm {len(branches)} chi bộ trực thuộc:")
    articles = [Article([first, *lines, "(Có danh sách đảng viên kèm theo)."]),
                _records_article(f"{source.name} và {dang_bo.name}"),
                _execution(story.office, story.name(dang_bo.parent), dang_bo.name)]
    return (f"về việc thành lập {dang_bo.name} trên cơ sở {source.name}", articles,
            story.member_lists([b.key for b in branches]))


def _source_names(story: Story) -> str:
    names = [story.office.snapshot.nodes[i].name for i in story.plan.ends]
    return ", ".join(names[:-1]) + f" và {names[-1]}" if len(names) > 1 else (names[0] if names else "")


def _consolidate(story: Story, r: Consolidate, from_date: str):  # type: ignore[no-untyped-def]
    new = story.plan.new_orgs[0]
    sources = _source_names(story)
    members = story.incoming[new.key]
    first = (f"Hợp nhất {sources} thành {new.name} trực thuộc {story.name(new.parent)}, {from_date}. "
             f"{new.name} gồm {story.count(members)}" + (" (có danh sách kèm theo)." if members else "."))
    articles = [Article([first]), _records_article(f"{sources} và {new.name}"),
                _execution(story.office, story.name(new.parent), new.name)]
    return f"về việc hợp nhất {sources} thành {new.name}", articles, story.member_lists([new.key])


def _absorb(story: Story, r: Absorb, from_date: str):  # type: ignore[no-untyped-def]
    target = story.office.org(r.into)
    assert target is not None
    sources = _source_names(story)
    moved = story.incoming[target.id]
    first = f"Sáp nhập {sources} vào {target.name}, {from_date}."
    if moved:
        first += f" Chuyển {story.count(moved)} về sinh hoạt tại {target.name} (có danh sách kèm theo)."
    articles = [Article([first]), _records_article(f"{sources} và {target.name}"),
                _execution(story.office, target.name)]
    return f"về việc sáp nhập {sources} vào {target.name}", articles, story.member_lists([target.id])


def _members_under(story: Story, org_id: int) -> list[MemberInfo]:
    return [m for i in story.office.snapshot.subtree_ids(org_id) for m in story.office.members_in(i)]


def _transfer(story: Story, r: Transfer, from_date: str):  # type: ignore[no-untyped-def]
    node = story.office.org(r.org)
    assert node is not None
    target = story.name(story.plan.reparents[0].to)
    members = _members_under(story, node.id)
    first = (f"Chuyển {node.name} ({story.count(members)}) từ trực thuộc {story.name(node.parent_id)} về trực "
             f"thuộc {target}, {from_date}.")
    articles = [Article([first]), _records_article(f"{story.name(node.parent_id)} và {target}"),
                _execution(story.office, story.name(node.parent_id), target, node.name)]
    return f"về việc chuyển {node.name} về trực thuộc {target}", articles, []


def _receive(story: Story, r: Receive, from_date: str):  # type: ignore[no-untyped-def]
    arrivals = story.plan.arrivals
    probationary = sum(a.record.status == "du_bi" for a in arrivals)
    parent = story.name(story.plan.new_orgs[0].parent) if story.plan.new_orgs else ""
    names = ", ".join(o.name for o in story.plan.new_orgs)
    first = (f"Tiếp nhận {len(story.plan.new_orgs)} tổ chức đảng ({names}) và {thousands(len(arrivals))} đảng viên"
             + (f" (trong đó có {probationary} đảng viên dự bị)" if probationary else "")
             + f" (có danh sách kèm theo) từ {r.from_body} về trực thuộc {parent}, {from_date}.")
    lists = []
    for new in story.plan.new_orgs:
        rows = [[str(i), " ".join(p for p in (a.record.family_name, a.record.middle_name, a.record.given_name) if p),
                 show_date(a.record.birth_date), a.record.job_title or "",
                 "Chính thức" if a.record.status == "chinh_thuc" else "Dự bị"]
                for i, a in enumerate((a for a in arrivals if a.to == new.key), 1)]
        lists.append(Attachment(title=f"DANH SÁCH ĐẢNG VIÊN {new.name.upper()}", rows=rows))
    articles = [Article([first]), _records_article(f"{r.from_body} và {parent}"),
                _execution(story.office, parent, *(o.name for o in story.plan.new_orgs))]
    return f"về việc tiếp nhận tổ chức đảng và đảng viên từ {r.from_body}", articles, lists


def _hand_over(story: Story, r: HandOver, from_date: str):  # type: ignore[no-untyped-def]
    node = story.office.org(r.org)
    assert node is not None
    members = [leave.member for leave in story.plan.leaves]
    orgs = len(story.plan.ends)
    first = (f"Chuyển giao {orgs} tổ chức đảng ({node.name}) và {story.count(members)} (có danh sách kèm theo) về "
             f"{r.to_body}, {from_date}.")
    articles = [Article([first]), _records_article(f"{node.name} và {r.to_body}"),
                _execution(story.office, node.name)]
    attachment = story.attachment(f"DANH SÁCH ĐẢNG VIÊN {node.name.upper()}", members)
    return f"về việc chuyển giao {node.name} về {r.to_body}", articles, [attachment] if members else []


def _dissolve(story: Story, r: Dissolve, from_date: str):  # type: ignore[no-untyped-def]
    node = story.office.org(r.org)
    assert node is not None
    targets = list(story.incoming)
    moves = [f"Chuyển {story.count(story.incoming[t])} của {node.name} về sinh hoạt tại {story.name(t)}."
             for t in targets]
    articles = [Article([f"Giải thể {node.name} trực thuộc {story.name(node.parent_id)}, {from_date}."]),
                Article([*moves, "(Có danh sách đảng viên kèm theo)."] if moves else
                        [f"{node.name} không còn đảng viên."]),
                _execution(story.office, node.name, *(story.name(t) for t in targets))]
    return f"về việc giải thể {node.name}", articles, story.member_lists(targets)


_ARTICLES = {Found: _found, Split: _split, Upgrade: _upgrade, Consolidate: _consolidate, Absorb: _absorb,
             Transfer: _transfer, Receive: _receive, HandOver: _hand_over, Dissolve: _dissolve}
