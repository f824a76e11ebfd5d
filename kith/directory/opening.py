"""Opening times from HSDS schedules: open at a moment, the next opening, a weekly summary.

All reasoning happens in the locality's time zone (settings.KITH_TIME_ZONE, Europe/London), so
"9am to 5pm" means 9am to 5pm on the wall clock on both sides of a clock change. Comparisons are
made in UTC, because Python compares two datetimes that share a tzinfo by wall clock alone.

Recurrence is dateutil's `rrule` (RFC 5545): each schedule becomes rrules with `dtstart` from
the schedule (or, for rules without a count, a start in step with it just before the days
asked about, so a rule from years ago is not replayed), `interval`, `until`, `count` and
`byweekday` (with ordinals) or `bymonthday`; `valid_from` and `valid_to` then bound the days.
Days come from the rrule; hours are put on them on the local wall clock.

The rules understood, after iCalendar RRULE as HSDS 3 uses it:
- `freq` WEEKLY (or blank): on the `byday` weekdays ("MO,WE"); with no `byday`, on the weekday
  of `dtstart`, or every day when there is no `dtstart` either. `interval` counts weeks from the
  week of `dtstart` (or `valid_from`).
- `freq` MONTHLY: `byday` with ordinals ("1TU" first Tuesday, "-1FR" last Friday; a bare "TU"
  is every Tuesday) or `bymonthday` ("1,15,-1"). `interval` counts months from `dtstart`.
- `dtstart`, `until` and `count` (occurrences counted from `dtstart`, even when `valid_from`
  is later), `valid_from` and `valid_to`. A monthly rule naming weekdays and month days
  happens on either (RFC 5545 would need both).
- `closes_at` at or before `opens_at` runs past midnight into the next day; no `closes_at`
  means open until midnight. A schedule with no `opens_at` says nothing about open hours.
- A closed date cancels every opening that starts on that day.

Pure functions: callers pass the schedules that apply (a service's, a location's or a
service-at-location's) and the closed dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule as rr
from django.conf import settings

from kith.directory.models import ClosedDate, Schedule

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINAL_WORDS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", -1: "Last"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
# A counted rule is read from its dtstart; occurrences beyond this many days are not looked for.
_COUNT_HORIZON_DAYS = 3660


@dataclass(frozen=True)
class Opening:
    starts_at: dt.datetime  # aware, in the locality's time zone
    ends_at: dt.datetime  # aware, in the locality's time zone


@dataclass(frozen=True)
class DayHours:
    day: str  # "Monday"
    hours: list[tuple[dt.time, dt.time]]  # empty: closed


def local_zone() -> ZoneInfo:
    return _zone(settings.KITH_TIME_ZONE)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class _Rule:
    """A schedule parsed once: which days it runs and its hours."""

    freq: str
    weekdays: frozenset[int]  # bare weekdays (WEEKLY, or MONTHLY "TU")
    ordinal_weekdays: frozenset[tuple[int, int]]  # (ordinal, weekday): MONTHLY "1TU", "-1FR"
    monthdays: frozenset[int]
    interval: int
    anchor: dt.date | None
    first: dt.date | None  # earliest day: max(valid_from, dtstart)
    last: dt.date | None  # latest day: min(valid_to, until)
    count: int | None
    opens_at: dt.time | None
    closes_at: dt.time | None

    @property
    def is_simple_weekly(self) -> bool:
        """Fits a Monday-to-Sunday table: weekly, every week, no count."""
        return self.freq == "WEEKLY" and self.interval == 1 and self.count is None


def parse_byday(raw: str) -> list[tuple[int | None, int]]:
    """'MO,-1FR' → [(None, 0), (-1, 4)]; unknown parts are ignored."""
    days: list[tuple[int | None, int]] = []
    for part in re.split(r"[,\s]+", (raw or "").strip().upper()):
        match = _BYDAY.match(part)
        if not match:
            continue
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal == 0 or (ordinal is not None and not -5 <= ordinal <= 5):
            continue
        days.append((ordinal, WEEKDAY_CODES.index(match.group(2))))
    return days


def _parse_monthdays(raw: str) -> frozenset[int]:
    days = set()
    for part in re.split(r"[,\s]+", (raw or "").strip()):
        try:
            day = int(part)
        except ValueError:
            continue
        if 1 <= abs(day) <= 31:
            days.add(day)
    return frozenset(days)


def _max_date(*dates: dt.date | None) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return max(present) if present else None


def _min_date(*dates: dt.date | None) -> dt.date | None:
    present = [d for d in dates if d is not None]
    return min(present) if present else None


def parse_schedule(schedule: Schedule) -> _Rule:
    freq = (schedule.freq or "WEEKLY").upper()
    byday = parse_byday(schedule.byday)
    weekdays = {day for ordinal, day in byday if ordinal is None}
    ordinal_weekdays = {(ordinal, day) for ordinal, day in byday if ordinal is not None}
    monthdays = _parse_monthdays(schedule.bymonthday)
    if freq != "MONTHLY":
        freq = "WEEKLY"
        weekdays |= {day for _, day in ordinal_weekdays}  # ordinals mean nothing weekly
        ordinal_weekdays = set()
        if not weekdays:
            weekdays = {schedule.dtstart.weekday()} if schedule.dtstart else set(range(7))
    elif not (weekdays or ordinal_weekdays or monthdays) and schedule.dtstart:
        monthdays = frozenset({schedule.dtstart.day})
    return _Rule(
        freq=freq,
        weekdays=frozenset(weekdays),
        ordinal_weekdays=frozenset(ordinal_weekdays),
        monthdays=monthdays,
        interval=max(schedule.interval or 1, 1),
        anchor=schedule.dtstart or schedule.valid_from,
        first=_max_date(schedule.valid_from, schedule.dtstart),
        last=_min_date(schedule.valid_to, schedule.until),
        count=schedule.count if schedule.count and schedule.dtstart else None,
        opens_at=schedule.opens_at,
        closes_at=schedule.closes_at,
    )


# rrule weekdays, Monday first, as `dt.date.weekday()` numbers them.
_RRULE_DAYS = (rr.MO, rr.TU, rr.WE, rr.TH, rr.FR, rr.SA, rr.SU)


def _recurrences(rule: _Rule, dtstart: dt.datetime, until: dt.datetime | None) -> list[rr.rrule]:
    """The rule as dateutil rrules, one per kind of day it names (a monthly rule's weekdays,
    ordinal weekdays and month days each add days, as Kith has always read them)."""
    common: dict[str, Any] = {
        "dtstart": dtstart,
        # With nothing to count from, an interval has no phase: every week or month, as before.
        "interval": rule.interval if rule.anchor is not None else 1,
        "until": until,
        "wkst": rr.MO,
        "cache": False,
    }
    if rule.freq == "WEEKLY":
        days = [_RRULE_DAYS[d] for d in sorted(rule.weekdays)]
        return [rr.rrule(rr.WEEKLY, byweekday=days, **common)] if days else []
    rules = []
    if rule.weekdays:
        days = [_RRULE_DAYS[d] for d in sorted(rule.weekdays)]
        rules.append(rr.rrule(rr.MONTHLY, byweekday=days, **common))
    if rule.ordinal_weekdays:
        days = [_RRULE_DAYS[d](n) for n, d in sorted(rule.ordinal_weekdays)]
        rules.append(rr.rrule(rr.MONTHLY, byweekday=days, **common))
    if rule.monthdays:
        rules.append(rr.rrule(rr.MONTHLY, bymonthday=sorted(rule.monthdays), **common))
    return rules


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0))


def _window_start(rule: _Rule, day: dt.date) -> dt.date:
    """A start for the rule no later than `day` and in step with `dtstart` (the same week of a
    fortnight, the same month of every other month), so the rrule is read from just before
    `day` instead of from a `dtstart` years ago. Only for rules without a count."""
    if rule.freq == "WEEKLY":
        monday = day - dt.timedelta(days=day.weekday())
        if rule.anchor is None or rule.interval == 1:
            return monday
        anchor_monday = rule.anchor - dt.timedelta(days=rule.anchor.weekday())
        weeks = (monday - anchor_monday).days // 7
        return anchor_monday + dt.timedelta(weeks=weeks - weeks % rule.interval)
    month = day.year * 12 + day.month - 1
    if rule.anchor is not None and rule.interval > 1:
        months = month - (rule.anchor.year * 12 + rule.anchor.month - 1)
        month -= months % rule.interval
    return dt.date(month // 12, month % 12 + 1, 1)


@lru_cache(maxsize=4096)
def _counted_days(rule: _Rule) -> frozenset[dt.date]:
    """Every day a counted rule happens: the first `count` occurrences from `dtstart`."""
    assert rule.anchor is not None  # noqa: S101 - counts need a dtstart (parse_schedule)
    assert rule.count is not None  # noqa: S101 - callers check
    horizon = rule.anchor + dt.timedelta(days=_COUNT_HORIZON_DAYS)
    last = min(rule.last, horizon) if rule.last is not None else horizon
    days: set[dt.date] = set()
    for recurrence in _recurrences(rule, _midnight(rule.anchor), _midnight(last)):
        days |= {
            moment.date()
            for moment in recurrence.xafter(_midnight(rule.anchor), rule.count, inc=True)
        }
    return frozenset(sorted(days)[: rule.count])


def _days_between(rule: _Rule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The days from `first` to `last` (inclusive) the rule happens, in order."""
    if rule.first is not None:
        first = max(first, rule.first)
    if rule.last is not None:
        last = min(last, rule.last)
    if first > last:
        return []
    if rule.count is not None:
        return sorted(day for day in _counted_days(rule) if first <= day <= last)
    days: set[dt.date] = set()
    for recurrence in _recurrences(rule, _midnight(_window_start(rule, first)), _midnight(last)):
        days |= {
            moment.date()
            for moment in recurrence.between(_midnight(first), _midnight(last), inc=True)
        }
    return sorted(days)


