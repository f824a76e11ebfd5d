"""Reads for the ORUK API and export: filtered querysets with every relation prefetched.

A page of fully nested services costs the same number of queries whatever its size.
Everything is ordered by id inside the feed, so two databases holding the same records publish
byte-identical feeds (the import round trip relies on it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from django.db.models import Model, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from kith.directory.models import (
    Accessibility,
    Address,
    Attribute,
    ClosedDate,
    Contact,
    CostOption,
    Funding,
    Language,
    Organization,
    OrganizationIdentifier,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

LINK_ENTITIES = ("service", "organization", "location")


def _by_id(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.order_by("id")


def _location_prefetches(prefix: str) -> list[Prefetch]:
    return [
        Prefetch(f"{prefix}addresses", queryset=_ordered("addresses")),
        Prefetch(f"{prefix}accessibility", queryset=_ordered("accessibility")),
        Prefetch(
            f"{prefix}phones",
            queryset=_by_id(
                Phone.objects.filter(
                    service__isnull=True, contact__isnull=True, service_at_location__isnull=True
                )
            ),
        ),
        Prefetch(
            f"{prefix}schedules",
            queryset=_by_id(
                Schedule.objects.filter(service__isnull=True, service_at_location__isnull=True)
            ),
        ),
        Prefetch(
            f"{prefix}languages",
            queryset=_by_id(Language.objects.filter(service__isnull=True, phone__isnull=True)),
        ),
    ]


def _ordered(relation: str) -> QuerySet[Any]:
    model: type[Model] = {
        "addresses": Address,
        "accessibility": Accessibility,
        "cost_options": CostOption,
        "funding": Funding,
        "service_areas": ServiceArea,
    }[relation]
    return model._default_manager.order_by("id")


def _organization_prefetches(prefix: str) -> list[Prefetch]:
    return [
        Prefetch(
            f"{prefix}organization_identifiers",
            queryset=_by_id(OrganizationIdentifier.objects.all()),
        )
    ]


def _service_at_location_prefetches(prefix: str) -> list[Prefetch]:
    return [
        *_location_prefetches(f"{prefix}location__"),
        Prefetch(f"{prefix}contacts", queryset=_by_id(Contact.objects.all())),
        Prefetch(f"{prefix}contacts__phones", queryset=_by_id(Phone.objects.all())),
        Prefetch(f"{prefix}phones", queryset=_by_id(Phone.objects.filter(contact__isnull=True))),
        Prefetch(f"{prefix}schedules", queryset=_by_id(Schedule.objects.all())),
        Prefetch(f"{prefix}closed_dates", queryset=ClosedDate.objects.order_by("id")),
    ]


def services_nested(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Services with everything `presenters.service_out` reads, prefetched."""
    services = Service.objects.all() if queryset is None else queryset
    return services.select_related("organization").prefetch_related(
        *_organization_prefetches("organization__"),
        Prefetch(
            "service_at_locations",
            queryset=_by_id(ServiceAtLocation.objects.select_related("location")),
        ),
        *_service_at_location_prefetches("service_at_locations__"),
        Prefetch(
            "schedules", queryset=_by_id(Schedule.objects.filter(service_at_location__isnull=True))
        ),
        Prefetch(
            "closed_dates",
            queryset=ClosedDate.objects.filter(service_at_location__isnull=True).order_by("id"),
        ),
        Prefetch(
            "phones",
            queryset=_by_id(
                Phone.objects.filter(contact__isnull=True, service_at_location__isnull=True)
            ),
        ),
        Prefetch(
            "contacts", queryset=_by_id(Contact.objects.filter(service_at_location__isnull=True))
        ),
        Prefetch("contacts__phones", queryset=_by_id(Phone.objects.all())),
        Prefetch("cost_options", queryset=_ordered("cost_options")),
        Prefetch("languages", queryset=_by_id(Language.objects.filter(phone__isnull=True))),
        Prefetch("service_areas", queryset=_ordered("service_areas")),
        Prefetch("funding", queryset=_ordered("funding")),
    )


def services_summary(queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    services = Service.objects.all() if queryset is None else queryset
    return services.select_related("organization").prefetch_related(
        *_organization_prefetches("organization__")
    )


def service_at_locations_nested(
    queryset: QuerySet[ServiceAtLocation] | None = None,
) -> QuerySet[ServiceAtLocation]:
    sals = ServiceAtLocation.objects.all() if queryset is None else queryset
    return sals.select_related("location", "service", "service__organization").prefetch_related(
        *_service_at_location_prefetches(""),
        *_organization_prefetches("service__organization__"),
    )


def organizations_nested(
    queryset: QuerySet[Organization] | None = None,
) -> QuerySet[Organization]:
    organizations = Organization.objects.all() if queryset is None else queryset
    return organizations.prefetch_related(*_organization_prefetches(""))


def attributes_for(ids: Iterable[UUID]) -> dict[UUID, list[Attribute]]:
    """Attributes linked to any of these rows (services, organizations, locations), by row id."""
    wanted = list(set(ids))
    found: dict[UUID, list[Attribute]] = defaultdict(list)
    if not wanted:
        return found
    attributes = (
        Attribute.objects.filter(link_entity__in=LINK_ENTITIES, link_id__in=wanted)
        .select_related("taxonomy_term", "taxonomy_term__taxonomy")
        .order_by("id")
    )
    for attribute in attributes:
        found[attribute.link_id].append(attribute)
    return found


def ids_for_attributes(services: Sequence[Service]) -> list[UUID]:
    """Every id a page of nested services can carry attributes for."""
    ids: list[UUID] = []
    for service in services:
        ids.append(service.id)
        if service.organization_id is not None:
            ids.append(service.organization_id)
        ids += [sal.location_id for sal in service.service_at_locations.all()]
    return ids


def services_filtered(
    *,
    taxonomy_term_id: UUID | None = None,
    taxonomy_id: UUID | None = None,
    organization_id: UUID | None = None,
    modified_after: dt.datetime | None = None,
) -> QuerySet[Service]:
    services = Service.objects.order_by("id")
    if taxonomy_term_id is not None:
        services = services.filter(
            id__in=Attribute.objects.filter(
                link_entity="service", taxonomy_term_id=taxonomy_term_id
            ).values("link_id")
        )
    if taxonomy_id is not None:
        services = services.filter(
            id__in=Attribute.objects.filter(
                link_entity="service", taxonomy_term__taxonomy_id=taxonomy_id
            ).values("link_id")
        )
    if organization_id is not None:
        services = services.filter(organization_id=organization_id)
    if modified_after is not None:
        services = services.alias(modified=Coalesce("last_modified", "updated_at")).filter(
            modified__gte=modified_after
        )
    return services


def taxonomies_filtered(*, search: str = "") -> QuerySet[Taxonomy]:
    taxonomies = Taxonomy.objects.order_by("id")
    if search:
        taxonomies = taxonomies.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return taxonomies


def taxonomy_terms_filtered(
    *,
    search: str = "",
    taxonomy_id: UUID | None = None,
    parent_id: UUID | None = None,
    top_only: bool = False,
) -> QuerySet[TaxonomyTerm]:
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("id")
    if search:
        terms = terms.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(description__icontains=search)
        )
    if taxonomy_id is not None:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    if parent_id is not None:
        terms = terms.filter(parent_id=parent_id)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    return terms


def organizations_filtered(*, search: str = "") -> QuerySet[Organization]:
    organizations = Organization.objects.order_by("id")
    if search:
        organizations = organizations.filter(
            Q(name__icontains=search) | Q(description__icontains=search)
        )
    return organizations
