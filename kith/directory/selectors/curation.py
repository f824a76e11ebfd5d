"""Reads for staff curation: who is an editor, queues, stale listings and a listing as data.

A listing as data (`ListingData`) is the one shape the editor form produces, a ListingChange
stores and the review page compares: the live listing is read into the same shape, so the
reviewer's diff is always "what is public now" against "what was proposed".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypedDict, cast
from uuid import UUID

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kith.directory.models import (
    Attribute,
    ListingChange,
    ListingReport,
    Organization,
    Schedule,
    Service,
)
from kith.directory.taxonomy import (
    SUPPORT_TYPE_LINK_TYPE,
    SUPPORT_TYPES_TAXONOMY_ID,
    support_types,
)

EDITORS_GROUP_NAME = "Directory editors"
# HSDS / iCalendar day codes, Monday first, with the names people read.
DAYS: tuple[tuple[str, str], ...] = (
    ("MO", "Monday"),
    ("TU", "Tuesday"),
    ("WE", "Wednesday"),
    ("TH", "Thursday"),
    ("FR", "Friday"),
    ("SA", "Saturday"),
    ("SU", "Sunday"),
)


class OpeningHours(TypedDict):
    """The editor's old shape for opening times (one opening a day), still read from changes
    proposed before sessions; see `opening_sessions`."""

    opens: str  # "09:00"
    closes: str  # "17:00"


# How often a session repeats, as the editor offers it. Each maps onto HSDS schedule fields:
# weekly is WEEKLY/1; fortnightly is WEEKLY/2 counted from `dtstart`; "monthly-1" is MONTHLY with
# byday "1TU" (first Tuesday), "monthly-last" "-1TU". These are iCalendar RRULE parts, so they
# read the same through dateutil.rrule.
REPEATS: tuple[tuple[str, str], ...] = (
    ("weekly", "Every week"),
    ("fortnightly", "Every other week"),
    ("monthly-1", "First in the month"),
    ("monthly-2", "Second in the month"),
    ("monthly-3", "Third in the month"),
    ("monthly-4", "Fourth in the month"),
    ("monthly-last", "Last in the month"),
)
MONTHLY_ORDINALS = {
    "monthly-1": 1,
    "monthly-2": 2,
    "monthly-3": 3,
    "monthly-4": 4,
    "monthly-last": -1,
}


class OpeningSession(TypedDict):
    """One regular opening: on these days, this often, between these times (one Schedule)."""

    id: str  # the Schedule it came from; "" for a new session
    days: list[str]  # day codes, Monday first: ["MO", "WE"]
    repeat: str  # a key of REPEATS
    starts_on: str  # ISO date of a week it runs, for "fortnightly"; else ""
    opens: str  # "09:00"
    closes: str  # "17:00"; "00:00" is midnight


class ListingData(TypedDict):
    organization_id: str  # "" when the listing brings a new organisation
    organization_name: str
    name: str
    description: str
    support_types: list[str]
    is_no_referral_needed: bool
    is_free: bool
    cost_description: str
    is_place_to_talk: bool
    place_to_talk_training: str
    url: str
    email: str
    phone: str
    location_name: str
    address_1: str
    address_2: str
    city: str
    postcode: str
    latitude: float | None
    longitude: float | None
    has_step_free_access: bool
    # The sessions the editor shows. Changes proposed before sessions hold the old shape, a dict
    # of day code to OpeningHours: read either through `opening_sessions`.
    opening_times: list[OpeningSession]
    languages: list[str]


def listing_merge(
    *,
    live: ListingData,
    base: ListingData | dict[str, Any] | None,
    proposed: ListingData | dict[str, Any],
) -> ListingData:
    """What publishing a proposal does to the listing as it is now.

    An edit carries `base`, the listing as it was when proposed: only the parts the editor
    changed from it are applied, so an edit published in the meantime stays. Sessions merge one
    by one (by schedule id). Without a base (a new listing, or a change stored before bases were
    kept) the proposal applies as it stands.
    """
    if base is None:
        return cast(ListingData, dict(proposed))
    merged: dict[str, Any] = dict(live)
    for key in live:
        is_part = key != "opening_times" and key in proposed and key in base
        if is_part and proposed[key] != base[key]:  # type: ignore[literal-required]
            merged[key] = proposed[key]  # type: ignore[literal-required]
    merged["opening_times"] = _merge_sessions(
        live=opening_sessions(live),
        base=opening_sessions(base),
        proposed=opening_sessions(proposed),
    )
    return cast(ListingData, merged)


def _merge_sessions(
    *, live: list[OpeningSession], base: list[OpeningSession], proposed: list[OpeningSession]
) -> list[OpeningSession]:
    if proposed == base:
        return live
    base_by_id = {s["id"]: s for s in base if s["id"]}
    proposed_by_id = {s["id"]: s for s in proposed if s["id"]}
    live_ids = {s["id"] for s in live}
    merged: list[OpeningSession] = []
    for session in live:
        if session["id"] not in base_by_id:
            merged.append(session)  # added since the editor started
        elif session["id"] in proposed_by_id:
            changed = proposed_by_id[session["id"]] != base_by_id[session["id"]]
            merged.append(proposed_by_id[session["id"]] if changed else session)
        # else the editor removed it
    for session in proposed:
        if not session["id"]:
            merged.append(session)
        elif session["id"] not in live_ids and session != base_by_id.get(session["id"]):
            merged.append({**session, "id": ""})  # changed, but its schedule has gone: add it
    return sorted(merged, key=session_sort_key)


def is_directory_editor(user: Any) -> bool:
    """Editors are active members of the group "Directory editors" (superusers count too)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return bool(user.groups.filter(name=EDITORS_GROUP_NAME).exists())


