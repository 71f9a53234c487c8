"""Who is logged in to the operating system: the actor of command-line work and the key of the window's
single-instance lock. Plain standard library, so start-up can ask before the ORM loads."""

from __future__ import annotations

import getpass


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some service contexts
        return "unknown"
