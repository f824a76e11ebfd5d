from __future__ import annotations

import datetime as dt

import pytest

from kith.core.presenters import format_date_long, format_distance, format_time_short

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.time(9, 0), "9am"),
        (dt.time(12, 0), "midday"),
        (dt.time(0, 0), "midnight"),
        (dt.time(17, 30), "5:30pm"),
        # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (BST)
        (dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "12:30am"),
        # in winter London is on UTC
        (dt.datetime(2026, 1, 10, 13, 0, tzinfo=UTC), "1pm"),
    ],
)
def test_times_are_shown_on_the_london_clock(value: dt.time | dt.datetime, expected: str) -> None:
    assert format_time_short(value) == expected


def test_dates_of_aware_datetimes_are_london_dates() -> None:
    assert format_date_long(dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == "1 April 2026"
    assert format_date_long(dt.date(2026, 11, 26)) == "26 November 2026"


def test_distances_read_in_miles() -> None:
    assert format_distance(None) == ""
    assert format_distance(100) == "less than 0.1 miles"
    assert format_distance(1609.344 * 1.26) == "1.3 miles"
