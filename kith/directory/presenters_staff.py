"""Display values for staff pages: a proposed listing as rows, and what an edit changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kith.core.presenters import format_date_long, format_time_short
from kith.directory.selectors.curation import DAYS, ListingData
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


def opening_time_lines(data: ListingData) -> list[str]:
    lines = []
    for code, day in DAYS:
        hours = data["opening_times"].get(code)
        if hours:
            opens = format_time_short(dt.time.fromisoformat(hours["opens"]))
            closes = format_time_short(dt.time.fromisoformat(hours["closes"]))
            lines.append(f"{day}: {opens} to {closes}")
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


def checked_label(value: dt.date | None) -> str:
    return format_date_long(value) if value else "Never checked"
