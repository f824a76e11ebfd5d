"""Display values for staff pages: a proposed listing as rows, and what an edit changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kith.core.presenters import format_date_long, format_time_short
from kith.directory import opening
from kith.directory.models import Schedule
from kith.directory.selectors.curation import (
    DAYS,
    MONTHLY_ORDINALS,
    ListingData,
    OpeningSession,
    opening_sessions,
    session_sort_key,
)
from kith.directory.taxonomy import support_type_labels


@dataclass(frozen=True)
class DiffRow:
    label: str
    old: str
    new: str

    @property
    def is_changed(self) -> bool:
        return self.old != self.new


def _yes_no(value: Any) -> str:
    return "Yes" if value else "No"


def _support_types(codes: Any) -> str:
    labels = support_type_labels()
    return "; ".join(labels.get(code, code) for code in codes or [])


def _cost(data: ListingData) -> str:
    if data["is_free"]:
        return "Free"
    return (
        f"There is a cost: {data['cost_description']}"
        if data["cost_description"]
        else "There is a cost"
    )


def _address(data: ListingData) -> str:
    parts = [
        data["location_name"],
        data["address_1"],
        data["address_2"],
        data["city"],
        data["postcode"],
    ]
    return ", ".join(p for p in parts if p) or "No address (online or phone only)"


def _coordinates(data: ListingData) -> str:
    if data["latitude"] is None or data["longitude"] is None:
        return ""
    return f"{data['latitude']:.5f}, {data['longitude']:.5f}"


_DAY_NAMES = dict(DAYS)
_ORDINAL_WORDS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}


def _hours(session: OpeningSession) -> str:
    opens = format_time_short(dt.time.fromisoformat(session["opens"]))
    closes = format_time_short(dt.time.fromisoformat(session["closes"]))
    return f"{opens} to {closes}"


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def session_days_text(session: OpeningSession) -> str:
    """ "Every other Tuesday and Thursday from 13 January 2026", "First Tuesday of the month"."""
    days = _and([_DAY_NAMES[code] for code in session["days"]])
    repeat = session["repeat"]
    if repeat == "fortnightly":
        starts = dt.date.fromisoformat(session["starts_on"])
        return f"Every other {days} from {format_date_long(starts)}"
    if repeat in MONTHLY_ORDINALS:
        return f"{_ORDINAL_WORDS[MONTHLY_ORDINALS[repeat]]} {days} of the month"
    return days


def opening_time_lines(data: ListingData | dict[str, Any]) -> list[str]:
    """Weekly hours day by day ("Monday: 9am to midday, 1pm to 5pm"), then the other sessions."""
    sessions = sorted(opening_sessions(data), key=session_sort_key)
    lines = []
    for code, day in DAYS:
        hours = sorted(
            (s["opens"], s["closes"], _hours(s))
            for s in sessions
            if s["repeat"] == "weekly" and code in s["days"]
        )
        if hours:
            lines.append(f"{day}: {', '.join(h[2] for h in hours)}")
    lines += [f"{session_days_text(s)}: {_hours(s)}" for s in sessions if s["repeat"] != "weekly"]
    return lines


_ROWS: list[tuple[str, Callable[[ListingData], str]]] = [
    ("Organisation", lambda d: d["organization_name"]),
    ("Service name", lambda d: d["name"]),
    ("Description", lambda d: d["description"]),
    ("Types of support", lambda d: _support_types(d["support_types"])),
    ("No referral needed", lambda d: _yes_no(d["is_no_referral_needed"])),
    ("Cost", _cost),
    ("Place to talk", lambda d: _yes_no(d["is_place_to_talk"])),
    ("Host's training", lambda d: d["place_to_talk_training"]),
    ("Website", lambda d: d["url"]),
    ("Email address", lambda d: d["email"]),
    ("Phone number", lambda d: d["phone"]),
    ("Address", _address),
    ("Map position", _coordinates),
    ("Step-free access", lambda d: _yes_no(d["has_step_free_access"])),
    ("Opening times", lambda d: "; ".join(opening_time_lines(d)) or "No regular opening times"),
    ("Languages", lambda d: ", ".join(d["languages"])),
]


def listing_rows(data: ListingData) -> list[tuple[str, str]]:
    """The listing as (label, value) rows for a summary list."""
    return [(label, show(data)) for label, show in _ROWS]


def listing_diff(old: ListingData, new: ListingData) -> list[DiffRow]:
    """Every row of the listing, old against new; `is_changed` marks what the edit changes."""
    return [DiffRow(label=label, old=show(old), new=show(new)) for label, show in _ROWS]


def other_schedule_lines(schedules: Sequence[Schedule]) -> list[str]:
    """Rules the editor leaves alone, in words, so the editor knows they are there."""
    lines = []
    for schedule in schedules:
        rule = opening.parse_schedule(schedule)
        if rule.opens_at is None:
            line = schedule.description.strip() or "A rule with no hours"
        elif rule.is_simple_weekly:
            days = _and([f"{opening.WEEKDAY_NAMES[day]}s" for day in sorted(rule.weekdays)])
            closes = format_time_short(rule.closes_at or dt.time(0, 0))
            line = f"{days}, {format_time_short(rule.opens_at)} to {closes}"
        else:
            line = opening.other_times([schedule])[0]
        starts, ends = rule.first, rule.last
        if starts and ends:
            line += f" (from {format_date_long(starts)} to {format_date_long(ends)})"
        elif starts:
            line += f" (from {format_date_long(starts)})"
        elif ends:
            line += f" (until {format_date_long(ends)})"
        lines.append(line)
    return lines


def checked_label(value: dt.date | None) -> str:
    return format_date_long(value) if value else "Never checked"
