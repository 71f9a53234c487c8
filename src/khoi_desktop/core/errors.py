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


class RequestRefused(ValidationError):
    """A request with one or more problems; `problems` is a list of (code, Vietnamese message)."""

    code = "refused"

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("\n".join(message for _, message in problems), code=problems[0][0] if problems else None)
        self.problems = problems
