"""Turn directory rows into ORUK 3.0 JSON objects (HSDS 3 names).

Rows must come from `oruk.selectors` so every relation used here is prefetched. Empty optional
values are left out rather than sent as "" (an empty `uri` or `email` would break the schema's
formats); required strings are always sent.

Kith publishes what the standard lacks as extra fields (no ORUK schema forbids them):
- service: `is_no_referral_needed`, `is_free`, `is_place_to_talk`, `place_to_talk_training`,
  `place_to_talk_trained_on`, plus HSDS 3 fields ORUK leaves out (`alternate_name`,
  `eligibility_description`, `application_process`, `interpretation_services`, `phones`);
- location: `has_step_free_access`;
- a closed date: a one-day schedule (`valid_from` = `valid_to` = the date) with no hours and no
  `freq`; its `notes` carry the reason.
Support types are attributes whose taxonomy term's `term` is the support-type code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from kith.directory.models import (
    Accessibility,
    Address,
    Attribute,
    ClosedDate,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
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

Json = dict[str, Any]
AttributesByLink = Mapping[UUID, Sequence[Attribute]]
NO_ATTRIBUTES: AttributesByLink = {}


def _value(value: object) -> object:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return iso_datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _clean(fields: Mapping[str, object], *, required: Iterable[str] = ()) -> Json:
    """Leave out None and "" unless the schema requires the key."""
    keep = set(required)
    return {
        key: _value(value)
        for key, value in fields.items()
        if key in keep or (value is not None and value != "")
    }


def iso_datetime(value: dt.datetime) -> str:
    """UTC with millisecond accuracy, as ORUK asks: 2026-03-15T10:30:45.123Z."""
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def taxonomy_out(taxonomy: Taxonomy, *, terms: Sequence[TaxonomyTerm] | None = None) -> Json:
    out = _clean(
        {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        },
        required=("id", "name", "description"),
    )
    if terms is not None:
        out["taxonomy_terms"] = [taxonomy_term_out(term) for term in terms]
    return out


def taxonomy_term_out(term: TaxonomyTerm, *, with_taxonomy_detail: bool = False) -> Json:
    taxonomy = term.taxonomy
    out = _clean(
        {
            "id": term.id,
            "name": term.name,
            "description": term.description,
            "parent_id": term.parent_id,
            "taxonomy": taxonomy.name if taxonomy else term.taxonomy_name,
            "taxonomy_id": term.taxonomy_id,
            "term_uri": term.term_uri,
            "term": term.code,
            "language": term.language,
        },
        required=("id", "name", "description"),
    )
    if with_taxonomy_detail and taxonomy is not None:
        out["taxonomy_detail"] = taxonomy_out(taxonomy)
    return out


def attribute_out(attribute: Attribute) -> Json:
    return {
        **_clean(
            {
                "id": attribute.id,
                "link_id": attribute.link_id,
                "link_type": attribute.link_type,
                "link_entity": attribute.link_entity,
                "taxonomy_term_id": attribute.taxonomy_term_id,
                "value": attribute.value,
                "label": attribute.label,
            },
            required=("id",),
        ),
        "taxonomy_term": taxonomy_term_out(attribute.taxonomy_term, with_taxonomy_detail=True),
    }


def _attributes(owner_id: UUID, attributes: AttributesByLink) -> list[Json]:
    return [attribute_out(a) for a in attributes.get(owner_id, ())]


def organization_identifier_out(identifier: OrganizationIdentifier) -> Json:
    return _clean(
        {
            "id": identifier.id,
            "organization_id": identifier.organization_id,
            "identifier_scheme": identifier.identifier_scheme,
            "identifier_type": identifier.identifier_type,
            "identifier": identifier.identifier,
        },
        required=("id", "identifier_type", "identifier"),
    )


def organization_out(
    organization: Organization, *, attributes: AttributesByLink = NO_ATTRIBUTES
) -> Json:
    out = _clean(
        {
            "id": organization.id,
            "name": organization.name,
            "alternate_name": organization.alternate_name,
            "description": organization.description,
            "email": organization.email,
            "website": organization.website,
            "tax_status": organization.tax_status,
            "tax_id": organization.tax_id,
            "year_incorporated": organization.year_incorporated,
            "legal_status": organization.legal_status,
            "logo": organization.logo,
            "uri": organization.uri,
            "parent_organization_id": organization.parent_organization_id,
        },
        required=("id", "name", "description"),
    )
    out["organization_identifiers"] = [
        organization_identifier_out(i) for i in organization.organization_identifiers.all()
    ]
    out["attributes"] = _attributes(organization.id, attributes)
    return out


def phone_out(phone: Phone) -> Json:
    return _clean(
        {
            "id": phone.id,
            "contact_id": phone.contact_id,
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
        },
        required=("id", "number"),
    )


def contact_out(contact: Contact) -> Json:
    out = _clean(
        {
            "id": contact.id,
            "service_id": contact.service_id,
            "name": contact.name,
            "title": contact.title,
            "department": contact.department,
            "email": contact.email,
        },
        required=("id",),
    )
    out["phones"] = [phone_out(p) for p in contact.phones.all()]
    return out


def schedule_out(schedule: Schedule) -> Json:
    return _clean(
        {
            "id": schedule.id,
            "service_id": schedule.service_id,
            "location_id": schedule.location_id,
            "service_at_location_id": schedule.service_at_location_id,
            "valid_from": schedule.valid_from,
            "valid_to": schedule.valid_to,
            "dtstart": schedule.dtstart,
            "timezone": schedule.timezone,
            "until": schedule.until,
            "count": schedule.count,
            "wkst": schedule.wkst,
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "byweekno": schedule.byweekno,
            "bymonthday": schedule.bymonthday,
            "byyearday": schedule.byyearday,
            "description": schedule.description,
            "opens_at": schedule.opens_at,
            "closes_at": schedule.closes_at,
            "schedule_link": schedule.schedule_link,
            "attending_type": schedule.attending_type,
            "notes": schedule.notes,
        },
        required=("id",),
    )


def closed_date_description(date: dt.date, reason: str) -> str:
    when = f"Closed on {date.strftime('%A')} {date.day} {date.strftime('%B %Y')}"
    return f"{when}: {reason}" if reason else when


def closed_date_out(closed: ClosedDate) -> Json:
    return _clean(
        {
            "id": closed.id,
            "service_id": closed.service_id,
            "service_at_location_id": closed.service_at_location_id,
            "valid_from": closed.date,
            "valid_to": closed.date,
            "dtstart": closed.date,
            "description": closed_date_description(closed.date, closed.reason),
            "notes": closed.reason,
        },
        required=("id",),
    )


def _schedules(schedules: Iterable[Schedule], closed: Iterable[ClosedDate]) -> list[Json]:
    return [schedule_out(s) for s in schedules] + [closed_date_out(c) for c in closed]


def language_out(language: Language) -> Json:
    return _clean(
        {
            "id": language.id,
            "service_id": language.service_id,
            "location_id": language.location_id,
            "phone_id": language.phone_id,
            "name": language.name,
            "code": language.code,
            "note": language.note,
        },
        required=("id",),
    )


def address_out(address: Address) -> Json:
    return _clean(
        {
            "id": address.id,
            "location_id": address.location_id,
            "attention": address.attention,
            "address_1": address.address_1,
            "address_2": address.address_2,
            "city": address.city,
            "region": address.region,
            "state_province": address.state_province,
            "postal_code": address.postal_code,
            "country": address.country,
            "address_type": address.address_type,
        },
        required=(
            "id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
    )


def accessibility_out(accessibility: Accessibility) -> Json:
    return _clean(
        {
            "id": accessibility.id,
            "location_id": accessibility.location_id,
            "description": accessibility.description,
            "details": accessibility.details,
            "url": accessibility.url,
        },
        required=("id",),
    )


def location_out(location: Location, *, attributes: AttributesByLink = NO_ATTRIBUTES) -> Json:
    out = _clean(
        {
            "id": location.id,
            "location_type": location.location_type,
            "organization_id": location.organization_id,
            "url": location.url,
            "name": location.name,
            "alternate_name": location.alternate_name,
            "description": location.description,
            "transportation": location.transportation,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "external_identifier": location.external_identifier,
            "external_identifier_type": location.external_identifier_type,
        },
        required=("id", "location_type"),
    )
    out["has_step_free_access"] = location.has_step_free_access
    out["addresses"] = [address_out(a) for a in location.addresses.all()]
    out["accessibility"] = [accessibility_out(a) for a in location.accessibility.all()]
    out["phones"] = [phone_out(p) for p in location.phones.all()]
    out["schedules"] = [schedule_out(s) for s in location.schedules.all()]
    out["languages"] = [language_out(lang) for lang in location.languages.all()]
    out["attributes"] = _attributes(location.id, attributes)
    return out


def service_at_location_out(
    sal: ServiceAtLocation,
    *,
    attributes: AttributesByLink = NO_ATTRIBUTES,
    service: Json | None = None,
    distance_m: float | None = None,
) -> Json:
    out = _clean(
        {
            "id": sal.id,
            "service_id": sal.service_id,
            "location_id": sal.location_id,
            "description": sal.description,
        },
        required=("id",),
    )
    out["location"] = location_out(sal.location, attributes=attributes)
    out["contacts"] = [contact_out(c) for c in sal.contacts.all()]
    out["phones"] = [phone_out(p) for p in sal.phones.all()]
    out["schedules"] = _schedules(sal.schedules.all(), sal.closed_dates.all())
    if service is not None:
        out["service"] = service
    if distance_m is not None:
        out["distance"] = round(distance_m, 1)
    return out


def cost_option_out(cost: CostOption) -> Json:
    return _clean(
        {
            "id": cost.id,
            "service_id": cost.service_id,
            "valid_from": cost.valid_from,
            "valid_to": cost.valid_to,
            "option": cost.option,
            "currency": cost.currency,
            "amount": cost.amount,
            "amount_description": cost.amount_description,
        },
        required=("id",),
    )


def funding_out(funding: Funding) -> Json:
    return _clean(
        {
            "id": funding.id,
            "organization_id": funding.organization_id,
            "service_id": funding.service_id,
            "source": funding.source,
        },
        required=("id",),
    )


def service_area_out(area: ServiceArea) -> Json:
    return _clean(
        {
            "id": area.id,
            "service_id": area.service_id,
            "name": area.name,
            "description": area.description,
            "extent": area.extent,
            "extent_type": area.extent_type,
            "uri": area.uri,
        },
        required=("id",),
    )


def service_last_modified(service: Service) -> dt.datetime:
    return service.last_modified or service.updated_at


def service_summary_out(service: Service) -> Json:
    """The service's own fields and its organization: what `full=false` lists return."""
    out = _clean(
        {
            "id": service.id,
            "organization_id": service.organization_id,
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "interpretation_services": service.interpretation_services,
            "application_process": service.application_process,
            "fees": service.fees_description,
            "accreditations": service.accreditations,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_date,
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": service_last_modified(service),
        },
        required=("id", "name", "status"),
    )
    out.update(
        {
            "is_no_referral_needed": service.is_no_referral_needed,
            "is_free": service.is_free,
            "is_place_to_talk": service.is_place_to_talk,
        }
    )
    out.update(
        _clean(
            {
                "place_to_talk_training": service.place_to_talk_training,
                "place_to_talk_trained_on": service.place_to_talk_trained_on,
            }
        )
    )
    return out


