"""Accounts, roles and permissions.

Who is working is a `CurrentUser` on the open `Database` (`db.user`); every session it opens carries it in
`session.info["user"]`, where `permissions.require` checks it and `audit.record` names it. `db.user` None
means the system itself or an administrator's tool (tests, internal jobs, the command line before it
names its user): everything is allowed. The GUI always sets the user who logged in.
"""

from khoi_desktop.core.auth.current import CurrentUser, Role, current_user

__all__ = ["CurrentUser", "Role", "current_user"]
