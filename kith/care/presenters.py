"""Display values for the team workspace: waiting times and labels, so templates stay plain."""

from __future__ import annotations

import datetime as dt


def format_duration(value: dt.timedelta | None) -> str:
    """'45 minutes', '3 hours 5 minutes', '2 days 4 hours': largest two units, never negative."""
    if value is None:
        return ""
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n][:2]
    return " ".join(shown) if shown else "less than a minute"


def format_hours(hours: int) -> str:
    return f"{hours} hour{'' if hours == 1 else 's'}"
