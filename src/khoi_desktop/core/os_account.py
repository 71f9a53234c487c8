"""Who is logged in to the operating system: an extra field of audit entries (next to the app account that
acts) and the actor of the few things done before any account exists. Plain standard library, so start-up
can ask before the ORM loads.

Asked of the operating system, never of the environment: getpass.getuser() reads LOGNAME, USER, LNAME and
USERNAME first, so `LOGNAME=admin khoi-desktop …` would be recorded as "admin".
"""

from __future__ import annotations

import sys

UNKNOWN = "unknown"


def _windows_user() -> str:
    import ctypes
    from ctypes import wintypes

    size = wintypes.DWORD(257)  # UNLEN + 1
    buffer = ctypes.create_unicode_buffer(size.value)
    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    if not advapi32.GetUserNameW(buffer, ctypes.byref(size)):
        raise OSError(ctypes.get_last_error(), "GetUserNameW")  # type: ignore[attr-defined]
    return buffer.value


def _posix_user() -> str:
    import os
    import pwd

    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no entry in the password database (containers)
        return f"uid {uid}"


def os_user() -> str:
    try:
        name = _windows_user() if sys.platform == "win32" else _posix_user()
    except Exception:  # no user name in some service contexts
        return UNKNOWN
    return name or UNKNOWN
