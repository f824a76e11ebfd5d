"""Writes for the fictional demo locality: load it, remove it.

Contract: the demo only ever touches its own rows. Demo organisations carry an
OrganizationIdentifier with `identifier_scheme="kith-demo"` (and UUID5 ids in the demo
namespace); removal follows those tags, so real listings are never deleted. Postcodes are shared
with real data and never deleted; loading adds only the codes that are missing.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kith.core.services import site_mark_demo_loaded
from kith.demo.generator import DEFAULT_SEED, DEMO_IDENTIFIER_SCHEME, generate_locality
from kith.directory.models import (
    Accessibility,
    Address,
    Attribute,
    ClosedDate,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    Postcode,
    Schedule,
    Service,
    ServiceAtLocation,
)
from kith.directory.services.indexing import services_reindex


@dataclass(frozen=True)
class DemoLoadResult:
    is_loaded: bool  # False when the demo was already there and nothing was done
    organizations: int
    services: int
    locations: int
    postcodes: int
    seconds: float


def demo_organizations() -> QuerySet[Organization]:
    return Organization.objects.filter(
        organization_identifiers__identifier_scheme=DEMO_IDENTIFIER_SCHEME
    ).distinct()


def demo_is_present() -> bool:
    return OrganizationIdentifier.objects.filter(identifier_scheme=DEMO_IDENTIFIER_SCHEME).exists()


def demo_load(
    *, reset: bool = False, seed: int = DEFAULT_SEED, today: dt.date | None = None
) -> DemoLoadResult:
    """Load the demo locality unless it is already there; with `reset`, remove it first."""
    started = time.monotonic()
    if reset:
        demo_remove()
    elif demo_is_present():
        site_mark_demo_loaded(is_loaded=True)
        orgs = demo_organizations()
        return DemoLoadResult(
            is_loaded=False,
            organizations=orgs.count(),
            services=Service.objects.filter(organization__in=orgs).count(),
            locations=Location.objects.filter(organization__in=orgs).count(),
            postcodes=0,
            seconds=time.monotonic() - started,
        )
    locality = generate_locality(today=today or timezone.localdate(), seed=seed)
    with transaction.atomic():
        Organization.objects.bulk_create(locality.organizations)
        OrganizationIdentifier.objects.bulk_create(locality.identifiers)
        Location.objects.bulk_create(locality.locations)
        Address.objects.bulk_create(locality.addresses)
        Accessibility.objects.bulk_create(locality.accessibility)
        Service.objects.bulk_create(locality.services)
        ServiceAtLocation.objects.bulk_create(locality.service_at_locations)
        Contact.objects.bulk_create(locality.contacts)
        Phone.objects.bulk_create(locality.phones)
        Schedule.objects.bulk_create(locality.schedules)
        ClosedDate.objects.bulk_create(locality.closed_dates)
        CostOption.objects.bulk_create(locality.cost_options)
        Language.objects.bulk_create(locality.languages)
        Attribute.objects.bulk_create(locality.attributes)
        existing = set(
            Postcode.objects.filter(code__in=[p.code for p in locality.postcodes]).values_list(
                "code", flat=True
            )
        )
        new_postcodes = [p for p in locality.postcodes if p.code not in existing]
        Postcode.objects.bulk_create(new_postcodes)
    services_reindex(None)
    site_mark_demo_loaded(is_loaded=True)
    return DemoLoadResult(
        is_loaded=True,
        organizations=len(locality.organizations),
        services=len(locality.services),
        locations=len(locality.locations),
        postcodes=len(new_postcodes),
        seconds=time.monotonic() - started,
    )


@transaction.atomic
def demo_remove() -> int:
    """Delete every demo organisation with its services and locations; returns how many."""
    orgs = demo_organizations()
    org_ids = list(orgs.values_list("id", flat=True))
    service_ids = list(
        Service.objects.filter(organization_id__in=org_ids).values_list("id", flat=True)
    )
    Attribute.objects.filter(link_entity="service", link_id__in=service_ids).delete()
    Location.objects.filter(organization_id__in=org_ids).delete()
    Organization.objects.filter(id__in=org_ids).delete()
    services_reindex(service_ids)
    site_mark_demo_loaded(is_loaded=False)
    return len(org_ids)
