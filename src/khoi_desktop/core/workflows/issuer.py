"""The body that issues a request's decision, and what its document carries (header, căn cứ, signer).

This office's decisions carry the settings' header and signers. A decision of a đảng ủy cơ sở, recorded
or drafted for it, carries that committee's header ("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" above "ĐẢNG ỦY SỞ Y
TẾ", "Số …-QĐ/ĐU") and its own signer, so the same renderer prints it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from khoi_desktop.core.authority import Issuer, committee_name, common_superior, issuer_refusal, superior_committee
from khoi_desktop.core.decision_content import Header, SignatureBlock
from khoi_desktop.core.errors import RequestRefused
from khoi_desktop.core.models import CommitteeSeat, Member, Organization, OrgKind, SeatRole
from khoi_desktop.core.requests import Request
from khoi_desktop.core.tree import OrgNode, valid_on
from khoi_desktop.core.workflows.office import Office


class WrongIssuer(RequestRefused):
    """A request naming the wrong issuer; `required` is the code of the body that decides (None: this office),
    so a form can propose it."""

    def __init__(self, problems: list[tuple[str, str]], required: str | None) -> None:
        super().__init__(problems)
        self.required = required


@dataclass
class Authority:
    issuer_id: Issuer
    header: Header
    short_name: str  # "Đảng ủy Khối các cơ quan tỉnh" / "Đảng ủy Sở Y tế"
    enacting: str  # "BAN THƯỜNG VỤ … QUYẾT ĐỊNH"
    can_cu: list[str]
    recipients: list[str]
    signature: SignatureBlock

    @property
    def is_office(self) -> bool:
        return self.issuer_id is None


def office_signature(office: Office, wanted: str | None) -> SignatureBlock:
    signers = office.settings.signers
    if not signers:
        raise RequestRefused([("no_signer", "Chưa khai báo người ký trong phần cài đặt.")])
    signer = next((s for s in signers if s.name == wanted), None) if wanted else signers[0]
    if signer is None:
        names = ", ".join(s.name for s in signers)
        raise RequestRefused([("unknown_signer", f"Người ký «{wanted}» không có trong cài đặt ({names}).")])
    return SignatureBlock("T/M BAN THƯỜNG VỤ", signer.title, signer.name)


def office_authority(office: Office, signer: str | None) -> Authority:
    s = office.settings
    return Authority(None, Header(s.superior_body, s.issuing_body, s.decision_type_code, s.issuer_code,
                                  s.place_name),
                     s.issuing_body_short, f"{s.standing_committee} QUYẾT ĐỊNH", list(s.can_cu),
                     list(s.default_recipients), office_signature(office, signer))


def _upper(text: str) -> str:
    return text.upper()


def lower_authority(office: Office, body: OrgNode, request: Request) -> Authority:
    """The đảng ủy cơ sở `body` as the issuer: its header, căn cứ, recipients and signer."""
    s = office.settings
    short = committee_name(body.name)
    seats = office.session.execute(
        select(CommitteeSeat.role, Member.family_name, Member.middle_name, Member.given_name)
        .join(Member, Member.id == CommitteeSeat.member_id)
        .where(CommitteeSeat.org_id == body.id, valid_on(CommitteeSeat, office.day))).all()
    holders = {role: " ".join(p for p in names if p) for role, *names in seats}
    has_btv = SeatRole.UY_VIEN_BTV in holders
    on_behalf = "T/M BAN THƯỜNG VỤ" if has_btv else "T/M ĐẢNG ỦY"
    committee = f"BAN THƯỜNG VỤ {_upper(short)}" if has_btv else _upper(short)
    name = (request.recorded.signer if request.recorded else None) or request.signer \
        or holders.get(SeatRole.BI_THU, "")
    named = [(role, " ".join(p for p in names if p)) for role, *names in seats]
    heads = [(role, holder) for role, holder in named if role in (SeatRole.BI_THU, SeatRole.PHO_BI_THU)]
    if request.recorded is None and request.signer and heads and request.signer not in {h for _r, h in heads}:
        # Printed under «BÍ THƯ» of this đảng ủy, someone else's name (the office's own deputy, say) is a wrong
        # document: a draft for a đảng ủy is signed by its Bí thư or a Phó Bí thư.
        who = "; ".join(f"{'Bí thư' if role == SeatRole.BI_THU else 'Phó Bí thư'} {holder}"
                        for role, holder in sorted(heads, key=lambda h: h[0] != SeatRole.BI_THU))
        raise RequestRefused([("unknown_signer", f"Người ký «{request.signer}» không phải Bí thư hay Phó Bí thư "
                                                 f"của {short} ({who}).")])
    deputies = {holder for role, holder in named if role == SeatRole.PHO_BI_THU}
    title = "PHÓ BÍ THƯ" if name and name in deputies and name != holders.get(SeatRole.BI_THU) else "BÍ THƯ"
    can_cu = [f"Căn cứ Quy chế làm việc của {short};" if "Quy chế làm việc" in line else line for line in s.can_cu]
    # Reported to the superior committee itself (its Ban Thường vụ), its Ban Tổ chức keeping the records.
    recipients = [f"Ban Thường vụ {s.issuing_body_short} (để báo cáo),",
                  f"Ban Tổ chức {s.issuing_body_short} (để theo dõi),", "Như Điều 3,", f"Lưu Văn phòng {short}."]
    header = Header(s.party_body, _upper(short), s.decision_type_code, s.lower_issuer_code, s.place_name)
    return Authority(body.id, header, short, f"{committee} QUYẾT ĐỊNH", can_cu, recipients,
                     SignatureBlock(on_behalf, title, name))


def body_of(office: Office, node_id: int) -> OrgNode | None:
    return office.snapshot.nodes.get(node_id)


def superior_of(office: Office, kind: OrgKind, parent_id: int | None) -> Issuer:
    """The directly superior committee of an existing organization (or one about to be placed)."""
    return superior_committee(kind, parent_id, lambda i: body_of(office, i))


def decide_authority(office: Office, request: Request, bodies: Iterable[Issuer], subject: str) -> Authority:
    """The request's issuer checked against who decides; refused with a message saying who does."""
    required = common_superior(bodies)
    wanted: Issuer = None
    own = grassroots_body(office)
    from khoi_desktop.core.exchange.mode import office_decision_from_package

    from_office = own is not None and office_decision_from_package(office.session)
    if from_office:
        own = None  # the office's decision, taken in from its signed package: recorded as it was signed
    if own is not None and not request.issuer:
        request.issuer = own.code  # in grassroots mode the body decides what it may decide
    if own is not None and required != own.id:
        raise RequestRefused([("grassroots_mode", f"Đây là cơ sở dữ liệu của {own.name} (chế độ cơ sở): quyết định "
                                                  f"về {subject} không thuộc thẩm quyền của {committee_name(own.name)}"
                                                  f" mà do Ban Thường vụ {office.settings.issuing_body_short} ban "
                                                  "hành; hãy đề nghị lên Đảng ủy Khối.")])
    if request.issuer:
        node = office.snapshot.by_code(request.issuer)
        if node is None or node.kind is not OrgKind.DANG_BO_CO_SO:
            raise RequestRefused([("invalid_issuer", f"Cơ quan ban hành «{request.issuer}» phải là mã một đảng "
                                                     "bộ cơ sở đang hoạt động (để trống: Ban Thường vụ "
                                                     f"{office.settings.issuing_body_short}).")])
        wanted = node.id
    if wanted != required:
        raise WrongIssuer([issuer_refusal(wanted, required, lambda i: office.snapshot.nodes[i].name,
                                          office.settings.issuing_body_short, subject)],
                          office.snapshot.nodes[required].code if required is not None else None)
    if request.recorded is not None and required is None and not from_office:
        raise RequestRefused([("recorded_office", "Chỉ ghi nhận quyết định đã ký của đảng ủy cơ sở; quyết định của "
                                                  f"Ban Thường vụ {office.settings.issuing_body_short} được cấp số "
                                                  "khi ban hành.")])
    if required is None:
        return office_authority(office, request.signer)
    return lower_authority(office, office.snapshot.nodes[required], request)


def grassroots_body(office: Office) -> OrgNode | None:
    """The body whose database this is, in grassroots mode (core/exchange); None at the office."""
    code = office.grassroots_code
    return office.snapshot.by_code(code) if code is not None else None


def issuer_names(session, issuer_id: Issuer) -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    """(code, committee's name) of a đảng ủy cơ sở that issues, for a form to show; None: this office."""
    if issuer_id is None:
        return None
    row = session.execute(select(Organization.code, Organization.name).where(Organization.id == issuer_id)).first()
    return (row[0], committee_name(row[1])) if row is not None else None
