"""Rows as JSON and back, column by column (dates as ISO text), for the records packages carry."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from typing import Any

from sqlalchemy import Date, DateTime, inspect

from khoi_desktop.core.models import Base, Member

# What a member record carries: every field of form 2-HSĐV kept here, not the derived search keys.
MEMBER_FIELDS = tuple(c.key for c in inspect(Member).columns if c.key not in ("id", "search_key", "sort_key"))
MEMBER_NAME_FIELDS = ("family_name", "middle_name", "given_name")


def to_json_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def row_json(row: Base, fields: tuple[str, ...] | None = None, exclude: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    columns = inspect(type(row)).columns
    keys = fields or tuple(c.key for c in columns if c.key not in exclude)
    return {key: to_json_value(getattr(row, key)) for key in keys}


def column_values(model: type[Base], data: dict[str, Any]) -> dict[str, Any]:
    """The JSON values typed for the model's columns (unknown keys dropped: a newer sender's extra fields)."""
    columns = {c.key: c for c in inspect(model).columns}
    values: dict[str, Any] = {}
    for key, value in data.items():
        column = columns.get(key)
        if column is None:
            continue
        if value is not None and isinstance(column.type, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = dt.date.fromisoformat(value)
        values[key] = value
    return values


def digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
