"""Opening sessions in the listing editor: rows of days, how often, and hours.

Each row is one HSDS schedule (see `OpeningSession`). The page shows the listing's sessions and
two empty rows, so it works without JavaScript; a row keeps the id of the schedule it shows in
a hidden field, so publishing updates that schedule in place. Clearing a row's days and times
removes the session.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from uuid import UUID

from django import forms

from kith.directory.selectors.curation import DAYS, REPEATS, OpeningSession

_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
EMPTY_ROWS = 2  # blank rows after the listing's sessions, for adding without JavaScript
MIN_ROWS = 3
MAX_ROWS = 40
FIELDS = ("id", "days", "repeat", "starts_on", "opens", "closes")


def parse_time(raw: str) -> dt.time | None:
    """'9am', '9:30am', '17:30', '5.30pm', 'midday' → a time; None when it is not a time."""
    value = raw.strip().lower().replace(" ", "")
    if value in {"midday", "noon", "12noon"}:
        return dt.time(12, 0)
    if value == "midnight":
        return dt.time(0, 0)
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute, suffix = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def parse_date(raw: str) -> dt.date | None:
    """'10/12/2026', '10-12-2026', '2026-12-10', '10 December 2026', '10 Dec 2026' → a date."""
    value = " ".join(raw.strip().lower().replace(",", " ").split())
    try:
        match = _NUMERIC_DATE.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            return dt.date.fromisoformat(value)
        parts = value.split(" ")
        if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and parts[1] in _MONTHS:
            return dt.date(int(parts[2]), _MONTHS[parts[1]], int(parts[0]))
    except ValueError:
        return None
    return None


def format_date(value: str) -> str:
    """An ISO date as the editor types it: '2026-12-10' → '10/12/2026'."""
    if not value:
        return ""
    day = dt.date.fromisoformat(value)
    return f"{day.day}/{day.month}/{day.year}"


def name(row: int, part: str) -> str:
    return f"session_{row}_{part}"


def is_session_field(field_name: str) -> bool:
    return bool(re.match(r"^session_\d+_", field_name))


def row_count(data: Any, initial_sessions: int) -> int:
    """How many rows to show: what was sent back, else the sessions and some empty rows."""
    if data is not None:
        try:
            sent = int(data.get("session_rows", ""))
        except (TypeError, ValueError):
            sent = 0
        if sent:
            return max(1, min(sent, MAX_ROWS))
    return max(MIN_ROWS, min(initial_sessions + EMPTY_ROWS, MAX_ROWS))


def add_fields(fields: dict[str, forms.Field], rows: int) -> None:
    fields["session_rows"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
    for row in range(rows):
        fields[name(row, "id")] = forms.CharField(
            required=False, max_length=36, widget=forms.HiddenInput
        )
        fields[name(row, "days")] = forms.MultipleChoiceField(
            label="Days",
            required=False,
            choices=list(DAYS),
            error_messages={"invalid_choice": f"Select days of the week for session {row + 1}"},
        )
        fields[name(row, "repeat")] = forms.ChoiceField(
            label="How often",
            required=False,
            choices=list(REPEATS),
            initial="weekly",
            error_messages={"invalid_choice": f"Choose how often session {row + 1} happens"},
        )
        fields[name(row, "starts_on")] = forms.CharField(
            label="From (every other week only)", required=False, max_length=30
        )
        for part, word in (("opens", "Opens"), ("closes", "Closes")):
            fields[name(row, part)] = forms.CharField(
                label=word,
                required=False,
                max_length=10,
                error_messages={
                    "max_length": f"Enter the time session {row + 1} {part[:-1]}s, like 9am or 17:30"
                },
            )


def initial(sessions: list[OpeningSession]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row, session in enumerate(sessions):
        values[name(row, "id")] = session["id"]
        values[name(row, "days")] = list(session["days"])
        values[name(row, "repeat")] = session["repeat"]
        values[name(row, "starts_on")] = format_date(session["starts_on"])
        values[name(row, "opens")] = session["opens"]
        values[name(row, "closes")] = session["closes"]
    return values


def clean(
    form: forms.Form, cleaned: dict[str, Any], rows: int, known_ids: set[str]
) -> list[OpeningSession]:
    """The rows as sessions; errors go on the row's fields. Empty rows are left out."""
    sessions: list[OpeningSession] = []
    used_ids: set[str] = set()
    for row in range(rows):
        names = {part: name(row, part) for part in FIELDS}
        if any(field in form.errors for field in names.values()):
            continue
        days = [code for code, _ in DAYS if code in (cleaned.get(names["days"]) or [])]
        raw_opens = (cleaned.get(names["opens"]) or "").strip()
        raw_closes = (cleaned.get(names["closes"]) or "").strip()
        raw_starts = (cleaned.get(names["starts_on"]) or "").strip()
        if not (days or raw_opens or raw_closes or raw_starts):
            continue
        number = row + 1
        repeat = cleaned.get(names["repeat"]) or "weekly"
        is_complete = True
        if not days:
            form.add_error(names["days"], f"Select the days of session {number}")
            is_complete = False
        opens = _time(form, names["opens"], raw_opens, f"session {number} opens", "9am")
        closes = _time(form, names["closes"], raw_closes, f"session {number} closes", "5pm")
        if opens and closes and closes != dt.time(0, 0) and closes <= opens:
            form.add_error(names["closes"], f"Session {number} must close after it opens")
            is_complete = False
        starts_on = ""
        if repeat == "fortnightly":
            starts = parse_date(raw_starts) if raw_starts else None
            if not raw_starts:
                form.add_error(
                    names["starts_on"],
                    f"Enter the date of a week when session {number} runs, like 10/12/2026",
                )
            elif starts is None:
                form.add_error(
                    names["starts_on"], f"Enter a real date for session {number}, like 10/12/2026"
                )
            else:
                starts_on = starts.isoformat()
            is_complete = is_complete and starts is not None
        if not (is_complete and opens and closes):
            continue
        session_id = _known_id(cleaned.get(names["id"]) or "", known_ids, used_ids)
        sessions.append(
            {
                "id": session_id,
                "days": days,
                "repeat": repeat,
                "starts_on": starts_on,
                "opens": opens.strftime("%H:%M"),
                "closes": closes.strftime("%H:%M"),
            }
        )
    return sessions


def _time(form: forms.Form, field: str, raw: str, what: str, example: str) -> dt.time | None:
    if not raw:
        form.add_error(field, f"Enter the time {what}, like {example} or 17:30")
        return None
    value = parse_time(raw)
    if value is None:
        form.add_error(field, f"Enter the time {what} as a time, like {example} or 17:30")
    return value


def _known_id(raw: str, known_ids: set[str], used_ids: set[str]) -> str:
    """The schedule id a row came from, if it is one of this listing's and not used twice."""
    try:
        value = str(UUID(raw))
    except ValueError:
        return ""
    if value not in known_ids or value in used_ids:
        return ""
    used_ids.add(value)
    return value
