"""Import an ORUK feed (3.0, or 1.0 translated to 3.0) into the directory.

Contract of `oruk_import`:
- One transaction. Each service record is saved inside its own savepoint: a bad record is
  rolled back, reported (which record, which field, why) and skipped; the rest go in.
- Rows are matched by id, so importing the same feed again updates rather than duplicates; an
  updated service's own rows (schedules, phones, contacts ...) that the feed no longer lists
  are removed. Organisations, locations and taxonomies are shared, so they are only upserted.
- When the feed as a whole is unusable (unreachable, not JSON, wrong shape, or no good record)
  it raises ImportFailed and the database is left exactly as it was.
- The search index is brought up to date for every service created or updated.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet

from kith.core.errors import ImportFailed
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
from kith.directory.oruk.feed import Unreadable, open_feed
from kith.directory.oruk.oruk1 import is_oruk1, service_from_oruk1
from kith.directory.search import index_services
from kith.directory.taxonomy import (
    SUPPORT_TYPES_TAXONOMY_ID,
    SUPPORT_TYPES_TAXONOMY_NAME,
    is_support_type,
    support_type_term_id,
)

Json = dict[str, Any]
ProgressCallback = Callable[[int, int | None], None]
_NAMESPACE = uuid.UUID("0c3c8a43-8a53-4a5e-9f3a-6f2f3c1f1e27")
_UK = {"uk", "united kingdom", "great britain", "england", "scotland", "wales", "gbr"}


@dataclass(frozen=True)
class RecordProblem:
    record: int  # position in the feed, from 1
    record_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        who = f"record {self.record}" + (f" (id {self.record_id})" if self.record_id else "")
        return f"{who}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    source: str
    created: list[uuid.UUID] = field(default_factory=list)
    updated: list[uuid.UUID] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)
    oruk1_records: int = 0
    # Term id -> parent term id, linked once every record is in (a parent may come later).
    pending_parents: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict, repr=False)

    @property
    def records(self) -> int:
        return len(self.created) + len(self.updated) + len(self.problems)


class RecordInvalid(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def oruk_import(
    *,
    source: str,
    client: httpx.Client | None = None,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every service in `source` (a URL or a file path); see the module docstring."""
    report = ImportReport(source=source)
    with transaction.atomic():
        feed = open_feed(source, client=client)
        for number, record in enumerate(feed.records, start=1):
            _import_record(number, record, report)
            if on_progress:
                on_progress(number, feed.total)
        if not report.created and not report.updated:
            detail = f"; first problem: {report.problems[0]}" if report.problems else ""
            raise ImportFailed(
                f"{source} has no service that could be imported{detail}",
                field="source",
                extra={"problems": [str(p) for p in report.problems]},
            )
        _link_term_parents(report.pending_parents)
        index_services(report.created + report.updated)
    return report


def _link_term_parents(pending: dict[uuid.UUID, uuid.UUID]) -> None:
    known = set(
        TaxonomyTerm.objects.filter(id__in=[*pending, *pending.values()]).values_list(
            "id", flat=True
        )
    )
    for term_id, parent_id in pending.items():
        if term_id in known and parent_id in known:
            TaxonomyTerm.objects.filter(id=term_id).update(parent_id=parent_id)


def _import_record(number: int, record: object, report: ImportReport) -> None:
    record_id = str(record.get("id")) if isinstance(record, dict) and record.get("id") else None
    try:
        if isinstance(record, Unreadable):
            raise RecordInvalid("record", record.reason)
        if not isinstance(record, dict):
            raise RecordInvalid("record", "is not a JSON object")
        if is_oruk1(record):
            report.oruk1_records += 1
            try:
                record = service_from_oruk1(record)
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                raise RecordInvalid("record", f"could not be read as ORUK 1.0 ({exc})") from None
        with transaction.atomic():
            service_id, is_new = _Importer(report.pending_parents).service(record)
    except RecordInvalid as exc:
        report.problems.append(RecordProblem(number, record_id, exc.field, exc.message))
        return
    (report.created if is_new else report.updated).append(service_id)


