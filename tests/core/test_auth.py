"""Accounts, roles and permissions: every core write entry point against every role, Argon2id hashes,
lockout and unlock with an injected clock, password changes and resets, and their audit entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from openpyxl import Workbook
from sqlalchemy import func, select

from factories import add_members, add_org
from khoi_desktop.core import decisions
from khoi_desktop.core.apply import apply_request, issue_draft
from khoi_desktop.core.audit import record, verify_trail
from khoi_desktop.core.audit_log import AuditFilter, audit_entries, check_trail
from khoi_desktop.core.auth import accounts, passwords
from khoi_desktop.core.auth.accounts import LOCKOUT, MAX_FAILED_ATTEMPTS, LoginRefused
from khoi_desktop.core.auth.current import CurrentUser, Role
from khoi_desktop.core.auth.models import User
from khoi_desktop.core.auth.passwords import hash_password, needs_rehash, verify_password
from khoi_desktop.core.auth.permissions import ROLE_PERMISSIONS, Permission, PermissionDenied, require_user
from khoi_desktop.core.auth.settings import AuthSettings, load_auth_settings, save_auth_settings
from khoi_desktop.core.backup.restore import restore_backup
from khoi_desktop.core.backup.settings import BackupSettings, save_backup_settings
from khoi_desktop.core.backup.writer import create_backup
from khoi_desktop.core.db import Database
from khoi_desktop.core.decision_content import DecisionContent
from khoi_desktop.core.errors import ValidationError
from khoi_desktop.core.members import search_members
from khoi_desktop.core.models import AuditEntry, Decision, DecisionStatus, Member, Term
from khoi_desktop.core.office import create_office
from khoi_desktop.core.request_json import parse_request
from khoi_desktop.core.settings import OfficeSettings, load_settings, save_settings
from khoi_desktop.core.wording.template_store import DEFAULT_TEMPLATES, reset_template, save_template
from khoi_desktop.documents.copies import decision_docx, decision_pdf
from khoi_desktop.documents.pdf import render_pdf
from khoi_desktop.spreadsheets.mapping import propose_mapping
from khoi_desktop.spreadsheets.member_import import ImportOptions, import_members
from khoi_desktop.spreadsheets.reader import read_table

DAY = dt.date(2026, 3, 2)
T0 = dt.datetime(2026, 3, 2, 8, 0, 0)
USERS = {role: CurrentUser(f"user_{role.value}", f"Người {role.label}", role) for role in Role}
# A chi bộ cơ sở: this office's own decision, numbered and printed at issue (issue 13: a chi bộ trực thuộc
# would be the Đảng ủy Sở Y tế's).
FOUND = {"action": "found", "kind": "chi_bo_co_so", "name": "Chi bộ Phòng Mới", "parent": None,
         "members": ["CB0001-001", "CB0001-002", "CB0001-003"], "effective": DAY.isoformat(),
         "consent_reason": "Cấp trên đồng ý"}


def found(name: str, first: int) -> dict[str, object]:
    return {**FOUND, "name": name, "members": [f"CB0001-{i:03d}" for i in range(first, first + 3)]}


REAL_HASHING = {"test_passwords_are_argon2id_and_verify", "test_a_weaker_hash_is_upgraded_at_login"}


@pytest.fixture(autouse=True)
def fast_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny costs, so a hundred logins take no time; the hashing tests keep the real one."""
    if request.node.name not in REAL_HASHING:
        monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                                  type=Type.ID))


@pytest.fixture
def office(db: Database) -> Database:
    """Settings, a term, a đảng bộ with a chi bộ of 12, an issued decision, a draft, an administrator."""
    with db.writing() as s:
        save_settings(s, OfficeSettings(configured=True))
        s.add_all([Term(name="2025-2030", starts_on=dt.date(2025, 10, 1), ends_on=dt.date(2030, 9, 30))])
        dang_bo = add_org(s, "CS001", "Đảng bộ Sở Y tế", "dang_bo_co_so")
        chi_bo = add_org(s, "CB0001", "Chi bộ Văn phòng Sở", "chi_bo_truc_thuoc", parent=dang_bo)
        add_members(s, chi_bo, 12)
        add_org(s, "CB0002", "Chi bộ Thanh tra Sở", "chi_bo_truc_thuoc", parent=dang_bo)
    with db.writing() as s:
        apply_request(s, parse_request(FOUND), actor="test", issue=True, today=DAY, render=render_pdf)
        apply_request(s, parse_request(found("Chi bộ Dự thảo", 4)), actor="test", issue=False, today=DAY,
                      render=render_pdf)
        accounts.create_account(s, username="admin", full_name="Quản trị", role=Role.QUAN_TRI, password="mat-khau-1")
        accounts.create_account(s, username="vanthu", full_name="Văn thư", role=Role.CHUYEN_VIEN,
                                password="mat-khau-1")
    return db


