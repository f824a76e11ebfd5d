"""Reads for staff curation: who is an editor, queues, stale listings and a listing as data.

A listing as data (`ListingData`) is the one shape the editor form produces, a ListingChange
stores and the review page compares: the live listing is read into the same shape, so the
reviewer's diff is always "what is public now" against "what was proposed".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict
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
    opens: str  # "09:00"
    closes: str  # "17:00"


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
    opening_times: dict[str, OpeningHours]  # day code → hours; a missing day is closed
    languages: list[str]


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


def weekly_opening_times(schedules: list[Schedule]) -> dict[str, OpeningHours]:
    """The first opening on each day from plain weekly rules (what the editor grid shows)."""
    opening: dict[str, OpeningHours] = {}
    day_codes = {code for code, _ in DAYS}
    for schedule in sorted(schedules, key=lambda s: (s.opens_at or dt.time.min, s.created_at)):
        if schedule.freq != Schedule.Freq.WEEKLY or not schedule.opens_at or not schedule.closes_at:
            continue
        for day in (d.strip() for d in schedule.byday.split(",")):
            if day in day_codes and day not in opening:
                opening[day] = {
                    "opens": _hhmm(schedule.opens_at),
                    "closes": _hhmm(schedule.closes_at),
                }
    return {code: opening[code] for code, _ in DAYS if code in opening}


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


def listing_data_for_service(service: Service) -> ListingData:
    """The live listing in the shape the editor form and ListingChange use."""
    service_phones = [p for p in service.phones.all() if p.location_id is None]
    service_at_location = next(iter(service.service_at_locations.all()), None)
    location = service_at_location.location if service_at_location else None
    address = next(iter(location.addresses.all()), None) if location else None
    schedules = list(service.schedules.all())
    if service_at_location:
        schedules += list(service_at_location.schedules.all())
    cost_description = service.fees_description
    if not cost_description:
        priced = [c for c in service.cost_options.all() if c.amount or c.amount_description]
        if priced:
            cost_description = priced[0].amount_description or priced[0].option
    return {
        "organization_id": str(service.organization_id),
        "organization_name": service.organization.name,
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
        "opening_times": weekly_opening_times(schedules),
        "languages": [lang.name or lang.code for lang in service.languages.all()],
    }
