"""Opening times from HSDS schedules: open at a moment, the next opening, a weekly summary.

All reasoning happens in the locality's time zone (settings.KITH_TIME_ZONE, Europe/London), so
"9am to 5pm" means 9am to 5pm on the wall clock on both sides of a clock change.

PLACEHOLDER signatures: the real implementation replaces the bodies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kith.directory.models import ClosedDate, Schedule


@dataclass(frozen=True)
class Opening:
    starts_at: dt.datetime  # aware
    ends_at: dt.datetime  # aware


@dataclass(frozen=True)
class DayHours:
    day: str  # "Monday"
    hours: list[tuple[dt.time, dt.time]]  # empty: closed


def is_open_at(
    schedules: Sequence[Schedule], closed_dates: Sequence[ClosedDate], at: dt.datetime
) -> bool:
    return False


def next_opening(
    schedules: Sequence[Schedule],
    closed_dates: Sequence[ClosedDate],
    after: dt.datetime,
    within_days: int = 62,
) -> Opening | None:
    """The opening in progress at `after`, else the next to start within `within_days`."""
    return None


def weekly_hours(schedules: Sequence[Schedule]) -> list[DayHours]:
    """Monday to Sunday, for weekly rules valid today; monthly rules are described by `other_times`."""
    return []


def other_times(schedules: Sequence[Schedule]) -> list[str]:
    """Plain-English lines for rules a weekly table cannot show: "First Tuesday of the month, 6pm to 8pm"."""
    return []