def service_organization_out(
    service: Service, *, attributes: AttributesByLink = NO_ATTRIBUTES
) -> Json:
    """`{"organization": ...}` to add to a service; nothing for a service without one (ORUK
    3.0 makes it optional, and an empty value would break the schema)."""
    if service.organization is None:
        return {}
    return {"organization": organization_out(service.organization, attributes=attributes)}


def service_minimal_out(service: Service) -> Json:
    return {
        "id": str(service.id),
        "name": service.name,
        "status": service.status,
        "last_modified": iso_datetime(service_last_modified(service)),
    }


def service_out(service: Service, *, attributes: AttributesByLink = NO_ATTRIBUTES) -> Json:
    """The fully nested service of `GET /services/{id}`."""
    out = service_summary_out(service)
    out.update(service_organization_out(service, attributes=attributes))
    out["service_at_locations"] = [
        service_at_location_out(sal, attributes=attributes)
        for sal in service.service_at_locations.all()
    ]
    out["schedules"] = _schedules(service.schedules.all(), service.closed_dates.all())
    out["phones"] = [phone_out(p) for p in service.phones.all()]
    out["contacts"] = [contact_out(c) for c in service.contacts.all()]
    out["cost_options"] = [cost_option_out(c) for c in service.cost_options.all()]
    out["languages"] = [language_out(lang) for lang in service.languages.all()]
    out["service_areas"] = [service_area_out(a) for a in service.service_areas.all()]
    out["funding"] = [funding_out(f) for f in service.funding.all()]
    out["attributes"] = _attributes(service.id, attributes)
    return out
