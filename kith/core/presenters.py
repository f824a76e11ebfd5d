"""Display values shared by every app: distances, dates and times as people read them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _local(value: dt.datetime) -> dt.datetime:
    """Aware datetimes are shown on the locality's clock (settings.TIME_ZONE), never in UTC."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def format_distance(metres: float | None) -> str:
    if metres is None:
        return ""
    miles = metres / 1609.344
    if miles < 0.1:
        return "less than 0.1 miles"
    return f"{miles:.1f} miles"


def format_time_short(value: dt.time | dt.datetime | None) -> str:
    """1pm, 9:30am, midday, midnight: the NHS.UK style for times."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    hour, minute = value.hour, value.minute
    if (hour, minute) == (12, 0):
        return "midday"
    if (hour, minute) == (0, 0):
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}{suffix}" if minute == 0 else f"{hour12}:{minute:02d}{suffix}"


def format_date_long(value: dt.date | dt.datetime | None) -> str:
    """26 November 2026: the GOV.UK and NHS.UK date style."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"{value.day} {value.strftime('%B %Y')}"