def _interval_on(rule: _Rule, day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The opening starting on local `day`, as UTC datetimes."""
    assert rule.opens_at is not None  # noqa: S101 - callers check
    starts = dt.datetime.combine(day, rule.opens_at, tzinfo=zone)
    if rule.closes_at is None or rule.closes_at == dt.time(0, 0):
        ends = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
    elif rule.closes_at <= rule.opens_at:
        ends = dt.datetime.combine(day + dt.timedelta(days=1), rule.closes_at, tzinfo=zone)
    else:
        ends = dt.datetime.combine(day, rule.closes_at, tzinfo=zone)
    return starts.astimezone(dt.UTC), ends.astimezone(dt.UTC)


def _rules(schedules: Iterable[Schedule]) -> list[_Rule]:
    return [rule for rule in map(parse_schedule, schedules) if rule.opens_at is not None]


def _openings_by_day(
    rules: Sequence[_Rule], closed: set[dt.date], first: dt.date, last: dt.date, zone: ZoneInfo
) -> dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]:
    """The openings starting on each day from `first` to `last`, as UTC datetimes, in order."""
    found: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    for rule in rules:
        for day in _days_between(rule, first, last):
            if day not in closed:
                found.setdefault(day, []).append(_interval_on(rule, day, zone))
    return {day: sorted(openings) for day, openings in found.items()}


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Opening times need a timezone-aware datetime.")


def is_open_at(
    schedules: Sequence[Schedule], closed_dates: Sequence[ClosedDate], at: dt.datetime
) -> bool:
    _require_aware(at)
    zone = local_zone()
    rules = _rules(schedules)
    closed = {closed_date.date for closed_date in closed_dates}
    moment = at.astimezone(dt.UTC)
    today = at.astimezone(zone).date()
    openings = _openings_by_day(rules, closed, today - dt.timedelta(days=1), today, zone)
    return any(starts <= moment < ends for day in openings.values() for starts, ends in day)


def next_opening(
    schedules: Sequence[Schedule],
    closed_dates: Sequence[ClosedDate],
    after: dt.datetime,
    within_days: int = 62,
) -> Opening | None:
    """The opening in progress at `after`, else the next to start within `within_days`.

    Openings that touch or overlap (9 to 12 and 12 to 5) are joined into one.
    """
    _require_aware(after)
    zone = local_zone()
    rules = _rules(schedules)
    if not rules:
        return None
    closed = {closed_date.date for closed_date in closed_dates}
    moment = after.astimezone(dt.UTC)
    today = after.astimezone(zone).date()
    found: tuple[dt.datetime, dt.datetime] | None = None
    openings = _openings_by_day(
        rules,
        closed,
        today - dt.timedelta(days=1),
        today + dt.timedelta(days=within_days + 1),
        zone,
    )
    for offset in range(-1, within_days + 2):
        day = today + dt.timedelta(days=offset)
        for starts, ends in openings.get(day, []):
            if found is None:
                if ends > moment and offset <= within_days:
                    found = (starts, ends)
            elif starts <= found[1]:
                found = (found[0], max(found[1], ends))
        if found is not None and day >= found[1].astimezone(zone).date():
            break
    if found is None:
        return None
    return Opening(starts_at=found[0].astimezone(zone), ends_at=found[1].astimezone(zone))


def weekly_hours(schedules: Sequence[Schedule], on: dt.date | None = None) -> list[DayHours]:
    """Monday to Sunday, for weekly rules valid `on` (default today in the locality).

    Monthly rules, fortnightly rules and counted rules are described by `other_times`.
    """
    today = on or dt.datetime.now(tz=local_zone()).date()
    by_day: list[set[tuple[dt.time, dt.time]]] = [set() for _ in range(7)]
    for rule in _rules(schedules):
        if not rule.is_simple_weekly:
            continue
        if rule.last is not None and rule.last < today:
            continue
        if rule.first is not None and rule.first > today + dt.timedelta(days=6):
            continue
        assert rule.opens_at is not None  # noqa: S101 - _rules keeps only these
        closes = rule.closes_at or dt.time(0, 0)
        for weekday in rule.weekdays:
            by_day[weekday].add((rule.opens_at, closes))
    return [DayHours(day=WEEKDAY_NAMES[i], hours=sorted(by_day[i])) for i in range(7)]


def other_times(schedules: Sequence[Schedule], on: dt.date | None = None) -> list[str]:
    """Plain-English lines for rules a weekly table cannot show: "First Tuesday of the month, 6pm to 8pm".

    Given `on` (today), a rule that skips weeks or months also says when it next happens, so
    "every other week" says which weeks: "(next on Thursday 10 December)".
    """
    lines: list[str] = []
    for schedule in schedules:
        rule = parse_schedule(schedule)
        if rule.opens_at is None:
            if schedule.description.strip():
                lines.append(schedule.description.strip())
            continue
        if rule.is_simple_weekly:
            continue
        hours = f"{format_time(rule.opens_at)} to {format_time(rule.closes_at or dt.time(0))}"
        line = f"{_describe_days(rule)}, {hours}"
        following = _next_day(rule, on) if on is not None and rule.interval > 1 else None
        if following is not None:
            line += (
                f" (next on {WEEKDAY_NAMES[following.weekday()]} {following.day} {following:%B})"
            )
        lines.append(line)
    return lines


def _next_day(rule: _Rule, on: dt.date) -> dt.date | None:
    """The first day from `on` the rule happens, within a year; closed dates are not checked."""
    days = _days_between(rule, on, on + dt.timedelta(days=365))
    return days[0] if days else None


def _describe_days(rule: _Rule) -> str:
    if rule.freq == "WEEKLY":
        days = _join([f"{WEEKDAY_NAMES[d]}s" for d in sorted(rule.weekdays)])
        if rule.interval == 2:
            return f"Every other week on {days}"
        if rule.interval > 2:
            return f"Every {rule.interval} weeks on {days}"
        return f"{days}, {rule.count} times" if rule.count else days
    parts = [
        f"{_ORDINAL_WORDS.get(ordinal, f'{ordinal}th')} {WEEKDAY_NAMES[day]}"
        for ordinal, day in sorted(rule.ordinal_weekdays, key=lambda od: (od[0] < 0, od))
    ]
    parts += [f"every {WEEKDAY_NAMES[day]}" for day in sorted(rule.weekdays)]
    parts += [
        "the last day" if day == -1 else f"the {_ordinal_suffix(day)}"
        for day in sorted(rule.monthdays, key=lambda d: (d < 0, d))
    ]
    text = _join(parts)
    text = text[0].upper() + text[1:] if text else "Some days"
    if rule.interval == 2:
        return f"{text} of every other month"
    if rule.interval > 2:
        return f"{text} of every {rule.interval} months"
    return f"{text} of the month"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _ordinal_suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def format_time(value: dt.time) -> str:
    """9am, 6:30pm, midday, midnight: the NHS.UK style for times."""
    if value == dt.time(0, 0):
        return "midnight"
    if value == dt.time(12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


@dataclass(frozen=True)
class WeeklySlot:
    """Minutes of a weekday a schedule could be open, for the search index."""

    weekday: int  # 0 Monday
    opens_minute: int
    closes_minute: int  # 1440 for midnight
    valid_from: dt.date | None
    valid_to: dt.date | None
    # False for monthly, fortnightly and counted rules: their slots are a superset that
    # search checks exactly on its candidates.
    is_exact: bool


def weekly_slots(schedules: Sequence[Schedule]) -> list[WeeklySlot]:
    """Each schedule as weekday slots; overnight hours are split at midnight."""
    slots: list[WeeklySlot] = []
    for rule in _rules(schedules):
        assert rule.opens_at is not None  # noqa: S101 - _rules keeps only these
        days = set(rule.weekdays) | {day for _, day in rule.ordinal_weekdays}
        if rule.freq == "MONTHLY" and rule.monthdays:
            days = set(range(7))
        opens = rule.opens_at.hour * 60 + rule.opens_at.minute
        closes = rule.closes_at.hour * 60 + rule.closes_at.minute if rule.closes_at else 0
        exact = rule.is_simple_weekly
        after_last = rule.last + dt.timedelta(days=1) if rule.last else None
        for day in sorted(days):
            if closes > opens:
                slots.append(WeeklySlot(day, opens, closes, rule.first, rule.last, exact))
                continue
            slots.append(WeeklySlot(day, opens, 1440, rule.first, rule.last, exact))
            if closes:
                slots.append(WeeklySlot((day + 1) % 7, 0, closes, rule.first, after_last, exact))
    return slots