def stale_before(*, today: dt.date | None = None) -> dt.date:
    """Listings checked before this date are stale (not checked for KITH_STALE_AFTER_DAYS)."""
    return (today or timezone.localdate()) - dt.timedelta(days=settings.KITH_STALE_AFTER_DAYS)


def services_stale(*, today: dt.date | None = None) -> QuerySet[Service]:
    """Active listings never checked or checked too long ago; never-checked first, then oldest."""
    cutoff = stale_before(today=today)
    return (
        Service.objects.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))
        .exclude(status=Service.Status.DEFUNCT)
        .select_related("organization")
        .order_by(F("assured_date").asc(nulls_first=True), "name", "id")
    )


def listing_changes_awaiting_review() -> QuerySet[ListingChange]:
    return (
        ListingChange.objects.filter(status=ListingChange.Status.AWAITING_REVIEW)
        .select_related("service", "proposed_by")
        .order_by("created_at", "id")
    )


def listing_changes_with_changes_requested() -> QuerySet[ListingChange]:
    return (
        ListingChange.objects.filter(status=ListingChange.Status.CHANGES_REQUESTED)
        .select_related("service", "proposed_by", "reviewed_by")
        .order_by("updated_at", "id")
    )


def listing_reports(*, status: str = ListingReport.Status.OPEN) -> QuerySet[ListingReport]:
    """Reports in one status, newest first."""
    return (
        ListingReport.objects.filter(status=status)
        .select_related("service", "service__organization", "resolved_by")
        .order_by("-created_at", "-id")
    )


class DashboardCounts(TypedDict):
    awaiting_review: int
    changes_requested: int
    stale: int
    open_reports: int


def staff_dashboard_counts(*, today: dt.date | None = None) -> DashboardCounts:
    return {
        "awaiting_review": listing_changes_awaiting_review().count(),
        "changes_requested": listing_changes_with_changes_requested().count(),
        "stale": services_stale(today=today).count(),
        "open_reports": listing_reports(status=ListingReport.Status.OPEN).count(),
    }