# --- reading fields --------------------------------------------------------------------------


def _text(data: Json, key: str, path: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordInvalid(f"{path}{key}", "must be text")
    return str(value).strip()


def _uuid(raw: object, where: str) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise RecordInvalid(where, f"{raw!r} is not a UUID") from None


def _child_id(data: Json, path: str, *, parent: uuid.UUID, kind: str, index: int) -> uuid.UUID:
    """The row's id; a row without one gets an id derived from its parent, stable across runs."""
    return _uuid(data.get("id"), f"{path}id") or uuid.uuid5(_NAMESPACE, f"{parent}:{kind}:{index}")


def _date(data: Json, key: str, path: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RecordInvalid(f"{path}{key}", f"{value!r} is not a date like 2026-03-15") from None


def _time(data: Json, key: str, path: str) -> dt.time | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    text = str(value).strip().removesuffix("Z").split("+")[0]
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise RecordInvalid(f"{path}{key}", f"{value!r} is not a time like 09:30") from None


def _datetime(data: Json, key: str, path: str) -> dt.datetime | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        parsed = dt.datetime.fromisoformat(str(value).replace("z", "Z"))
    except ValueError:
        raise RecordInvalid(
            f"{path}{key}", f"{value!r} is not a date and time like 2026-03-15T10:30:00Z"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _number(data: Json, key: str, path: str) -> float | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordInvalid(f"{path}{key}", f"{value!r} is not a number") from None
    if isinstance(value, bool) or not math.isfinite(number):
        raise RecordInvalid(f"{path}{key}", f"{value!r} is not a number")
    return number


def _whole(data: Json, key: str, path: str) -> int | None:
    number = _number(data, key, path)
    if number is None:
        return None
    if number != int(number) or number < 0:
        raise RecordInvalid(f"{path}{key}", f"{data[key]!r} is not a whole number")
    return int(number)


def _decimal(data: Json, key: str, path: str) -> Decimal | None:
    number = _number(data, key, path)
    try:
        return None if number is None else Decimal(str(number)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RecordInvalid(f"{path}{key}", f"{data[key]!r} is too large") from None


def _bool(data: Json, key: str, path: str) -> bool:
    value = data.get(key)
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    raise RecordInvalid(f"{path}{key}", "must be true or false")


def _list(data: Json, key: str, path: str) -> list[Json]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordInvalid(f"{path}{key}", "must be a list of objects")
    return value


def _object(data: Json, key: str, path: str) -> Json | None:
    value = data.get(key)
    if value in (None, {}):
        return None
    if not isinstance(value, dict):
        raise RecordInvalid(f"{path}{key}", "must be an object")
    return value


def _country(data: Json, path: str) -> str:
    country = _text(data, "country", path) or "GB"
    return "GB" if country.lower() in _UK else country.upper()


def _save[M: Model](model: type[M], row_id: uuid.UUID, values: Json, path: str) -> tuple[M, bool]:
    """Create or update the row with this id, after the model's own validation."""
    row = model._default_manager.filter(pk=row_id).first()
    is_new = row is None
    if row is None:
        row = model(pk=row_id)
    for name, value in values.items():
        setattr(row, name, value)
    try:
        row.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise RecordInvalid(f"{path}{name}", " ".join(messages)) from None
    row.save()
    return row, is_new


def _prune(rows: QuerySet[Any], keep: Iterable[uuid.UUID]) -> None:
    rows.exclude(id__in=list(keep)).delete()


def _save_children(
    model: type[Model],
    items: list[Json],
    path: str,
    *,
    parent: uuid.UUID,
    kind: str,
    values: Callable[[Json, str], Json],
) -> list[uuid.UUID]:
    """Create or update one row per item (`values(item, where)` gives its fields, owner
    included); returns the ids to keep, for `_prune`."""
    keep = []
    for n, item in enumerate(items):
        where = f"{path}[{n}]."
        row_id = _child_id(item, where, parent=parent, kind=kind, index=n)
        _save(model, row_id, values(item, where), where)
        keep.append(row_id)
    return keep


# --- writing rows ----------------------------------------------------------------------------


class _Importer:
    """Saves one ORUK 3.0 service and everything nested in it."""

    def __init__(self, pending_parents: dict[uuid.UUID, uuid.UUID]):
        self.pending_parents = pending_parents

    def service(self, data: Json) -> tuple[uuid.UUID, bool]:
        service_id = _uuid(data.get("id"), "id")
        if service_id is None:
            raise RecordInvalid("id", "is missing; every service needs one")
        if not _text(data, "name", ""):
            raise RecordInvalid("name", "is missing; every service needs one")
        organization = self.organization(data)
        minimum_age = _whole(data, "minimum_age", "")
        maximum_age = _whole(data, "maximum_age", "")
        if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
            raise RecordInvalid("minimum_age", "is more than maximum_age")
        values: Json = {
            "organization": organization,
            "name": _text(data, "name", ""),
            "alternate_name": _text(data, "alternate_name", ""),
            "description": _text(data, "description", ""),
            "url": _text(data, "url", ""),
            "email": _text(data, "email", ""),
            "status": _text(data, "status", "") or Service.Status.ACTIVE,
            "interpretation_services": _text(data, "interpretation_services", ""),
            "application_process": _text(data, "application_process", ""),
            "fees_description": _text(data, "fees", ""),
            "accreditations": _text(data, "accreditations", ""),
            "eligibility_description": _text(data, "eligibility_description", ""),
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "assured_date": _date(data, "assured_date", ""),
            "assurer_email": _text(data, "assurer_email", ""),
            "alert": _text(data, "alert", ""),
            "last_modified": _datetime(data, "last_modified", ""),
            "is_no_referral_needed": _bool(data, "is_no_referral_needed", ""),
            "is_free": _bool(data, "is_free", ""),
            "is_place_to_talk": _bool(data, "is_place_to_talk", ""),
            "place_to_talk_training": _text(data, "place_to_talk_training", ""),
            "place_to_talk_trained_on": _date(data, "place_to_talk_trained_on", ""),
        }
        service, is_new = _save(Service, service_id, values, "")
        owner = {"service": service}

        keep = [
            self.service_at_location(item, f"service_at_locations[{n}].", service, n)
            for n, item in enumerate(_list(data, "service_at_locations", ""))
        ]
        _prune(service.service_at_locations.all(), keep)
        schedules, closed = self.schedules(_list(data, "schedules", ""), "schedules", owner)
        _prune(Schedule.objects.filter(service=service, service_at_location=None), schedules)
        _prune(ClosedDate.objects.filter(service=service, service_at_location=None), closed)
        keep = self.phones(_list(data, "phones", ""), "phones", owner)
        _prune(Phone.objects.filter(service=service, contact=None, service_at_location=None), keep)
        keep = self.contacts(_list(data, "contacts", ""), "contacts", owner)
        _prune(Contact.objects.filter(service=service, service_at_location=None), keep)
        self.simple_rows(data, service)
        keep = self.attributes(_list(data, "attributes", ""), "attributes", "service", service_id)
        _prune(Attribute.objects.filter(link_entity="service", link_id=service_id), keep)
        return service_id, is_new

    def organization(self, data: Json) -> Organization:
        nested = _object(data, "organization", "")
        organization_id = _uuid(data.get("organization_id"), "organization_id")
        if nested is None:
            found = (
                Organization.objects.filter(id=organization_id).first() if organization_id else None
            )
            if found is None:
                raise RecordInvalid(
                    "organization",
                    "is missing: give the organization, or the organization_id of one imported before",
                )
            return found
        path = "organization."
        row_id = _uuid(nested.get("id"), f"{path}id") or organization_id
        if row_id is None:
            raise RecordInvalid(f"{path}id", "is missing")
        parent_id = _uuid(nested.get("parent_organization_id"), f"{path}parent_organization_id")
        values: Json = {
            "name": _text(nested, "name", path),
            "alternate_name": _text(nested, "alternate_name", path),
            "description": _text(nested, "description", path),
            "email": _text(nested, "email", path),
            "website": _text(nested, "website", path),
            "tax_status": _text(nested, "tax_status", path),
            "tax_id": _text(nested, "tax_id", path),
            "year_incorporated": _whole(nested, "year_incorporated", path),
            "legal_status": _text(nested, "legal_status", path),
            "logo": _text(nested, "logo", path),
            "uri": _text(nested, "uri", path),
            "parent_organization_id": parent_id
            if parent_id and Organization.objects.filter(id=parent_id).exists()
            else None,
        }
        organization, _ = _save(Organization, row_id, values, path)
        keep = []
        for n, item in enumerate(_list(nested, "organization_identifiers", path)):
            where = f"{path}organization_identifiers[{n}]."
            identifier_id = _child_id(item, where, parent=row_id, kind="identifier", index=n)
            _save(
                OrganizationIdentifier,
                identifier_id,
                {
                    "organization": organization,
                    "identifier_scheme": _text(item, "identifier_scheme", where),
                    "identifier_type": _text(item, "identifier_type", where),
                    "identifier": _text(item, "identifier", where),
                },
                where,
            )
            keep.append(identifier_id)
        _prune(organization.organization_identifiers.all(), keep)
        keep = self.attributes(
            _list(nested, "attributes", path), f"{path}attributes", "organization", row_id
        )
        _prune(Attribute.objects.filter(link_entity="organization", link_id=row_id), keep)
        return organization

    def service_at_location(self, data: Json, path: str, service: Service, index: int) -> uuid.UUID:
        nested = _object(data, "location", path)
        location_id = _uuid(data.get("location_id"), f"{path}location_id")
        if nested is not None:
            location = self.location(nested, f"{path}location.")
        else:
            found = Location.objects.filter(id=location_id).first() if location_id else None
            if found is None:
                raise RecordInvalid(f"{path}location", "is missing")
            location = found
        sal_id = _uuid(data.get("id"), f"{path}id")
        if sal_id is None:
            existing = ServiceAtLocation.objects.filter(service=service, location=location).first()
            sal_id = (
                existing.id if existing else uuid.uuid5(_NAMESPACE, f"{service.id}:{location.id}")
            )
        clash = ServiceAtLocation.objects.filter(service=service, location=location).exclude(
            id=sal_id
        )
        if clash.exists():
            raise RecordInvalid(f"{path}id", "lists the same location twice for this service")
        sal, _ = _save(
            ServiceAtLocation,
            sal_id,
            {
                "service": service,
                "location": location,
                "description": _text(data, "description", path),
            },
            path,
        )
        owner = {"service_at_location": sal}
        schedules, closed = self.schedules(
            _list(data, "schedules", path), f"{path}schedules", owner, service=service
        )
        _prune(sal.schedules.all(), schedules)
        _prune(sal.closed_dates.all(), closed)
        keep = self.phones(_list(data, "phones", path), f"{path}phones", owner)
        _prune(Phone.objects.filter(service_at_location=sal, contact=None), keep)
        keep = self.contacts(_list(data, "contacts", path), f"{path}contacts", owner)
        _prune(sal.contacts.all(), keep)
        return sal_id

    def location(self, data: Json, path: str) -> Location:
        location_id = _uuid(data.get("id"), f"{path}id")
        if location_id is None:
            raise RecordInvalid(f"{path}id", "is missing")
        latitude = _number(data, "latitude", path)
        longitude = _number(data, "longitude", path)
        if latitude is not None and not -90 <= latitude <= 90:
            raise RecordInvalid(f"{path}latitude", f"{latitude:g} is not between -90 and 90")
        if longitude is not None and not -180 <= longitude <= 180:
            raise RecordInvalid(f"{path}longitude", f"{longitude:g} is not between -180 and 180")
        organization_id = _uuid(data.get("organization_id"), f"{path}organization_id")
        values: Json = {
            "location_type": _text(data, "location_type", path) or Location.LocationType.PHYSICAL,
            "organization_id": organization_id
            if organization_id and Organization.objects.filter(id=organization_id).exists()
            else None,
            "url": _text(data, "url", path),
            "name": _text(data, "name", path),
            "alternate_name": _text(data, "alternate_name", path),
            "description": _text(data, "description", path),
            "transportation": _text(data, "transportation", path),
            "latitude": latitude,
            "longitude": longitude,
            "external_identifier": _text(data, "external_identifier", path),
            "external_identifier_type": _text(data, "external_identifier_type", path),
            "has_step_free_access": _bool(data, "has_step_free_access", path),
        }
        location, _ = _save(Location, location_id, values, path)
        keep = []
        for n, item in enumerate(_list(data, "addresses", path)):
            where = f"{path}addresses[{n}]."
            row_id = _child_id(item, where, parent=location_id, kind="address", index=n)
            _save(
                Address,
                row_id,
                {
                    "location": location,
                    "attention": _text(item, "attention", where),
                    "address_1": _text(item, "address_1", where),
                    "address_2": _text(item, "address_2", where),
                    "city": _text(item, "city", where),
                    "region": _text(item, "region", where),
                    "state_province": _text(item, "state_province", where),
                    "postal_code": _text(item, "postal_code", where),
                    "country": _country(item, where),
                    "address_type": _text(item, "address_type", where) or "physical",
                },
                where,
            )
            keep.append(row_id)
        _prune(location.addresses.all(), keep)
        keep = []
        for n, item in enumerate(_list(data, "accessibility", path)):
            where = f"{path}accessibility[{n}]."
            row_id = _child_id(item, where, parent=location_id, kind="accessibility", index=n)
            _save(
                Accessibility,
                row_id,
                {
                    "location": location,
                    "description": _text(item, "description", where)
                    or _text(item, "accessibility", where),
                    "details": _text(item, "details", where),
                    "url": _text(item, "url", where),
                },
                where,
            )
            keep.append(row_id)
        _prune(location.accessibility.all(), keep)
        owner = {"location": location}
        keep = self.phones(_list(data, "phones", path), f"{path}phones", owner)
        _prune(
            Phone.objects.filter(
                location=location, service=None, contact=None, service_at_location=None
            ),
            keep,
        )
        schedules, _closed = self.schedules(
            _list(data, "schedules", path), f"{path}schedules", owner
        )
        _prune(
            Schedule.objects.filter(location=location, service=None, service_at_location=None),
            schedules,
        )
        keep = self.languages(_list(data, "languages", path), f"{path}languages", owner)
        _prune(Language.objects.filter(location=location, service=None, phone=None), keep)
        keep = self.attributes(
            _list(data, "attributes", path), f"{path}attributes", "location", location_id
        )
        _prune(Attribute.objects.filter(link_entity="location", link_id=location_id), keep)
        return location

    def schedules(
        self,
        items: list[Json],
        path: str,
        owner: dict[str, Any],
        *,
        service: Service | None = None,
    ) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
        """Weekly and monthly rules become schedules; a one-day rule with no hours, a closed date.

        A schedule of a service at a location may name its service as well (`service_id`).
        """
        parent = next(iter(owner.values())).id
        schedules: list[uuid.UUID] = []
        closed: list[uuid.UUID] = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."
            row_id = _child_id(item, where, parent=parent, kind="schedule", index=n)
            also = (
                {"service": service}
                if service is not None and str(item.get("service_id")) == str(service.id)
                else {}
            )
            valid_from = _date(item, "valid_from", where)
            valid_to = _date(item, "valid_to", where)
            opens_at = _time(item, "opens_at", where)
            closes_at = _time(item, "closes_at", where)
            freq = _text(item, "freq", where).upper()
            if (
                "location" not in owner
                and not freq
                and opens_at is None
                and closes_at is None
                and valid_from is not None
                and valid_from == valid_to
            ):
                _save(
                    ClosedDate,
                    row_id,
                    {**owner, **also, "date": valid_from, "reason": _text(item, "notes", where)},
                    where,
                )
                closed.append(row_id)
                continue
            _save(
                Schedule,
                row_id,
                {
                    **owner,
                    **also,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "dtstart": _date(item, "dtstart", where),
                    "timezone": _number(item, "timezone", where),
                    "until": _date(item, "until", where),
                    "count": _whole(item, "count", where),
                    "wkst": _text(item, "wkst", where),
                    "freq": freq,
                    "interval": _whole(item, "interval", where),
                    "byday": _text(item, "byday", where).upper(),
                    "byweekno": _text(item, "byweekno", where),
                    "bymonthday": _text(item, "bymonthday", where),
                    "byyearday": _text(item, "byyearday", where),
                    "description": _text(item, "description", where),
                    "opens_at": opens_at,
                    "closes_at": closes_at,
                    "schedule_link": _text(item, "schedule_link", where),
                    "attending_type": _text(item, "attending_type", where),
                    "notes": _text(item, "notes", where),
                },
                where,
            )
            schedules.append(row_id)
        return schedules, closed

    def phones(self, items: list[Json], path: str, owner: dict[str, Any]) -> list[uuid.UUID]:
        return _save_children(
            Phone,
            items,
            path,
            parent=next(iter(owner.values())).id,
            kind="phone",
            values=lambda item, where: {
                **owner,
                "number": _text(item, "number", where),
                "extension": _text(item, "extension", where),
                "type": _text(item, "type", where),
                "description": _text(item, "description", where),
            },
        )

    def contacts(self, items: list[Json], path: str, owner: dict[str, Any]) -> list[uuid.UUID]:
        parent = next(iter(owner.values())).id
        keep = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."
            row_id = _child_id(item, where, parent=parent, kind="contact", index=n)
            contact, _ = _save(
                Contact,
                row_id,
                {
                    **owner,
                    "name": _text(item, "name", where),
                    "title": _text(item, "title", where),
                    "department": _text(item, "department", where),
                    "email": _text(item, "email", where),
                },
                where,
            )
            phones = self.phones(
                _list(item, "phones", where), f"{where}phones", {"contact": contact}
            )
            _prune(contact.phones.all(), phones)
            keep.append(row_id)
        return keep

    def languages(self, items: list[Json], path: str, owner: dict[str, Any]) -> list[uuid.UUID]:
        return _save_children(
            Language,
            items,
            path,
            parent=next(iter(owner.values())).id,
            kind="language",
            values=lambda item, where: {
                **owner,
                "name": _text(item, "name", where),
                "code": _text(item, "code", where),
                "note": _text(item, "note", where),
            },
        )

    def simple_rows(self, data: Json, service: Service) -> None:
        """Cost options, languages, service areas and funding: owned by the service alone."""
        keep = _save_children(
            CostOption,
            _list(data, "cost_options", ""),
            "cost_options",
            parent=service.id,
            kind="cost_option",
            values=lambda item, where: {
                "service": service,
                "valid_from": _date(item, "valid_from", where),
                "valid_to": _date(item, "valid_to", where),
                "option": _text(item, "option", where),
                "currency": _text(item, "currency", where) or "GBP",
                "amount": _decimal(item, "amount", where),
                "amount_description": _text(item, "amount_description", where),
            },
        )
        _prune(service.cost_options.all(), keep)
        keep = self.languages(_list(data, "languages", ""), "languages", {"service": service})
        _prune(Language.objects.filter(service=service, phone=None), keep)
        keep = _save_children(
            ServiceArea,
            _list(data, "service_areas", ""),
            "service_areas",
            parent=service.id,
            kind="service_area",
            values=lambda item, where: {
                "service": service,
                "name": _text(item, "name", where) or _text(item, "service_area", where),
                "description": _text(item, "description", where),
                "extent": _text(item, "extent", where),
                "extent_type": _text(item, "extent_type", where),
                "uri": _text(item, "uri", where),
            },
        )
        _prune(service.service_areas.all(), keep)
        keep = _save_children(
            Funding,
            _list(data, "funding", ""),
            "funding",
            parent=service.id,
            kind="funding",
            values=lambda item, where: {"service": service, "source": _text(item, "source", where)},
        )
        _prune(service.funding.all(), keep)

    def attributes(
        self, items: list[Json], path: str, link_entity: str, link_id: uuid.UUID
    ) -> list[uuid.UUID]:
        keep = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."
            term = self.taxonomy_term(item, where)
            row_id = _child_id(item, where, parent=link_id, kind=f"attribute:{term.id}", index=0)
            existing = Attribute.objects.filter(
                taxonomy_term=term, link_entity=link_entity, link_id=link_id
            ).first()
            if existing is not None:
                row_id = existing.id
            _save(
                Attribute,
                row_id,
                {
                    "taxonomy_term": term,
                    "link_entity": link_entity,
                    "link_id": link_id,
                    "link_type": _text(item, "link_type", where),
                    "value": _text(item, "value", where),
                    "label": _text(item, "label", where),
                },
                where,
            )
            keep.append(row_id)
        return keep

    def taxonomy_term(self, attribute: Json, path: str) -> TaxonomyTerm:
        data = _object(attribute, "taxonomy_term", path)
        term_id = _uuid(attribute.get("taxonomy_term_id"), f"{path}taxonomy_term_id")
        if data is None:
            found = TaxonomyTerm.objects.filter(id=term_id).first() if term_id else None
            if found is None:
                raise RecordInvalid(
                    f"{path}taxonomy_term", "is missing and taxonomy_term_id is not known here"
                )
            return found
        where = f"{path}taxonomy_term."
        term_id = _uuid(data.get("id"), f"{where}id") or term_id
        code = _text(data, "term", where) or _text(data, "code", where)
        taxonomy = self.taxonomy(data, where)
        if taxonomy is not None and taxonomy.id == SUPPORT_TYPES_TAXONOMY_ID:
            if not is_support_type(code):
                raise RecordInvalid(f"{where}term", f"{code!r} is not a Kith support type")
            return TaxonomyTerm.objects.get(id=support_type_term_id(code))
        if code and taxonomy is not None:
            same_code = TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).first()
            if same_code is not None:
                term_id = same_code.id
        if term_id is None:
            raise RecordInvalid(f"{where}id", "is missing")
        parent_id = _uuid(data.get("parent_id"), f"{where}parent_id")
        term, _ = _save(
            TaxonomyTerm,
            term_id,
            {
                "taxonomy": taxonomy,
                "code": code,
                "name": _text(data, "name", where) or code,
                "description": _text(data, "description", where),
                "language": _text(data, "language", where),
                "term_uri": _text(data, "term_uri", where),
                "taxonomy_name": taxonomy.name if taxonomy else _text(data, "taxonomy", where),
            },
            where,
        )
        if parent_id is not None:
            self.pending_parents[term.id] = parent_id
        return term

    def taxonomy(self, term: Json, path: str) -> Taxonomy | None:
        detail = _object(term, "taxonomy_detail", path) or {}
        name = _text(term, "taxonomy", path) or _text(detail, "name", f"{path}taxonomy_detail.")
        taxonomy_id = _uuid(term.get("taxonomy_id"), f"{path}taxonomy_id") or _uuid(
            detail.get("id"), f"{path}taxonomy_detail.id"
        )
        if taxonomy_id == SUPPORT_TYPES_TAXONOMY_ID or name == SUPPORT_TYPES_TAXONOMY_NAME:
            return Taxonomy.objects.get(id=SUPPORT_TYPES_TAXONOMY_ID)
        if taxonomy_id is None:
            if not name:
                return None
            found = Taxonomy.objects.filter(name=name).order_by("id").first()
            taxonomy_id = found.id if found else uuid.uuid5(_NAMESPACE, f"taxonomy:{name}")
        if not detail:
            existing = Taxonomy.objects.filter(id=taxonomy_id).first()
            if existing is not None:
                return existing
        where = f"{path}taxonomy_detail."
        taxonomy, _ = _save(
            Taxonomy,
            taxonomy_id,
            {
                "name": name or _text(detail, "name", where),
                "description": _text(detail, "description", where),
                "uri": _text(detail, "uri", where),
                "version": _text(detail, "version", where),
            },
            where,
        )
        return taxonomy
