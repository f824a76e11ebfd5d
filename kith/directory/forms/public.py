"""Forms for the public pages: the search on /find/ and "Report something wrong".

Forms only validate and clean; the view turns the cleaned search into a `SearchQuery`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings

from kith.core.errors import ValidationFailed
from kith.core.presenters import format_time_short
from kith.directory.geo import normalise_search_postcode
from kith.directory.models import ListingReport
from kith.directory.taxonomy import support_types

MILE_M = 1609.344
RADIUS_CHOICES = [("1", "1 mile"), ("3", "3 miles"), ("5", "5 miles"), ("10", "10 miles")]
DEFAULT_RADIUS = "3"
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DAY_CHOICES = [(day, day.capitalize()) for day in DAYS]
TIME_CHOICES = [(f"{hour:02d}:00", format_time_short(dt.time(hour))) for hour in range(6, 23)]
WHEN_ANY, WHEN_NOW, WHEN_AT = "any", "now", "at"
ORDER_BEST, ORDER_NEAREST = "best", "nearest"
MAX_PAGE = 500
# Coordinates from "use my location" are rounded to a ~100 metre grid (about the size of a
# postcode) before they reach a URL, so no log or shared link holds where someone really is.
COORDINATE_DECIMALS = 3
LOCATION_ERROR = "We could not use your location. Enter a postcode, like SW9 8EJ"


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        error_messages={"max_length": "Enter 200 characters or fewer"},
    )
    postcode = forms.CharField(required=False, strip=True)
    lat = forms.CharField(required=False)
    long = forms.CharField(required=False)
    radius = forms.ChoiceField(
        required=False,
        choices=RADIUS_CHOICES,
        error_messages={"invalid_choice": "Select a distance from the list"},
    )
    type = forms.MultipleChoiceField(
        required=False,
        choices=[(st.code, st.label) for st in support_types()],
        error_messages={"invalid_choice": "Select types of support from the list"},
    )
    when = forms.ChoiceField(
        required=False,
        choices=[(WHEN_ANY, "Any time"), (WHEN_NOW, "Open now"), (WHEN_AT, "On a day and time")],
        error_messages={"invalid_choice": "Select when you want to go"},
    )
    day = forms.ChoiceField(
        required=False,
        choices=DAY_CHOICES,
        error_messages={"invalid_choice": "Select a day from the list"},
    )
    time = forms.ChoiceField(
        required=False,
        choices=TIME_CHOICES,
        error_messages={"invalid_choice": "Select a time from the list"},
    )
    order = forms.ChoiceField(
        required=False,
        choices=[(ORDER_BEST, "Best match"), (ORDER_NEAREST, "Nearest first")],
        error_messages={"invalid_choice": "Select how to sort the results"},
    )
    free = forms.BooleanField(required=False)
    no_referral = forms.BooleanField(required=False)
    step_free = forms.BooleanField(required=False)
    language = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Select a language from the list"},
    )

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "Any language"), *languages]  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        raw: str = self.cleaned_data["postcode"]
        if not raw:
            return ""
        try:
            return normalise_search_postcode(raw)
        except ValidationFailed as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["point"] = None
        if not cleaned.get("postcode") and "postcode" not in self.errors:
            cleaned["point"] = self._point(cleaned.get("lat", ""), cleaned.get("long", ""))
        if cleaned.get("when") in ("", WHEN_ANY) and cleaned.get("day") and cleaned.get("time"):
            cleaned["when"] = WHEN_AT  # a day and time chosen without ticking "On a day and time"
        if cleaned.get("when") == WHEN_AT:
            if not cleaned.get("day") and "day" not in self.errors:
                self.add_error("day", "Select a day")
            if not cleaned.get("time") and "time" not in self.errors:
                self.add_error("time", "Select a time")
        return cleaned

    def _point(self, lat: str, long: str) -> tuple[float, float] | None:
        if not lat and not long:
            return None
        try:
            latitude, longitude = float(lat), float(long)
        except ValueError:
            self.add_error("postcode", LOCATION_ERROR)
            return None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            self.add_error("postcode", LOCATION_ERROR)
            return None
        return (round(latitude, COORDINATE_DECIMALS), round(longitude, COORDINATE_DECIMALS))

    def radius_m(self) -> float:
        return float(self.cleaned_data.get("radius") or DEFAULT_RADIUS) * MILE_M

    def open_at(self, now: dt.datetime) -> dt.datetime | None:
        """The moment the person wants something open: now, the next chosen day and time, or None."""
        when = self.cleaned_data.get("when")
        if when == WHEN_NOW:
            return now
        if when != WHEN_AT:
            return None
        zone = ZoneInfo(settings.KITH_TIME_ZONE)
        local_now = now.astimezone(zone)
        hour = int(self.cleaned_data["time"][:2])
        days_ahead = (DAYS.index(self.cleaned_data["day"]) - local_now.weekday()) % 7
        day = local_now.date() + dt.timedelta(days=days_ahead)
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
        if moment < local_now:
            moment += dt.timedelta(days=7)
        return moment

    def is_nearest_first(self) -> bool:
        """Whether the person chose "Nearest first" (which sorts only when there is a place)."""
        return self.cleaned_data.get("order") == ORDER_NEAREST

    def has_criteria(self) -> bool:
        """Whether the person asked for anything at all (else the page offers types to browse)."""
        data = self.cleaned_data
        return bool(
            data.get("q")
            or data.get("postcode")
            or data.get("point")
            or data.get("type")
            or data.get("when") in (WHEN_NOW, WHEN_AT)
            or data.get("free")
            or data.get("no_referral")
            or data.get("step_free")
            or data.get("language")
        )


def page_number(raw: str | None) -> int:
    """The results page asked for; anything unusable means the first page."""
    try:
        number = int(raw or "1")
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


class ListingReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ListingReport.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what is wrong",
            "invalid_choice": "Select what is wrong from the list",
        },
    )
    details = forms.CharField(
        required=False,
        max_length=2000,
        strip=True,
        error_messages={"max_length": "Details must be 2000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
