"""Factories for directory tests (factory_boy). Shared by every directory test module.

Data is visibly fictional: example.com addresses, 07700 900xxx phone numbers, made-up names.
Add new factories at the end of this file.
"""

from __future__ import annotations

import datetime as dt

import factory

from kith.directory.models import (
    Attribute,
    ClosedDate,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
)
from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_type_term_id


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Fictional Community Group {n}")
    description = "A fictional local group, made up for tests."
    email = factory.Sequence(lambda n: f"group{n}@example.com")


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Fictional service {n}")
    description = "A fictional service, made up for tests."
    status = Service.Status.ACTIVE
    email = factory.Sequence(lambda n: f"service{n}@example.com")


class LocationFactory(factory.django.DjangoModelFactory[Location]):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Fictional hall {n}")
    # Near Brixton, in the demo borough.
    latitude = 51.4613
    longitude = -0.1156
    location_type = Location.LocationType.PHYSICAL


class ServiceAtLocationFactory(factory.django.DjangoModelFactory[ServiceAtLocation]):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..service.organization")
    )


class ScheduleFactory(factory.django.DjangoModelFactory[Schedule]):
    """Monday to Friday, 9am to 5pm, unless told otherwise."""

    class Meta:
        model = Schedule

    freq = Schedule.Freq.WEEKLY
    byday = "MO,TU,WE,TH,FR"
    opens_at = dt.time(9, 0)
    closes_at = dt.time(17, 0)


class ClosedDateFactory(factory.django.DjangoModelFactory[ClosedDate]):
    class Meta:
        model = ClosedDate

    date = dt.date(2026, 12, 25)
    reason = "Christmas Day"


class LanguageFactory(factory.django.DjangoModelFactory[Language]):
    class Meta:
        model = Language

    name = "Portuguese"
    code = "pt"


def tag_support_types(service: Service, *codes: str) -> list[Attribute]:
    """Tag a service with support types, as HSDS attributes pointing at "Kith support types"."""
    return [
        Attribute.objects.get_or_create(
            taxonomy_term_id=support_type_term_id(code),
            link_entity="service",
            link_id=service.id,
            defaults={"link_type": SUPPORT_TYPE_LINK_TYPE},
        )[0]
        for code in codes
    ]


# --- ORUK: a fully nested listing, as a real local directory would publish it ---------------


def nested_service(n: int, *, support_types: tuple[str, ...] = ("peer-support",)) -> Service:
    """A service with every HSDS relation the ORUK API publishes; fictional, in Lambeth."""
    from decimal import Decimal
    from typing import Any

    from kith.directory.models import (
        Accessibility,
        Address,
        ClosedDate,
        Contact,
        CostOption,
        Funding,
        Language,
        OrganizationIdentifier,
        Phone,
        ServiceArea,
    )

    organization: Any = OrganizationFactory.create(
        name=f"Kennington Kindness Collective {n}",
        website=f"https://kindness{n}.example.com",
        description="Neighbours who look out for each other.",
    )
    OrganizationIdentifier.objects.create(
        organization=organization, identifier_type="Charity number", identifier=f"1100{n:03d}"
    )
    service: Any = ServiceFactory.create(
        organization=organization,
        name=f"Evening listening circle {n}",
        description="A calm evening group where you can talk or just listen.",
        url=f"https://kindness{n}.example.com/circle",
        email=f"circle{n}@example.com",
        fees_description="Free, donations welcome",
        minimum_age=16,
        maximum_age=99,
        assured_date=dt.date(2026, 1, 12),
        assurer_email="checker@example.com",
        last_modified=dt.datetime(2026, 2, 1, 9, 30, 15, 123000, tzinfo=dt.UTC),
        is_no_referral_needed=True,
        is_free=True,
        is_place_to_talk=n % 2 == 0,
        place_to_talk_training="Mental Health First Aid (2026)" if n % 2 == 0 else "",
        place_to_talk_trained_on=dt.date(2026, 1, 5) if n % 2 == 0 else None,
    )
    location: Any = LocationFactory.create(
        organization=organization,
        name=f"Vauxhall community room {n}",
        latitude=51.4860 - n * 0.001,
        longitude=-0.1230,
        has_step_free_access=True,
    )
    Address.objects.create(
        location=location,
        address_1=f"{n} Fictional Walk",
        city="London",
        state_province="Greater London",
        postal_code="SE11 5QY",
    )
    Accessibility.objects.create(location=location, description="Level access and a hearing loop")
    Phone.objects.create(location=location, number=f"07700 900{n:03d}")
    sal: Any = ServiceAtLocationFactory.create(service=service, location=location)
    ScheduleFactory(service=service, service_at_location=sal, byday="TU", opens_at=dt.time(18))
    ClosedDate.objects.create(service_at_location=sal, date=dt.date(2026, 12, 25), reason="Xmas")
    ScheduleFactory(service=service, byday="SA", opens_at=dt.time(10), closes_at=dt.time(12))
    ClosedDate.objects.create(service=service, date=dt.date(2026, 4, 3), reason="Good Friday")
    Phone.objects.create(service=service, number="07700 900123", description="Text or call")
    Phone.objects.create(service_at_location=sal, number="07700 900124")
    contact = Contact.objects.create(service=service, name="Sam Example", email="sam@example.com")
    Phone.objects.create(contact=contact, number="07700 900125")
    CostOption.objects.create(service=service, option="Donation", amount=Decimal("2.50"))
    Language.objects.create(service=service, name="Portuguese", code="pt")
    ServiceArea.objects.create(service=service, name="Lambeth", extent_type="text")
    Funding.objects.create(service=service, source="Lambeth community chest (fictional)")
    tag_support_types(service, *support_types)
    return service


# --- Curation: staff accounts and addresses ------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person.{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("kith-test-password")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "directory.Address"

    location = factory.SubFactory(LocationFactory)
    address_1 = factory.Sequence(lambda n: f"{n + 1} Imaginary Road")
    city = "London"
    postal_code = "SW9 8EJ"
