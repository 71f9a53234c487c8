"""One family of expected errors; each carries a Vietnamese message fit to show a clerk."""

from __future__ import annotations


class KhoiError(Exception):
    """An expected refusal: the message says what to fix; nothing was changed."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ValidationError(KhoiError):
    code = "invalid"


class NotFoundError(KhoiError):
    code = "not_found"


class DatabaseError(KhoiError):
    code = "database"