def as_role(db: Database, role: Role | None) -> Database:
    db.user = USERS[role] if role else None
    return db


def _draft_id(db: Database) -> int:
    with db.reading() as s:
        return s.scalars(select(Decision.id).where(Decision.status == DecisionStatus.DRAFT)).first()  # type: ignore[return-value]


def _issued_id(db: Database) -> int:
    with db.reading() as s:
        return s.scalars(select(Decision.id).where(Decision.status == DecisionStatus.ISSUED)).first()  # type: ignore[return-value]


def member_file(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"])
    ws.append([1, "Nguyễn Văn Nhập", "05/03/1980", "19/05/2010", "19/05/2011", "CB0002"])
    wb.save(path)
    return path


# --- every core operation against every role -----------------------------------------------------

def op_draft(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        apply_request(s, parse_request(found("Chi bộ Thêm", 7)), actor="x", issue=False, today=DAY, render=render_pdf)


def op_issue(db: Database, _tmp: Path) -> None:
    draft = _draft_id(db)
    with db.writing() as s:
        issue_draft(s, decisions.find_decision(s, draft), on=DAY, actor="x", render=render_pdf)


def op_update_draft(db: Database, _tmp: Path) -> None:
    draft = _draft_id(db)
    with db.writing() as s:
        decision = s.get(Decision, draft)
        assert decision is not None
        content = DecisionContent.from_json(decision.content)
        content.subject = "Về việc thành lập Chi bộ Sửa"
        decisions.update_draft(s, decision, content, "x")


def op_discard_draft(db: Database, _tmp: Path) -> None:
    draft = _draft_id(db)
    with db.writing() as s:
        decision = s.get(Decision, draft)
        assert decision is not None
        decisions.discard_draft(s, decision, "x")


def op_view_draft(db: Database, _tmp: Path) -> None:
    draft = _draft_id(db)
    with db.reading() as s:
        decisions.find_decision(s, draft)


def op_print_draft(db: Database, _tmp: Path) -> None:
    draft = _draft_id(db)
    with db.reading() as s:
        decision = s.get(Decision, draft)
        assert decision is not None
        decision_pdf(s, decision)


def op_word_copy_of_draft(db: Database, _tmp: Path) -> None:
    draft = _draft_id(db)
    with db.reading() as s:
        decision = s.get(Decision, draft)
        assert decision is not None
        decision_docx(s, decision)


def op_print_issued(db: Database, _tmp: Path) -> None:
    with db.reading() as s:
        assert decision_pdf(s, decisions.find_decision(s, _issued_id(db)))[:4] == b"%PDF"


def op_search(db: Database, _tmp: Path) -> None:
    with db.reading() as s:
        assert search_members(s, "cb0001", DAY) is not None


def op_save_settings(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        settings = load_settings(s)
        settings.place_name = "Bắc Kạn"
        save_settings(s, settings)


def op_create_office(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        create_office(s, OfficeSettings(), term="2025-2030", term_starts_on=dt.date(2025, 10, 1), actor="x")


def op_save_template(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        save_template(s, "found", DEFAULT_TEMPLATES["found"] + " ", actor="x")


def op_reset_template(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        reset_template(s, "found", actor="x")


def op_import(db: Database, tmp: Path) -> None:
    table = read_table(member_file(tmp / "ds.xlsx"))
    with db.writing() as s:
        import_members(s, table, propose_mapping(table), ImportOptions(target_org="CS001", today=DAY), actor="x")


def op_backup(db: Database, tmp: Path) -> None:
    create_backup(db, tmp / "bk", actor="x", kind="manual")


def make_backup(db: Database, tmp: Path) -> None:
    user, db.user = db.user, None
    create_backup(db, tmp / "restore-from", actor="x", kind="manual")
    db.user = user


def op_restore(db: Database, tmp: Path) -> None:
    made = next((tmp / "restore-from").iterdir())
    restore_backup(made, tmp / "khoi-phuc.db", actor="x", user=db.user)
    assert (tmp / "khoi-phuc.db").exists()


def op_backup_settings(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        save_backup_settings(s, BackupSettings(keep_daily=5))


def op_auth_settings(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        save_auth_settings(s, AuthSettings(idle_lock_minutes=3))


def op_create_account(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        accounts.create_account(s, username="moi", full_name="Người Mới", role=Role.CHI_XEM, password="mat-khau-2")


def op_disable_account(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        accounts.set_active(s, "vanthu", False)


def op_reset_password(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        accounts.reset_password(s, "admin", "mat-khau-moi")


def op_set_role(db: Database, _tmp: Path) -> None:
    with db.writing() as s:
        accounts.set_role(s, "admin", Role.QUAN_TRI)


def op_list_accounts(db: Database, _tmp: Path) -> None:
    with db.reading() as s:
        accounts.list_accounts(s)


def op_read_audit(db: Database, _tmp: Path) -> None:
    with db.reading() as s:
        audit_entries(s, AuditFilter())
        check_trail(s)


OPERATIONS: dict[str, tuple[Callable[[Database, Path], None], Permission]] = {
    "draft": (op_draft, Permission.DRAFT_ISSUE),
    "issue": (op_issue, Permission.DRAFT_ISSUE),
    "update_draft": (op_update_draft, Permission.DRAFT_ISSUE),
    "discard_draft": (op_discard_draft, Permission.DRAFT_ISSUE),
    "view_draft": (op_view_draft, Permission.VIEW_DRAFTS),
    "print_draft": (op_print_draft, Permission.VIEW_DRAFTS),
    "word_copy_of_draft": (op_word_copy_of_draft, Permission.VIEW_DRAFTS),
    "print_issued": (op_print_issued, Permission.READ),
    "search": (op_search, Permission.READ),
    "save_settings": (op_save_settings, Permission.SETTINGS),
    "create_office": (op_create_office, Permission.SETTINGS),
    "backup_settings": (op_backup_settings, Permission.SETTINGS),
    "auth_settings": (op_auth_settings, Permission.SETTINGS),
    "save_template": (op_save_template, Permission.TEMPLATES),
    "reset_template": (op_reset_template, Permission.TEMPLATES),
    "import": (op_import, Permission.IMPORT),
    "backup": (op_backup, Permission.BACKUP),
    "restore": (op_restore, Permission.RESTORE),
    "create_account": (op_create_account, Permission.MANAGE_USERS),
    "disable_account": (op_disable_account, Permission.MANAGE_USERS),
    "reset_password": (op_reset_password, Permission.MANAGE_USERS),
    "set_role": (op_set_role, Permission.MANAGE_USERS),
    "list_accounts": (op_list_accounts, Permission.MANAGE_USERS),
    "read_audit": (op_read_audit, Permission.AUDIT),
}


def fingerprint(db: Database) -> tuple[object, ...]:
    """What a refused operation must leave untouched."""
    with db.reading() as s:
        return (s.scalar(select(func.count()).select_from(AuditEntry)),
                tuple(s.execute(select(Decision.id, Decision.status, Decision.subject)).all()),
                s.scalar(select(func.count()).select_from(Member)),
                tuple(s.execute(select(User.username, User.role, User.password_hash)).all()))


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_every_operation_against_every_role(office: Database, tmp_path: Path, name: str, role: Role) -> None:
    operation, permission = OPERATIONS[name]
    if name == "restore":
        make_backup(office, tmp_path)
    as_role(office, role)
    if permission in ROLE_PERMISSIONS[role]:
        operation(office, tmp_path)
        return
    if permission is Permission.READ:
        # Core reads check nothing; a role without READ (the backup account) is refused where it signs in
        # (the window's login, cli.common.sign_in): tests/cli/test_cli_signin.py.
        with pytest.raises(PermissionDenied):
            require_user(USERS[role], permission)
        return
    before = fingerprint(office)
    with pytest.raises(PermissionDenied) as refused:
        operation(office, tmp_path)
    assert refused.value.code == "permission_denied"
    assert f"user_{role.value}" in refused.value.message and role.label in refused.value.message
    assert fingerprint(office) == before
    assert not (tmp_path / "khoi-phuc.db").exists() and not (tmp_path / "bk").exists()


def test_the_role_table() -> None:
    assert ROLE_PERMISSIONS[Role.CHI_XEM] == {Permission.READ}
    assert ROLE_PERMISSIONS[Role.CHUYEN_VIEN] == {Permission.READ, Permission.VIEW_DRAFTS, Permission.DRAFT_ISSUE,
                                                  Permission.IMPORT, Permission.BACKUP, Permission.MEETINGS,
                                                  Permission.RATINGS}
    assert ROLE_PERMISSIONS[Role.QUAN_TRI] == set(Permission)
    assert ROLE_PERMISSIONS[Role.SAO_LUU] == {Permission.BACKUP}


def test_refusal_names_the_action_and_the_roles_that_may() -> None:
    with pytest.raises(PermissionDenied) as refused:
        require_user(USERS[Role.CHUYEN_VIEN], Permission.RESTORE)
    assert refused.value.message.startswith("Tài khoản «user_chuyen_vien» (vai trò Chuyên viên) không được "
                                            "khôi phục dữ liệu từ bản sao lưu. Việc này cần vai trò Quản trị")


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_no_user_is_the_system_with_every_right(office: Database, tmp_path: Path, name: str) -> None:
    """Tests and internal jobs (Database.user None) act as the system: everything is allowed."""
    as_role(office, None)
    make_backup(office, tmp_path)
    OPERATIONS[name][0](office, tmp_path)


def test_automatic_backups_run_for_every_role(office: Database, tmp_path: Path) -> None:
    """Into the configured backup folder only: a read-only account cannot pick where a copy goes."""
    as_role(office, None)
    with office.writing() as s:
        save_backup_settings(s, BackupSettings(folder=str(tmp_path / "auto")))
    as_role(office, Role.CHI_XEM)
    for kind in ("auto", "close"):
        assert create_backup(office, tmp_path / "auto", actor="x", kind=kind).path.parent == tmp_path / "auto"
        with pytest.raises(PermissionDenied):
            create_backup(office, tmp_path / "usb", actor="x", kind=kind)
    assert not (tmp_path / "usb").exists()


def test_read_only_role_sees_issued_decisions_only(office: Database) -> None:
    with as_role(office, Role.CHI_XEM).reading() as s:
        assert [d.status for d in decisions.list_decisions(s)] == ["issued"]
    with as_role(office, Role.CHUYEN_VIEN).reading() as s:
        assert sorted(d.status for d in decisions.list_decisions(s)) == ["draft", "issued"]


def test_audit_names_the_signed_in_user_whatever_the_caller_passes(office: Database) -> None:
    with as_role(office, Role.CHUYEN_VIEN).writing() as s:
        entry = record(s, actor="os-user", action="x")
    assert entry.actor == "user_chuyen_vien"
    with as_role(office, None).writing() as s:
        assert record(s, actor="os-user", action="x").actor == "os-user"


# --- passwords -----------------------------------------------------------------------------------

def test_passwords_are_argon2id_and_verify() -> None:
    hashed = hash_password("Mật khẩu tiếng Việt")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # argon2-cffi's RFC 9106 low-memory profile
    assert verify_password(hashed, "Mật khẩu tiếng Việt")
    assert not verify_password(hashed, "mat khau tieng viet")
    assert not verify_password("not a hash", "x")
    assert not needs_rehash(hashed)


def test_a_weaker_hash_is_upgraded_at_login(db: Database) -> None:
    with db.writing() as s:
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
        s.scalars(select(User)).one().password_hash = PasswordHasher(time_cost=1, memory_cost=8192,
                                                                     type=Type.ID).hash("mat-khau-1")
    accounts.authenticate(db, "admin", "mat-khau-1", now=T0)
    with db.reading() as s:
        assert not needs_rehash(s.scalars(select(User)).one().password_hash)


def test_password_stored_nfc_so_unikey_nfd_input_logs_in(db: Database) -> None:
    import unicodedata

    with db.writing() as s:
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="Hà Nội mùa thu")
    user = accounts.authenticate(db, "ADMIN ", unicodedata.normalize("NFD", "Hà Nội mùa thu"), now=T0)
    assert user == CurrentUser("admin", "Quản trị", Role.QUAN_TRI)


def test_weak_password_and_bad_username_are_refused(db: Database) -> None:
    with db.writing() as s, pytest.raises(ValidationError, match="ít nhất 8 ký tự"):
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="ngan")
    with db.writing() as s, pytest.raises(ValidationError, match="không hợp lệ"):
        accounts.create_first_admin(s, username="Nguyễn Văn A", full_name="Quản trị", password="mat-khau-1")


def test_first_admin_only_once(db: Database) -> None:
    with db.writing() as s:
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
    with db.writing() as s, pytest.raises(ValidationError, match="đã có tài khoản"):
        accounts.create_first_admin(s, username="khac", full_name="Khác", password="mat-khau-1")


# --- login, lockout, unlock ----------------------------------------------------------------------

@pytest.fixture
def clerk(db: Database) -> Database:
    with db.writing() as s:
        accounts.create_first_admin(s, username="admin", full_name="Quản trị", password="mat-khau-1")
    db.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with db.writing() as s:
        accounts.create_account(s, username="vanthu", full_name="Lê Thị Văn Thư", role=Role.CHUYEN_VIEN,
                                password="dung-mat-khau")
    db.user = None
    return db


def actions(db: Database) -> list[tuple[str, str, str | None]]:
    with db.reading() as s:
        return [(e.actor, e.action, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_login_succeeds_and_is_audited(clerk: Database) -> None:
    user = accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0)
    assert user == CurrentUser("vanthu", "Lê Thị Văn Thư", Role.CHUYEN_VIEN)
    assert actions(clerk)[-1] == ("vanthu", "login", "vanthu")
    with clerk.reading() as s:
        assert s.scalars(select(User).where(User.username == "vanthu")).one().last_login_at == T0


def test_unknown_user_and_wrong_password_are_refused_and_audited(clerk: Database) -> None:
    with pytest.raises(LoginRefused, match="Sai tên đăng nhập hoặc mật khẩu.$"):
        accounts.authenticate(clerk, "ai-do", "x", now=T0)
    with pytest.raises(LoginRefused, match="Còn 4 lần thử"):
        accounts.authenticate(clerk, "vanthu", "sai", now=T0)
    assert actions(clerk)[-2:] == [("ai-do", "login.failed", "ai-do"), ("vanthu", "login.failed", "vanthu")]


def test_five_failures_lock_for_five_minutes_then_unlock(clerk: Database) -> None:
    for attempt in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(LoginRefused, match=f"Còn {MAX_FAILED_ATTEMPTS - 1 - attempt} lần"):
            accounts.authenticate(clerk, "vanthu", "sai", now=T0 + dt.timedelta(seconds=attempt))
    with pytest.raises(LoginRefused, match="bị khóa 5 phút, đến 08:05"):
        accounts.authenticate(clerk, "vanthu", "sai", now=T0 + dt.timedelta(seconds=10))
    assert actions(clerk)[-2:] == [("vanthu", "login.failed", "vanthu"), ("vanthu", "login.lockout", "vanthu")]
    # Locked: even the right password is refused, until five minutes after the lockout.
    with pytest.raises(LoginRefused, match="đang bị khóa.*thử lại sau 08:05"):
        accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0 + dt.timedelta(minutes=5, seconds=9))
    assert actions(clerk)[-1] == ("vanthu", "login.failed", "vanthu")
    user = accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0 + LOCKOUT + dt.timedelta(seconds=10))
    assert user.username == "vanthu"
    with clerk.reading() as s:
        account = s.scalars(select(User).where(User.username == "vanthu")).one()
        assert (account.failed_attempts, account.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(clerk: Database) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(LoginRefused):
            accounts.authenticate(clerk, "vanthu", "sai", now=T0)
    accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0)
    with pytest.raises(LoginRefused, match=f"Còn {MAX_FAILED_ATTEMPTS - 1} lần"):
        accounts.authenticate(clerk, "vanthu", "sai", now=T0)


def test_reset_by_administrator_lifts_the_lockout(clerk: Database) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(LoginRefused):
            accounts.authenticate(clerk, "vanthu", "sai", now=T0)
    clerk.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with clerk.writing() as s:
        assert accounts.list_accounts(s)[1].locked(T0)
        accounts.reset_password(s, "vanthu", "mat-khau-moi")
    clerk.user = None
    assert accounts.authenticate(clerk, "vanthu", "mat-khau-moi", now=T0).username == "vanthu"
    entry = [e for e in actions(clerk) if e[1] == "user.reset_password"][0]
    assert entry == ("admin", "user.reset_password", "vanthu")
    with clerk.reading() as s:
        assert "mat-khau-moi" not in str(s.scalars(select(AuditEntry.after)).all())


def test_disabled_account_cannot_log_in_and_cannot_disable_itself(clerk: Database) -> None:
    clerk.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with clerk.writing() as s, pytest.raises(ValidationError, match="tự vô hiệu hóa"):
        accounts.set_active(s, "admin", False)
    with clerk.writing() as s:
        accounts.set_active(s, "vanthu", False)
    clerk.user = None
    with pytest.raises(LoginRefused, match="đã bị vô hiệu hóa"):
        accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0)
    clerk.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with clerk.writing() as s:
        accounts.set_active(s, "vanthu", True)
    clerk.user = None
    assert accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0).username == "vanthu"


def test_the_last_administrator_stays(clerk: Database) -> None:
    clerk.user = None  # the command line: any account may be changed, but one administrator must remain
    with clerk.writing() as s, pytest.raises(ValidationError, match="quản trị cuối cùng"):
        accounts.set_role(s, "admin", Role.CHUYEN_VIEN)
    with clerk.writing() as s, pytest.raises(ValidationError, match="quản trị cuối cùng"):
        accounts.set_active(s, "admin", False)
    with clerk.writing() as s:
        accounts.set_role(s, "vanthu", Role.QUAN_TRI)
        accounts.set_role(s, "admin", Role.CHI_XEM)
    assert accounts.authenticate(clerk, "admin", "mat-khau-1", now=T0).role is Role.CHI_XEM


def test_users_change_their_own_password_only(clerk: Database) -> None:
    clerk.user = CurrentUser("vanthu", "Lê Thị Văn Thư", Role.CHUYEN_VIEN)
    with clerk.writing() as s, pytest.raises(ValidationError, match="Mật khẩu hiện tại không đúng"):
        accounts.change_password(s, "vanthu", "sai", "mat-khau-moi")
    with clerk.writing() as s, pytest.raises(ValidationError, match="của chính mình"):
        accounts.change_password(s, "admin", "mat-khau-1", "mat-khau-moi")
    with clerk.writing() as s:
        accounts.change_password(s, "vanthu", "dung-mat-khau", "mat-khau-moi")
    clerk.user = None
    with pytest.raises(LoginRefused):
        accounts.authenticate(clerk, "vanthu", "dung-mat-khau", now=T0)
    assert accounts.authenticate(clerk, "vanthu", "mat-khau-moi", now=T0).username == "vanthu"
    assert ("vanthu", "user.change_password", "vanthu") in actions(clerk)


def test_account_changes_are_audited_with_before_and_after(clerk: Database) -> None:
    clerk.user = CurrentUser("admin", "Quản trị", Role.QUAN_TRI)
    with clerk.writing() as s:
        accounts.set_role(s, "vanthu", Role.CHI_XEM)
        accounts.set_active(s, "vanthu", False)
    with clerk.reading() as s:
        rows = audit_entries(s, AuditFilter(actor="admin"))
        assert [(r.action, r.target, r.before, r.after) for r in rows[:2]] == [
            ("user.disable", "vanthu", "đang dùng: có", "đang dùng: không"),
            ("user.role", "vanthu", "vai trò: Chuyên viên", "vai trò: Chỉ xem"),
        ]
        assert (rows[-1].action, rows[-1].target) == ("user.create", "vanthu")
        assert verify_trail(s).ok


def test_auth_settings_saved_and_audited(clerk: Database) -> None:
    with clerk.writing() as s:
        save_auth_settings(s, AuthSettings(idle_lock_minutes=15))
    with clerk.reading() as s:
        assert load_auth_settings(s).idle_lock_minutes == 15
    assert actions(clerk)[-1][1] == "settings.auth"
    with clerk.writing() as s, pytest.raises(ValidationError, match="từ 0"):
        save_auth_settings(s, AuthSettings(idle_lock_minutes=-1))


def test_office_settings_change_is_audited(office: Database) -> None:
    op_save_settings(as_role(office, Role.QUAN_TRI), Path())
    with office.reading() as s:
        entry = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "settings.office" and entry.actor == "user_quan_tri"
        assert "Bắc Kạn" in (entry.after or "") and "Thái Nguyên" in (entry.before or "")