def services_for_staff(*, name: str = "") -> QuerySet[Service]:
    """Every listing, by name, optionally filtered by words in its or its organisation's name."""
    services = Service.objects.select_related("organization").order_by("name", "id")
    if name.strip():
        services = services.filter(
            Q(name__icontains=name.strip()) | Q(organization__name__icontains=name.strip())
        )
    return services


def organizations_for_choice() -> QuerySet[Organization]:
    return Organization.objects.order_by("name", "id").only("id", "name")


def service_support_type_codes(service_id: UUID) -> list[str]:
    codes = set(
        Attribute.objects.filter(
            link_entity="service",
            link_id=service_id,
            link_type=SUPPORT_TYPE_LINK_TYPE,
            taxonomy_term__taxonomy_id=SUPPORT_TYPES_TAXONOMY_ID,
        ).values_list("taxonomy_term__code", flat=True)
    )
    return [st.code for st in support_types() if st.code in codes]


def _hhmm(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


_DAY_CODES = [code for code, _ in DAYS]
_BYDAY_PART = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _byday_parts(raw: str) -> list[tuple[int | None, str]] | None:
    """'1TU,1TH' → [(1, 'TU'), (1, 'TH')]; None when any part is not a day."""
    parts: list[tuple[int | None, str]] = []
    for part in (p.strip() for p in raw.upper().split(",")):
        match = _BYDAY_PART.match(part)
        if not match:
            return None
        parts.append((int(match.group(1)) if match.group(1) else None, match.group(2)))
    return parts


def session_of_schedule(schedule: Schedule) -> OpeningSession | None:
    """The schedule as an editor session, or None when the editor cannot show all of it.

    The editor shows regular hours on named days: every week, every other week from a date, or
    the first to fourth or last such day of the month. A rule with a validity period, an end,
    a count, days of the month, hours past midnight or no hours is left for other tools.
    """
    if schedule.opens_at is None or schedule.closes_at is None:
        return None
    if schedule.closes_at != dt.time(0, 0) and schedule.closes_at <= schedule.opens_at:
        return None
    limits = (schedule.valid_from, schedule.valid_to, schedule.until, schedule.count)
    if any(value is not None for value in limits) or schedule.location_id:
        return None
    if schedule.byweekno or schedule.bymonthday or schedule.byyearday:
        return None
    parts = _byday_parts(schedule.byday)
    if not parts:
        return None
    ordinals = {ordinal for ordinal, _ in parts}
    freq, interval = schedule.freq or Schedule.Freq.WEEKLY, schedule.interval or 1
    repeat = ""
    if freq == Schedule.Freq.WEEKLY and ordinals == {None}:
        if interval == 1 and schedule.dtstart is None:
            repeat = "weekly"
        elif interval == 2 and schedule.dtstart is not None:
            repeat = "fortnightly"
    elif freq == Schedule.Freq.MONTHLY and interval == 1 and schedule.dtstart is None:
        repeat = next((k for k, n in MONTHLY_ORDINALS.items() if ordinals == {n}), "")
    if not repeat:
        return None
    days = {day for _, day in parts}
    return {
        "id": str(schedule.pk),
        "days": [code for code in _DAY_CODES if code in days],
        "repeat": repeat,
        "starts_on": schedule.dtstart.isoformat() if schedule.dtstart else "",
        "opens": _hhmm(schedule.opens_at),
        "closes": schedule.closes_at.strftime("%H:%M"),
    }


_REPEAT_ORDER = [key for key, _ in REPEATS]


def session_sort_key(session: OpeningSession) -> tuple[int, int, str, str, str]:
    """Weekly first, then every other week, then monthly; by first day, then by time."""
    first_day = min((_DAY_CODES.index(d) for d in session["days"] if d in _DAY_CODES), default=7)
    repeat = session["repeat"]
    order = _REPEAT_ORDER.index(repeat) if repeat in _REPEAT_ORDER else len(_REPEAT_ORDER)
    return (order, first_day, session["opens"], session["closes"], session["id"])


def _unique_schedules(schedules: list[Schedule]) -> list[Schedule]:
    """A schedule linked to both the service and its place is listed under each: keep one."""
    seen: set[UUID] = set()
    unique = []
    for schedule in sorted(schedules, key=lambda s: (s.created_at, s.pk)):
        if schedule.pk not in seen:
            seen.add(schedule.pk)
            unique.append(schedule)
    return unique


def opening_sessions_of_schedules(schedules: list[Schedule]) -> list[OpeningSession]:
    sessions = [session_of_schedule(schedule) for schedule in _unique_schedules(schedules)]
    return sorted((s for s in sessions if s is not None), key=session_sort_key)


def schedules_not_editable(schedules: list[Schedule]) -> list[Schedule]:
    """The rules the editor leaves as they are (see `session_of_schedule`)."""
    return [s for s in _unique_schedules(schedules) if session_of_schedule(s) is None]


def opening_sessions(data: ListingData | dict[str, Any]) -> list[OpeningSession]:
    """The listing's sessions, whichever shape its change was stored in."""
    value: Any = data.get("opening_times") or []
    if isinstance(value, dict):  # proposed before sessions: one opening a day, every week
        return [
            {
                "id": "",
                "days": [code],
                "repeat": "weekly",
                "starts_on": "",
                "opens": value[code]["opens"],
                "closes": value[code]["closes"],
            }
            for code in _DAY_CODES
            if code in value
        ]
    return list(value)


def service_for_listing(service_id: UUID) -> Service:
    """A service with everything the editor form shows; raises Service.DoesNotExist."""
    return (
        Service.objects.select_related("organization")
        .prefetch_related(
            "phones",
            "languages",
            "schedules",
            "cost_options",
            "service_at_locations__location__addresses",
            "service_at_locations__schedules",
        )
        .get(pk=service_id)
    )


def listing_schedules(service: Service) -> list[Schedule]:
    """The schedules the editor reads: the service's and those at its first place."""
    service_at_location = next(iter(service.service_at_locations.all()), None)
    schedules = list(service.schedules.all())
    if service_at_location:
        schedules += list(service_at_location.schedules.all())
    return _unique_schedules(schedules)


def listing_data_for_service(service: Service) -> ListingData:
    """The live listing in the shape the editor form and ListingChange use."""
    service_phones = [p for p in service.phones.all() if p.location_id is None]
    service_at_location = next(iter(service.service_at_locations.all()), None)
    location = service_at_location.location if service_at_location else None
    address = next(iter(location.addresses.all()), None) if location else None
    schedules = listing_schedules(service)
    cost_description = service.fees_description
    if not cost_description:
        priced = [c for c in service.cost_options.all() if c.amount or c.amount_description]
        if priced:
            cost_description = priced[0].amount_description or priced[0].option
    return {
        "organization_id": str(service.organization_id) if service.organization else "",
        "organization_name": service.organization.name if service.organization else "",
        "name": service.name,
        "description": service.description,
        "support_types": service_support_type_codes(service.id),
        "is_no_referral_needed": service.is_no_referral_needed,
        "is_free": service.is_free,
        "cost_description": "" if service.is_free else cost_description,
        "is_place_to_talk": service.is_place_to_talk,
        "place_to_talk_training": service.place_to_talk_training,
        "url": service.url,
        "email": service.email,
        "phone": service_phones[0].number if service_phones else "",
        "location_name": location.name if location else "",
        "address_1": address.address_1 if address else "",
        "address_2": address.address_2 if address else "",
        "city": address.city if address else "",
        "postcode": address.postal_code if address else "",
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "has_step_free_access": location.has_step_free_access if location else False,
        "opening_times": opening_sessions_of_schedules(schedules),
        "languages": [lang.name or lang.code for lang in service.languages.all()],
    }
