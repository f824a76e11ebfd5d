"""Opening times: open at a moment, next opening, weekly table and other times.

Schedules are unsaved model instances: the functions are pure and read only their fields.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kith.directory.models import ClosedDate, Schedule
from kith.directory.opening import (
    DayHours,
    Opening,
    WeeklySlot,
    is_open_at,
    next_opening,
    other_times,
    weekly_hours,
    weekly_slots,
)

LONDON = ZoneInfo("Europe/London")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def weekly(byday: str = "MO,TU,WE,TH,FR", opens: str = "09:00", closes: str = "17:00", **kw):
    return Schedule(
        freq="WEEKLY",
        byday=byday,
        opens_at=dt.time.fromisoformat(opens),
        closes_at=dt.time.fromisoformat(closes) if closes else None,
        **kw,
    )


def monthly(byday: str = "", bymonthday: str = "", opens="18:00", closes="20:00", **kw):
    return Schedule(
        freq="MONTHLY",
        byday=byday,
        bymonthday=bymonthday,
        opens_at=dt.time.fromisoformat(opens),
        closes_at=dt.time.fromisoformat(closes),
        **kw,
    )


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 11, 23, 8, 59), False),  # Monday just before
        (at(2026, 11, 23, 9, 0), True),  # Monday at opening
        (at(2026, 11, 23, 16, 59), True),
        (at(2026, 11, 23, 17, 0), False),  # closing time is closed
        (at(2026, 11, 28, 12, 0), False),  # Saturday
    ],
)
def test_weekday_hours(moment, expected):
    # given / when / then
    assert is_open_at([weekly()], [], moment) is expected


def test_open_at_accepts_any_time_zone_for_the_same_instant():
    # given 9:30 on a summer Monday in London is 08:30 UTC
    moment = dt.datetime(2026, 7, 6, 8, 30, tzinfo=dt.UTC)
    # when / then
    assert is_open_at([weekly()], [], moment) is True
    assert is_open_at([weekly()], [], moment - dt.timedelta(hours=1)) is False


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open_at([weekly()], [], dt.datetime(2026, 7, 6, 9, 30))  # noqa: DTZ001


def test_wall_clock_hours_hold_across_the_spring_clock_change():
    # given Sunday hours on the day the clocks go forward (29 March 2026, 1am GMT → 2am BST)
    schedule = weekly(byday="SU", opens="10:00", closes="16:00")
    # when / then 10am BST is 09:00 UTC
    assert is_open_at([schedule], [], dt.datetime(2026, 3, 29, 9, 0, tzinfo=dt.UTC)) is True
    assert is_open_at([schedule], [], dt.datetime(2026, 3, 29, 8, 59, tzinfo=dt.UTC)) is False
    # and the week before, in GMT, 10am is 10:00 UTC
    assert is_open_at([schedule], [], dt.datetime(2026, 3, 22, 9, 30, tzinfo=dt.UTC)) is False
    assert is_open_at([schedule], [], dt.datetime(2026, 3, 22, 10, 0, tzinfo=dt.UTC)) is True


def test_overnight_hours_across_the_autumn_clock_change():
    # given a Saturday night café 10pm to 2am; on 25 October 2026 1am BST becomes 1am GMT
    schedule = weekly(byday="SA", opens="22:00", closes="02:00")
    # when / then the night is 5 hours long: 21:00 UTC to 02:00 UTC
    opening = next_opening([schedule], [], at(2026, 10, 24, 12))
    assert opening == Opening(starts_at=at(2026, 10, 24, 22), ends_at=at(2026, 10, 25, 2))
    duration = opening.ends_at.astimezone(dt.UTC) - opening.starts_at.astimezone(dt.UTC)
    assert duration == dt.timedelta(hours=5)
    assert is_open_at([schedule], [], dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)) is True
    assert is_open_at([schedule], [], dt.datetime(2026, 10, 25, 2, 0, tzinfo=dt.UTC)) is False


def test_overnight_hours_run_into_the_next_day():
    schedule = weekly(byday="FR", opens="20:00", closes="03:00")
    assert is_open_at([schedule], [], at(2026, 11, 28, 2, 30)) is True  # Saturday early
    assert is_open_at([schedule], [], at(2026, 11, 28, 3, 0)) is False
    assert is_open_at([schedule], [], at(2026, 11, 27, 19, 59)) is False


def test_no_closing_time_means_until_midnight():
    schedule = weekly(byday="MO", opens="18:00", closes="")
    assert is_open_at([schedule], [], at(2026, 11, 23, 23, 59)) is True
    assert is_open_at([schedule], [], at(2026, 11, 24, 0, 0)) is False


def test_closed_bank_holiday():
    # given Monday 31 August 2026 is the summer bank holiday
    closed = [ClosedDate(date=dt.date(2026, 8, 31), reason="Bank holiday")]
    # when / then
    assert is_open_at([weekly()], closed, at(2026, 8, 31, 10)) is False
    assert is_open_at([weekly()], closed, at(2026, 9, 1, 10)) is True
    assert next_opening([weekly()], closed, at(2026, 8, 31, 10)) == Opening(
        starts_at=at(2026, 9, 1, 9), ends_at=at(2026, 9, 1, 17)
    )


def test_valid_to_in_the_past_is_never_open():
    schedule = weekly(valid_to=dt.date(2026, 1, 31))
    assert is_open_at([schedule], [], at(2026, 1, 30, 10)) is True
    assert is_open_at([schedule], [], at(2026, 11, 23, 10)) is False
    assert next_opening([schedule], [], at(2026, 11, 23, 10)) is None


def test_valid_from_in_the_future_starts_then():
    schedule = weekly(valid_from=dt.date(2026, 12, 2))
    assert is_open_at([schedule], [], at(2026, 12, 1, 10)) is False
    assert next_opening([schedule], [], at(2026, 12, 1, 10)) == Opening(
        starts_at=at(2026, 12, 2, 9), ends_at=at(2026, 12, 2, 17)
    )


def test_last_friday_of_the_month():
    schedule = monthly(byday="-1FR")
    # 27 November 2026 is the last Friday; 20 November is not
    assert is_open_at([schedule], [], at(2026, 11, 27, 19)) is True
    assert is_open_at([schedule], [], at(2026, 11, 20, 19)) is False
    assert next_opening([schedule], [], at(2026, 11, 28, 9)) == Opening(
        starts_at=at(2026, 12, 25, 18), ends_at=at(2026, 12, 25, 20)
    )


def test_first_tuesday_of_the_month():
    schedule = monthly(byday="1TU")
    assert is_open_at([schedule], [], at(2026, 12, 1, 19)) is True
    assert is_open_at([schedule], [], at(2026, 12, 8, 19)) is False


def test_month_days_including_the_last_day():
    schedule = monthly(bymonthday="15,-1", opens="10:00", closes="12:00")
    assert is_open_at([schedule], [], at(2026, 2, 28, 11)) is True
    assert is_open_at([schedule], [], at(2026, 2, 15, 11)) is True
    assert is_open_at([schedule], [], at(2026, 2, 16, 11)) is False


def test_fortnightly_from_dtstart():
    schedule = weekly(byday="WE", interval=2, dtstart=dt.date(2026, 11, 4))
    assert is_open_at([schedule], [], at(2026, 11, 18, 10)) is True
    assert is_open_at([schedule], [], at(2026, 11, 25, 10)) is False
    assert is_open_at([schedule], [], at(2026, 10, 28, 10)) is False  # before dtstart


def test_count_stops_after_that_many_sessions():
    schedule = weekly(byday="TH", dtstart=dt.date(2026, 11, 5), count=3)
    assert is_open_at([schedule], [], at(2026, 11, 19, 10)) is True  # third
    assert is_open_at([schedule], [], at(2026, 11, 26, 10)) is False  # fourth


def test_count_is_counted_from_dtstart_not_from_valid_from():
    # given Mondays from 5 January, three times, valid only from 19 January
    schedule = weekly(byday="MO", dtstart=dt.date(2026, 1, 5), count=3)
    schedule.valid_from = dt.date(2026, 1, 19)
    # when
    mondays = [
        dt.date(2026, 1, 12),
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 26),
        dt.date(2026, 2, 2),
    ]
    open_on = [d for d in mondays if is_open_at([schedule], [], at(d.year, d.month, d.day, 10))]
    # then the third session, 19 January, is the last
    assert open_on == [dt.date(2026, 1, 19)]
    assert next_opening([schedule], [], at(2026, 1, 20, 10)) is None


def test_monthly_count_and_interval_follow_the_rule_from_dtstart():
    # given the last Friday of every other month from January, four times
    schedule = monthly(byday="-1FR", interval=2, dtstart=dt.date(2026, 1, 1), count=4)
    # when
    fridays = [
        d
        for d in (dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(400))
        if is_open_at([schedule], [], at(d.year, d.month, d.day, 19))
    ]
    # then
    assert fridays == [
        dt.date(2026, 1, 30),
        dt.date(2026, 3, 27),
        dt.date(2026, 5, 29),
        dt.date(2026, 7, 31),
    ]


def test_until_ends_the_rule():
    schedule = weekly(byday="TH", until=dt.date(2026, 11, 19))
    assert is_open_at([schedule], [], at(2026, 11, 19, 10)) is True
    assert is_open_at([schedule], [], at(2026, 11, 26, 10)) is False


def test_schedule_without_opening_time_is_ignored_for_open_now():
    schedule = Schedule(freq="WEEKLY", byday="MO", description="By appointment")
    assert is_open_at([schedule], [], at(2026, 11, 23, 10)) is False
    assert next_opening([schedule], [], at(2026, 11, 23, 10)) is None
    assert other_times([schedule]) == ["By appointment"]


def test_next_opening_in_progress_and_joined_with_touching_hours():
    morning = weekly(byday="MO", opens="09:00", closes="12:00")
    afternoon = weekly(byday="MO", opens="12:00", closes="17:00")
    assert next_opening([afternoon, morning], [], at(2026, 11, 23, 10)) == Opening(
        starts_at=at(2026, 11, 23, 9), ends_at=at(2026, 11, 23, 17)
    )


def test_next_opening_after_closing_is_the_next_day():
    assert next_opening([weekly()], [], at(2026, 11, 27, 18)) == Opening(
        starts_at=at(2026, 11, 30, 9), ends_at=at(2026, 11, 30, 17)
    )


def test_next_opening_respects_the_window():
    schedule = weekly(valid_from=dt.date(2027, 6, 1))
    assert next_opening([schedule], [], at(2026, 11, 23, 10), within_days=30) is None


def test_weekly_hours_table():
    # given
    schedules = [
        weekly(),
        weekly(byday="SA", opens="10:00", closes="13:00"),
        weekly(byday="MO", opens="18:00", closes="20:00"),
        weekly(byday="SU", valid_to=dt.date(2026, 1, 1)),  # expired
        monthly(byday="1TU"),  # not weekly
    ]
    # when
    table = weekly_hours(schedules, on=dt.date(2026, 11, 23))
    # then
    nine_five = (dt.time(9), dt.time(17))
    assert table == [
        DayHours("Monday", [nine_five, (dt.time(18), dt.time(20))]),
        DayHours("Tuesday", [nine_five]),
        DayHours("Wednesday", [nine_five]),
        DayHours("Thursday", [nine_five]),
        DayHours("Friday", [nine_five]),
        DayHours("Saturday", [(dt.time(10), dt.time(13))]),
        DayHours("Sunday", []),
    ]


def test_other_times_in_plain_english():
    schedules = [
        weekly(),
        monthly(byday="1TU"),
        monthly(byday="-1FR", opens="10:30", closes="12:00"),
        monthly(bymonthday="1,15", opens="12:00", closes="00:00"),
        weekly(byday="WE", interval=2, dtstart=dt.date(2026, 11, 4)),
    ]
    assert other_times(schedules) == [
        "First Tuesday of the month, 6pm to 8pm",
        "Last Friday of the month, 10:30am to midday",
        "The 1st and the 15th of the month, midday to midnight",
        "Every other week on Wednesdays, 9am to 5pm",
    ]


def test_weekly_slots_split_overnight_hours_and_mark_inexact_rules():
    schedules = [weekly(byday="FR", opens="22:00", closes="02:00"), monthly(byday="-1FR")]
    assert weekly_slots(schedules) == [
        WeeklySlot(4, 1320, 1440, None, None, True),
        WeeklySlot(5, 0, 120, None, None, True),
        WeeklySlot(4, 1080, 1200, None, None, False),
    ]


def test_rules_that_skip_weeks_or_months_say_when_they_next_happen():
    # given every other Wednesday from 4 November 2026, and every other month's first Tuesday
    schedules = [
        weekly(byday="WE", interval=2, dtstart=dt.date(2026, 11, 4)),
        monthly(byday="1TU", interval=2, dtstart=dt.date(2026, 11, 3)),
        monthly(byday="1TU"),
    ]
    # when read on Monday 7 December 2026
    lines = other_times(schedules, on=dt.date(2026, 12, 7))
    # then
    assert lines == [
        "Every other week on Wednesdays, 9am to 5pm (next on Wednesday 16 December)",
        "First Tuesday of every other month, 6pm to 8pm (next on Tuesday 5 January)",
        "First Tuesday of the month, 6pm to 8pm",
    ]
