"""Reads for the public pages: one service with everything on its page, and the filter choices.

Every read here costs a constant number of queries, however many locations, phones or schedules
a service has: related rows are prefetched, never fetched per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.core.cache import cache
from django.db.models import F, Prefetch, Q

from kith.directory.models import (
    Attribute,
    Language,
    Phone,
    Service,
    ServiceAtLocation,
)
from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_type_labels


@dataclass(frozen=True)
class ServiceDetail:
    service: Service
    support_types: list[str]  # codes, in vocabulary order


def service_by_id(*, service_id: UUID) -> Service | None:
    return Service.objects.filter(pk=service_id).first()


def service_detail(*, service_id: UUID) -> ServiceDetail | None:
    """A service with its organisation, locations, contacts, times, costs and support types."""
    service = (
        Service.objects.select_related("organization")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "location__addresses",
                    "location__phones",
                    "location__accessibility",
                    "location__languages",
                    "phones",
                    "schedules",
                    "closed_dates",
                ),
            ),
            "phones",
            "contacts__phones",
            "schedules",
            "closed_dates",
            "cost_options",
            "languages",
            "service_areas",
        )
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        return None
    codes = support_type_codes(service_ids=[service.pk])
    return ServiceDetail(service=service, support_types=codes.get(service.pk, []))


def support_type_codes(*, service_ids: Iterable[UUID]) -> dict[UUID, list[str]]:
    """Each service's support-type codes, in vocabulary order; one query."""
    order = {code: index for index, code in enumerate(support_type_labels())}
    found: dict[UUID, list[str]] = defaultdict(list)
    rows = Attribute.objects.filter(
        link_entity="service",
        link_type=SUPPORT_TYPE_LINK_TYPE,
        link_id__in=list(service_ids),
    ).values_list("link_id", "taxonomy_term__code")
    for link_id, code in rows:
        if code in order:
            found[link_id].append(code)
    return {key: sorted(codes, key=order.__getitem__) for key, codes in found.items()}


def phone_numbers(*, service_ids: Iterable[UUID]) -> dict[UUID, list[str]]:
    """Each service's phone numbers, its own and then its contacts'; one query. For results
    that have no place to show, so people can contact them instead."""
    wanted = list(service_ids)
    found: dict[UUID, list[str]] = defaultdict(list)
    if not wanted:
        return found
    rows = (
        Phone.objects.filter(Q(service_id__in=wanted) | Q(contact__service_id__in=wanted))
        .filter(service_at_location=None, location=None)
        .values_list("service_id", "contact__service_id", "number")
        .order_by(F("contact_id").asc(nulls_first=True), "id")
    )
    for own, of_contact, number in rows:
        service_id = own or of_contact
        if number and number not in found[service_id]:
            found[service_id].append(number)
    return found


_LANGUAGES_CACHE_KEY = "kith:directory:languages-offered"


def languages_offered() -> list[tuple[str, str]]:
    """Languages some service is offered in, as (code, name), by name.

    One DISTINCT over every language row, so it is cached for a minute: the search page asks
    on every request, and a language added to a listing may take that long to be offered.
    """
    cached: list[tuple[str, str]] | None = cache.get(_LANGUAGES_CACHE_KEY)
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    rows = (
        Language.objects.exclude(code="")
        .filter(service__isnull=False)
        .values_list("code", "name")
        .order_by("code", "name")
        .distinct()
    )
    for code, name in rows:
        names.setdefault(code.lower(), name or code)
    offered = sorted(names.items(), key=lambda item: item[1])
    cache.set(_LANGUAGES_CACHE_KEY, offered, 60)
    return offered
