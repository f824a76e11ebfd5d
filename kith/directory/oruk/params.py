"""Parse ORUK API query parameters; anything malformed raises ValidationFailed naming the field."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from kith.core.errors import ValidationFailed

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_PROXIMITY_M = 200_000
FORMATS = ("json", "ndjson")


def parse_uuid(raw: str | None, *, field: str) -> UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return UUID(raw.strip())
    except ValueError:
        raise ValidationFailed(
            f"{field} must be a UUID, like 3fa85f64-5717-4562-b3fc-2c963f66afa6", field=field
        ) from None


def require_uuid(raw: str, *, field: str = "id") -> UUID:
    parsed = parse_uuid(raw, field=field)
    if parsed is None:
        raise ValidationFailed(f"{field} must be a UUID", field=field)
    return parsed


def parse_int(raw: str | None, *, field: str, default: int, minimum: int, maximum: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValidationFailed(
            f"{field} must be a whole number from {minimum} to {maximum}", field=field
        ) from None
    if not minimum <= value <= maximum:
        raise ValidationFailed(
            f"{field} must be a whole number from {minimum} to {maximum}", field=field
        )
    return value


def parse_float(raw: str | None, *, field: str, minimum: float, maximum: float) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and minimum <= value <= maximum):
        raise ValidationFailed(f"{field} must be a number from {minimum} to {maximum}", field=field)
    return value


def parse_bool(raw: str | None, *, field: str) -> bool:
    if raw is None or raw == "":
        return False
    value = raw.strip().lower()
    if value in {"true", "1", "yes"}:
        return True
    if value in {"false", "0", "no"}:
        return False
    raise ValidationFailed(f"{field} must be true or false", field=field)


def parse_datetime(raw: str | None, *, field: str) -> dt.datetime | None:
    """ISO 8601: a date (midnight UTC) or a date and time; no time zone means UTC."""
    if raw is None or raw == "":
        return None
    text = raw.strip().replace(" ", "+", 1) if "T" in raw and " " in raw else raw.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=dt.UTC)
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{field} must be an ISO 8601 date or date and time, like 2026-03-15T10:30:00Z",
            field=field,
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def parse_format(raw: str | None) -> str:
    value = (raw or "json").strip().lower()
    if value not in FORMATS:
        raise ValidationFailed("format must be json or ndjson", field="format")
    return value


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def parse_paging(params: Mapping[str, str]) -> Paging:
    page = parse_int(params.get("page"), field="page", default=1, minimum=1, maximum=10_000_000)
    per_page = parse_int(
        params.get("per_page"),
        field="per_page",
        default=DEFAULT_PER_PAGE,
        minimum=1,
        maximum=MAX_PER_PAGE,
    )
    return Paging(page=page, per_page=per_page)
