"""Import an ORUK feed (3.0, or 1.0 translated to 3.0) into the directory.

Contract of `oruk_import`:
- One transaction. Each service record is saved inside its own savepoint, and a record is
  imported whole whenever it can be a listing at all: a bad value is left out (or repaired,
  when the repair is certain) and reported, never a reason to refuse the record.
  - A field that is optional in the directory and fails (an invalid web or email address, a
    date that is not one, text too long for its field ...) is left out; web and email addresses are repaired instead where the repair is
    certain (`cleaning.py`). HTML becomes plain text, and entities are decoded.
  - A nested row that cannot be kept without its bad part (a location with no id, a schedule
    with an unreadable time, a phone without a number, an unknown support type ...) is left
    out with its own rows; the service keeps the rest.
  - A service without an organisation (list-form feeds often leave it out) is imported without
    one; a service without locations is imported as a service with no place.
  - Only a record that cannot be a listing is skipped: no id, no name, not a JSON object, or
    the same id as an earlier record of the same feed (the first is kept).
  Every change is in the report: per record, which field was repaired, converted or left out,
  and why (`ImportReport.changes`); each skipped record and why (`ImportReport.problems`).
- Rows are matched by id, so importing the same feed again updates rather than duplicates; an
  updated service's own rows (schedules, phones, contacts ...) that the feed no longer lists
  are removed. Organisations, locations and taxonomies are shared, so they are only upserted.
  A row is written only when one of its values changed, so importing the same feed again
  writes nothing (no `updated_at` moves) and re-indexes nothing; a service counts as updated
  when any of its rows was created, changed or removed.
- When the feed as a whole is unusable (unreachable, not JSON, wrong shape, or no good record)
  it raises ImportFailed and the database is left exactly as it was.
- The search index is brought up to date for every service created or updated, and for the
  services of any shared organisation or location that changed.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import partial
from typing import Any

import httpx
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import (
    CharField,
    EmailField,
    Field,
    Model,
    QuerySet,
    TextField,
    URLField,
)

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
from kith.directory.oruk.cleaning import email_address, plain_text, web_address
from kith.directory.oruk.feed import Unreadable, open_feed
from kith.directory.oruk.oruk1 import is_oruk1, service_from_oruk1
from kith.directory.services.indexing import services_reindex
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
_SHOWN_CHARACTERS = 80


@dataclass(frozen=True)
class RecordProblem:
    """A record that was skipped, and why."""

    record: int  # position in the feed, from 1
    record_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        return f"{_who(self.record, self.record_id)}: {self.field}: {self.message}"


class Action(StrEnum):
    REPAIRED = "repaired"
    CONVERTED = "converted to plain text"
    LEFT_OUT = "left out"


@dataclass(frozen=True)
class FieldChange:
    """A value of an imported record that Kith did not keep as given, and why."""

    record: int
    record_id: str | None
    field: str  # its path in the ORUK 3.0 record, e.g. "service_at_locations[0].location.url"
    action: Action
    message: str
    original: str = ""  # as the feed gave it, shortened
    kept: str = ""  # what was kept instead ("" when left out)

    def __str__(self) -> str:
        text = f"{_who(self.record, self.record_id)}: {self.field}: {self.action}: {self.message}"
        if self.action == Action.REPAIRED:
            return f"{text} ({self.original!r} became {self.kept!r})"
        if self.action == Action.LEFT_OUT and self.original:
            return f"{text} (was {self.original!r})"
        return text


def _who(record: int, record_id: str | None) -> str:
    return f"record {record}" + (f" (id {record_id})" if record_id else "")


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= _SHOWN_CHARACTERS else text[: _SHOWN_CHARACTERS - 1] + "…"


@dataclass
class ImportReport:
    source: str
    created: list[uuid.UUID] = field(default_factory=list)
    updated: list[uuid.UUID] = field(default_factory=list)
    unchanged: list[uuid.UUID] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)  # records skipped
    changes: list[FieldChange] = field(default_factory=list)  # values not kept as given
    oruk1_records: int = 0
    # Term id -> parent term id, linked once every record is in (a parent may come later).
    pending_parents: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict, repr=False)
    # Service id -> the record it came from, so a second record with the same id is caught.
    seen: dict[uuid.UUID, int] = field(default_factory=dict, repr=False)
    # Shared rows written by this import: their other services need indexing too.
    changed_organizations: set[uuid.UUID] = field(default_factory=set, repr=False)
    changed_locations: set[uuid.UUID] = field(default_factory=set, repr=False)

    @property
    def records(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged) + len(self.problems)

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def changes_by_action(self, action: Action) -> list[FieldChange]:
        return [c for c in self.changes if c.action == action]


class RecordInvalid(Exception):
    """The record, or the nested row being read, cannot be kept (raised while reading it)."""

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
        if not report.imported:
            detail = f"; first problem: {report.problems[0]}" if report.problems else ""
            raise ImportFailed(
                f"{source} has no service that could be imported{detail}",
                field="source",
                extra={"problems": [str(p) for p in report.problems]},
            )
        _link_term_parents(report.pending_parents)
        to_index = [*report.created, *report.updated, *_services_sharing(report)]
        if to_index:
            services_reindex(to_index)
    return report


def _services_sharing(report: ImportReport) -> list[uuid.UUID]:
    """Services not in this feed's changes whose shared organisation or location changed."""
    if not report.changed_organizations and not report.changed_locations:
        return []
    done = {*report.created, *report.updated}
    ids = set(
        Service.objects.filter(organization_id__in=report.changed_organizations).values_list(
            "id", flat=True
        )
    )
    ids |= set(
        ServiceAtLocation.objects.filter(location_id__in=report.changed_locations).values_list(
            "service_id", flat=True
        )
    )
    return sorted(ids - done)


def _link_term_parents(pending: dict[uuid.UUID, uuid.UUID]) -> None:
    known = set(
        TaxonomyTerm.objects.filter(id__in=[*pending, *pending.values()]).values_list(
            "id", flat=True
        )
    )
    for term_id, parent_id in pending.items():
        if term_id in known and parent_id in known:
            TaxonomyTerm.objects.filter(id=term_id).exclude(parent_id=parent_id).update(
                parent_id=parent_id
            )


def _import_record(number: int, record: object, report: ImportReport) -> None:
    record_id = str(record.get("id")) if isinstance(record, dict) and record.get("id") else None
    importer = _Importer(report, number, record_id)
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
            service_id, is_new = importer.service(record)
    except RecordInvalid as exc:
        report.problems.append(RecordProblem(number, record_id, exc.field, exc.message))
        return
    report.seen[service_id] = number
    report.changes += importer.changes
    if is_new:
        report.created.append(service_id)
    elif importer.is_touched:
        report.updated.append(service_id)
    else:
        report.unchanged.append(service_id)


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


def _model_field(model: type[Model], name: str) -> Field[Any, Any] | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, Field) else None


def _empty(model_field: Field[Any, Any]) -> object:
    """What an optional field holds when its value is left out."""
    if model_field.null:
        return None
    if isinstance(model_field, CharField | TextField):
        return ""
    return model_field.get_default()


# --- writing rows ----------------------------------------------------------------------------


class _Importer:
    """Saves one ORUK 3.0 service and everything nested in it, keeping what it can and noting
    every value it repaired, converted or left out (see the module docstring)."""

    def __init__(self, report: ImportReport, number: int, record_id: str | None):
        self.report = report
        self.pending_parents = report.pending_parents
        self.number = number
        self.record_id = record_id
        self.changes: list[FieldChange] = []
        self.is_touched = False  # a row of this service was created, changed or removed
        self.new_rows: set[uuid.UUID] = set()  # created by this record

    # --- noting and falling back -------------------------------------------------------------

    def note(
        self, path: str, action: Action, message: str, original: object = "", kept: object = ""
    ) -> None:
        self.changes.append(
            FieldChange(
                self.number, self.record_id, path, action, message, _shown(original), _shown(kept)
            )
        )

    def optional[T](
        self, read: Callable[[Json, str, str], T], data: Json, key: str, path: str, empty: T
    ) -> T:
        """`read(data, key, path)`, or `empty` (noted) when the value cannot be read."""
        try:
            return read(data, key, path)
        except RecordInvalid as exc:
            self.note(exc.field, Action.LEFT_OUT, exc.message, data.get(key))
            return empty

    def text(self, data: Json, key: str, path: str) -> str:
        return self.optional(_text, data, key, path, "")

    def date(self, data: Json, key: str, path: str) -> dt.date | None:
        return self.optional(_date, data, key, path, None)

    def whole(self, data: Json, key: str, path: str) -> int | None:
        return self.optional(_whole, data, key, path, None)

    def flag(self, data: Json, key: str, path: str) -> bool:
        return self.optional(_bool, data, key, path, False)

    def items(self, data: Json, key: str, path: str) -> list[Json]:
        return self.optional(_list, data, key, path, [])

    def id_of(self, data: Json, key: str, path: str) -> uuid.UUID | None:
        return self.optional(lambda d, k, p: _uuid(d.get(k), f"{p}{k}"), data, key, path, None)

    def row[T](self, path: str, save: Callable[[], T]) -> T | None:
        """Save one nested row (and its own rows) in a savepoint; when it cannot be kept, it is
        left out whole and noted, and the service keeps the rest."""
        changes, touched = len(self.changes), self.is_touched
        try:
            with transaction.atomic():
                return save()
        except RecordInvalid as exc:
            del self.changes[changes:]
            self.is_touched = touched
            where = path.removesuffix(".")
            self.note(where, Action.LEFT_OUT, f"{exc.field}: {exc.message}")
            return None

    def clean_value(self, model: type[Model], name: str, value: object, path: str) -> object:
        """Text without markup, and web and email addresses repaired or left out."""
        model_field = _model_field(model, name)
        if not isinstance(value, str) or not value or model_field is None:
            return value
        if isinstance(model_field, URLField):
            kept, why = web_address(value)
        elif isinstance(model_field, EmailField):
            kept, why = email_address(value)
        elif isinstance(model_field, TextField):
            kept, why = plain_text(value, is_multiline=True)
        elif isinstance(model_field, CharField) and not model_field.choices:
            kept, why = plain_text(value, is_multiline=False)
        else:
            return value
        if why:
            if isinstance(model_field, URLField | EmailField):
                action = Action.REPAIRED if kept else Action.LEFT_OUT
            else:
                action = Action.CONVERTED
            self.note(f"{path}{name}", action, why, value, kept)
        return kept

    def validate(self, row: Model, path: str) -> None:
        """The model's own validation; an optional field that fails it is left out (noted), a
        required one makes the row invalid."""
        model = type(row)
        for _ in range(len(model._meta.fields) + 1):
            try:
                row.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                return
            for name, messages in errors.items():
                message = " ".join(messages)
                model_field = None if name == NON_FIELD_ERRORS else _model_field(model, name)
                if model_field is None or not model_field.blank:
                    raise RecordInvalid(f"{path}{name}", message)
                original = getattr(row, model_field.attname)
                setattr(row, model_field.attname, _empty(model_field))
                self.note(f"{path}{name}", Action.LEFT_OUT, message.rstrip("."), original)
        raise RecordInvalid(path.removesuffix(".") or "record", "could not be made valid")

    def save[M: Model](
        self, model: type[M], row_id: uuid.UUID, values: Json, path: str
    ) -> tuple[M, bool]:
        """Create the row with this id, or update it when a value changed; after the model's own
        validation. A row whose values are all as stored is not written."""
        values = {name: self.clean_value(model, name, v, path) for name, v in values.items()}
        row = model._default_manager.filter(pk=row_id).first()
        is_new = row is None
        if row is None:
            row = model(pk=row_id)
        fields = [model._meta.get_field(name) for name in values]
        before = {f.name: getattr(row, f.attname) for f in fields if isinstance(f, Field)}
        for name, value in values.items():
            setattr(row, name, value)
        self.validate(row, path)
        changed = [
            f.name
            for f in fields
            if isinstance(f, Field) and getattr(row, f.attname) != before[f.name]
        ]
        if is_new:
            row.save()
            self.new_rows.add(row_id)
        elif changed:
            row.save(update_fields=[*changed, "updated_at"])
            if model is Organization:
                self.report.changed_organizations.add(row_id)
            elif model is Location:
                self.report.changed_locations.add(row_id)
        if is_new or changed:
            self.is_touched = True
        return row, is_new

    def prune(self, owner: Model, rows: QuerySet[Any], keep: Iterable[uuid.UUID]) -> None:
        """Remove `owner`'s rows the feed no longer lists (a row created just now has none)."""
        if owner.pk in self.new_rows:
            return
        gone = list(rows.exclude(id__in=list(keep)).values_list("id", flat=True))
        if gone:
            rows.model._default_manager.filter(id__in=gone).delete()
            self.is_touched = True

    def children(
        self,
        model: type[Model],
        items: list[Json],
        path: str,
        *,
        parent: uuid.UUID,
        kind: str,
        values: Callable[[Json, str], Json],
    ) -> list[uuid.UUID]:
        """Create or update one row per item (`values(item, where)` gives its fields, owner
        included); returns the ids to keep, for `prune`. An item that cannot be kept is left out."""
        keep = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."

            def save_one(item: Json = item, where: str = where, n: int = n) -> uuid.UUID:
                row_id = _child_id(item, where, parent=parent, kind=kind, index=n)
                self.save(model, row_id, values(item, where), where)
                return row_id

            kept = self.row(where, save_one)
            if kept is not None:
                keep.append(kept)
        return keep

    # --- the service and its rows ------------------------------------------------------------

    def status(self, data: Json) -> str:
        raw = self.text(data, "status", "")
        status = " ".join(raw.lower().replace("_", " ").replace("-", " ").split())
        if not status:
            return Service.Status.ACTIVE
        if status not in Service.Status.values:
            raise RecordInvalid(
                "status",
                f"{raw!r} is not active, inactive, defunct or temporarily closed, so whether "
                "the service runs is not known",
            )
        return status

    def service(self, data: Json) -> tuple[uuid.UUID, bool]:
        service_id = _uuid(data.get("id"), "id")
        if service_id is None:
            raise RecordInvalid("id", "is missing; every service needs one")
        if service_id in self.report.seen:
            raise RecordInvalid(
                "id",
                f"is the same as record {self.report.seen[service_id]}'s; only the first "
                "record with an id is imported",
            )
        name, _ = plain_text(_text(data, "name", ""), is_multiline=False)
        if not name:
            raise RecordInvalid("name", "is missing; a listing needs a name")
        status = self.status(data)
        organization = self.organization(data)
        minimum_age = self.whole(data, "minimum_age", "")
        maximum_age = self.whole(data, "maximum_age", "")
        if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
            self.note(
                "minimum_age",
                Action.LEFT_OUT,
                f"is more than maximum_age ({maximum_age}), so neither age is kept",
                minimum_age,
            )
            minimum_age = maximum_age = None
        values: Json = {
            "organization": organization,
            "name": _text(data, "name", ""),
            "alternate_name": self.text(data, "alternate_name", ""),
            "description": self.text(data, "description", ""),
            "url": self.text(data, "url", ""),
            "email": self.text(data, "email", ""),
            "status": status,
            "interpretation_services": self.text(data, "interpretation_services", ""),
            "application_process": self.text(data, "application_process", ""),
            "fees_description": self.text(data, "fees", ""),
            "accreditations": self.text(data, "accreditations", ""),
            "eligibility_description": self.text(data, "eligibility_description", ""),
            "minimum_age": minimum_age,
            "maximum_age": maximum_age,
            "assured_date": self.date(data, "assured_date", ""),
            "assurer_email": self.text(data, "assurer_email", ""),
            "alert": self.text(data, "alert", ""),
            "last_modified": self.optional(_datetime, data, "last_modified", "", None),
            "is_no_referral_needed": self.flag(data, "is_no_referral_needed", ""),
            "is_free": self.flag(data, "is_free", ""),
            "is_place_to_talk": self.flag(data, "is_place_to_talk", ""),
            "place_to_talk_training": self.text(data, "place_to_talk_training", ""),
            "place_to_talk_trained_on": self.date(data, "place_to_talk_trained_on", ""),
        }
        service, is_new = self.save(Service, service_id, values, "")
        owner = {"service": service}

        keep = []
        for n, item in enumerate(self.items(data, "service_at_locations", "")):
            where = f"service_at_locations[{n}]."
            kept = self.row(where, partial(self.service_at_location, item, where, service))
            if kept is not None:
                keep.append(kept)
        self.prune(service, service.service_at_locations.all(), keep)
        schedules, closed = self.schedules(self.items(data, "schedules", ""), "schedules", owner)
        self.prune(
            service, Schedule.objects.filter(service=service, service_at_location=None), schedules
        )
        self.prune(
            service, ClosedDate.objects.filter(service=service, service_at_location=None), closed
        )
        keep = self.phones(self.items(data, "phones", ""), "phones", owner)
        self.prune(
            service,
            Phone.objects.filter(service=service, contact=None, service_at_location=None),
            keep,
        )
        keep = self.contacts(self.items(data, "contacts", ""), "contacts", owner)
        self.prune(service, Contact.objects.filter(service=service, service_at_location=None), keep)
        self.simple_rows(data, service)
        keep = self.attributes(
            self.items(data, "attributes", ""), "attributes", "service", service_id
        )
        self.prune(
            service, Attribute.objects.filter(link_entity="service", link_id=service_id), keep
        )
        return service_id, is_new

    def organization(self, data: Json) -> Organization | None:
        """The service's organisation; None (noted) when the record has none that can be kept."""
        nested = self.optional(_object, data, "organization", "", None)
        organization_id = self.id_of(data, "organization_id", "")
        if nested is None:
            found = (
                Organization.objects.filter(id=organization_id).first() if organization_id else None
            )
            if found is None:
                self.note(
                    "organization",
                    Action.LEFT_OUT,
                    "the record has none (no organization, nor the organization_id of one "
                    "imported before), so the service has no organisation",
                    organization_id or "",
                )
            return found
        return self.row("organization.", lambda: self.nested_organization(nested, organization_id))

    def nested_organization(self, nested: Json, organization_id: uuid.UUID | None) -> Organization:
        path = "organization."
        row_id = _uuid(nested.get("id"), f"{path}id") or organization_id
        if row_id is None:
            raise RecordInvalid(f"{path}id", "is missing")
        parent_id = self.id_of(nested, "parent_organization_id", path)
        values: Json = {
            "name": _text(nested, "name", path),
            "alternate_name": self.text(nested, "alternate_name", path),
            "description": self.text(nested, "description", path),
            "email": self.text(nested, "email", path),
            "website": self.text(nested, "website", path),
            "tax_status": self.text(nested, "tax_status", path),
            "tax_id": self.text(nested, "tax_id", path),
            "year_incorporated": self.whole(nested, "year_incorporated", path),
            "legal_status": self.text(nested, "legal_status", path),
            "logo": self.text(nested, "logo", path),
            "uri": self.text(nested, "uri", path),
            "parent_organization_id": parent_id
            if parent_id and Organization.objects.filter(id=parent_id).exists()
            else None,
        }
        organization, _ = self.save(Organization, row_id, values, path)
        keep = self.children(
            OrganizationIdentifier,
            self.items(nested, "organization_identifiers", path),
            f"{path}organization_identifiers",
            parent=row_id,
            kind="identifier",
            values=lambda item, where: {
                "organization": organization,
                "identifier_scheme": self.text(item, "identifier_scheme", where),
                "identifier_type": _text(item, "identifier_type", where),
                "identifier": _text(item, "identifier", where),
            },
        )
        self.prune(organization, organization.organization_identifiers.all(), keep)
        keep = self.attributes(
            self.items(nested, "attributes", path), f"{path}attributes", "organization", row_id
        )
        self.prune(
            organization, Attribute.objects.filter(link_entity="organization", link_id=row_id), keep
        )
        return organization

    def service_at_location(self, data: Json, path: str, service: Service) -> uuid.UUID:
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
        sal, _ = self.save(
            ServiceAtLocation,
            sal_id,
            {
                "service": service,
                "location": location,
                "description": self.text(data, "description", path),
            },
            path,
        )
        owner = {"service_at_location": sal}
        schedules, closed = self.schedules(
            self.items(data, "schedules", path), f"{path}schedules", owner, service=service
        )
        self.prune(sal, sal.schedules.all(), schedules)
        self.prune(sal, sal.closed_dates.all(), closed)
        keep = self.phones(self.items(data, "phones", path), f"{path}phones", owner)
        self.prune(sal, Phone.objects.filter(service_at_location=sal, contact=None), keep)
        keep = self.contacts(self.items(data, "contacts", path), f"{path}contacts", owner)
        self.prune(sal, sal.contacts.all(), keep)
        return sal_id

    def coordinates(self, data: Json, path: str) -> tuple[float | None, float | None]:
        """Latitude and longitude; both left out (noted) when either is not a point on Earth,
        so the location is kept without a place on the map."""
        try:
            latitude = _number(data, "latitude", path)
            longitude = _number(data, "longitude", path)
            if latitude is not None and not -90 <= latitude <= 90:
                raise RecordInvalid(f"{path}latitude", f"{latitude:g} is not between -90 and 90")
            if longitude is not None and not -180 <= longitude <= 180:
                raise RecordInvalid(
                    f"{path}longitude", f"{longitude:g} is not between -180 and 180"
                )
        except RecordInvalid as exc:
            given = f"{data.get('latitude')}, {data.get('longitude')}"
            self.note(
                exc.field,
                Action.LEFT_OUT,
                f"{exc.message} (latitude and longitude both left out: the location has no "
                "place on the map)",
                given,
            )
            return None, None
        return latitude, longitude

    def location(self, data: Json, path: str) -> Location:
        location_id = _uuid(data.get("id"), f"{path}id")
        if location_id is None:
            raise RecordInvalid(f"{path}id", "is missing")
        latitude, longitude = self.coordinates(data, path)
        organization_id = self.id_of(data, "organization_id", path)
        values: Json = {
            "location_type": self.text(data, "location_type", path)
            or Location.LocationType.PHYSICAL,
            "organization_id": organization_id
            if organization_id and Organization.objects.filter(id=organization_id).exists()
            else None,
            "url": self.text(data, "url", path),
            "name": self.text(data, "name", path),
            "alternate_name": self.text(data, "alternate_name", path),
            "description": self.text(data, "description", path),
            "transportation": self.text(data, "transportation", path),
            "latitude": latitude,
            "longitude": longitude,
            "external_identifier": self.text(data, "external_identifier", path),
            "external_identifier_type": self.text(data, "external_identifier_type", path),
            "has_step_free_access": self.flag(data, "has_step_free_access", path),
        }
        location, _ = self.save(Location, location_id, values, path)
        keep = self.children(
            Address,
            self.items(data, "addresses", path),
            f"{path}addresses",
            parent=location_id,
            kind="address",
            values=lambda item, where: {
                "location": location,
                "attention": self.text(item, "attention", where),
                "address_1": _text(item, "address_1", where),
                "address_2": self.text(item, "address_2", where),
                "city": _text(item, "city", where),
                "region": self.text(item, "region", where),
                "state_province": self.text(item, "state_province", where),
                "postal_code": _text(item, "postal_code", where),
                "country": _country(item, where),
                "address_type": _text(item, "address_type", where) or "physical",
            },
        )
        self.prune(location, location.addresses.all(), keep)
        keep = self.children(
            Accessibility,
            self.items(data, "accessibility", path),
            f"{path}accessibility",
            parent=location_id,
            kind="accessibility",
            values=lambda item, where: {
                "location": location,
                "description": self.text(item, "description", where)
                or self.text(item, "accessibility", where),
                "details": self.text(item, "details", where),
                "url": self.text(item, "url", where),
            },
        )
        self.prune(location, location.accessibility.all(), keep)
        owner = {"location": location}
        keep = self.phones(self.items(data, "phones", path), f"{path}phones", owner)
        self.prune(
            location,
            Phone.objects.filter(
                location=location, service=None, contact=None, service_at_location=None
            ),
            keep,
        )
        schedules, _closed = self.schedules(
            self.items(data, "schedules", path), f"{path}schedules", owner
        )
        self.prune(
            location,
            Schedule.objects.filter(location=location, service=None, service_at_location=None),
            schedules,
        )
        keep = self.languages(self.items(data, "languages", path), f"{path}languages", owner)
        self.prune(
            location, Language.objects.filter(location=location, service=None, phone=None), keep
        )
        keep = self.attributes(
            self.items(data, "attributes", path), f"{path}attributes", "location", location_id
        )
        self.prune(
            location, Attribute.objects.filter(link_entity="location", link_id=location_id), keep
        )
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

        A schedule of a service at a location may name its service as well (`service_id`). A
        rule with any part that cannot be read is left out whole: part of a rule would say
        something else.
        """
        parent = next(iter(owner.values())).id
        schedules: list[uuid.UUID] = []
        closed: list[uuid.UUID] = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."
            saved = self.row(
                where,
                partial(self.schedule, item, where, owner, parent=parent, index=n, service=service),
            )
            if saved is not None:
                row_id, is_closed_date = saved
                (closed if is_closed_date else schedules).append(row_id)
        return schedules, closed

    def schedule(
        self,
        item: Json,
        where: str,
        owner: dict[str, Any],
        *,
        parent: uuid.UUID,
        index: int,
        service: Service | None,
    ) -> tuple[uuid.UUID, bool]:
        row_id = _child_id(item, where, parent=parent, kind="schedule", index=index)
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
            self.save(
                ClosedDate,
                row_id,
                {**owner, **also, "date": valid_from, "reason": _text(item, "notes", where)},
                where,
            )
            return row_id, True
        self.save(
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
                "description": self.text(item, "description", where),
                "opens_at": opens_at,
                "closes_at": closes_at,
                "schedule_link": self.text(item, "schedule_link", where),
                "attending_type": self.text(item, "attending_type", where),
                "notes": self.text(item, "notes", where),
            },
            where,
        )
        return row_id, False

    def phones(self, items: list[Json], path: str, owner: dict[str, Any]) -> list[uuid.UUID]:
        return self.children(
            Phone,
            items,
            path,
            parent=next(iter(owner.values())).id,
            kind="phone",
            values=lambda item, where: {
                **owner,
                "number": _text(item, "number", where),
                "extension": self.text(item, "extension", where),
                "type": self.text(item, "type", where),
                "description": self.text(item, "description", where),
            },
        )

    def contacts(self, items: list[Json], path: str, owner: dict[str, Any]) -> list[uuid.UUID]:
        parent = next(iter(owner.values())).id
        keep = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."
            kept = self.row(
                where, partial(self.contact, item, where, owner, parent=parent, index=n)
            )
            if kept is not None:
                keep.append(kept)
        return keep

    def contact(
        self, item: Json, where: str, owner: dict[str, Any], *, parent: uuid.UUID, index: int
    ) -> uuid.UUID:
        row_id = _child_id(item, where, parent=parent, kind="contact", index=index)
        contact, _ = self.save(
            Contact,
            row_id,
            {
                **owner,
                "name": self.text(item, "name", where),
                "title": self.text(item, "title", where),
                "department": self.text(item, "department", where),
                "email": self.text(item, "email", where),
            },
            where,
        )
        phones = self.phones(
            self.items(item, "phones", where), f"{where}phones", {"contact": contact}
        )
        self.prune(contact, contact.phones.all(), phones)
        return row_id

    def languages(self, items: list[Json], path: str, owner: dict[str, Any]) -> list[uuid.UUID]:
        return self.children(
            Language,
            items,
            path,
            parent=next(iter(owner.values())).id,
            kind="language",
            values=lambda item, where: {
                **owner,
                "name": self.text(item, "name", where),
                "code": self.text(item, "code", where),
                "note": self.text(item, "note", where),
            },
        )

    def simple_rows(self, data: Json, service: Service) -> None:
        """Cost options, languages, service areas and funding: owned by the service alone."""
        keep = self.children(
            CostOption,
            self.items(data, "cost_options", ""),
            "cost_options",
            parent=service.id,
            kind="cost_option",
            values=lambda item, where: {
                "service": service,
                "valid_from": self.date(item, "valid_from", where),
                "valid_to": self.date(item, "valid_to", where),
                "option": self.text(item, "option", where),
                "currency": self.text(item, "currency", where) or "GBP",
                "amount": _decimal(item, "amount", where),
                "amount_description": self.text(item, "amount_description", where),
            },
        )
        self.prune(service, service.cost_options.all(), keep)
        keep = self.languages(self.items(data, "languages", ""), "languages", {"service": service})
        self.prune(service, Language.objects.filter(service=service, phone=None), keep)
        keep = self.children(
            ServiceArea,
            self.items(data, "service_areas", ""),
            "service_areas",
            parent=service.id,
            kind="service_area",
            values=lambda item, where: {
                "service": service,
                "name": self.text(item, "name", where) or self.text(item, "service_area", where),
                "description": self.text(item, "description", where),
                "extent": self.text(item, "extent", where),
                "extent_type": self.text(item, "extent_type", where),
                "uri": self.text(item, "uri", where),
            },
        )
        self.prune(service, service.service_areas.all(), keep)
        keep = self.children(
            Funding,
            self.items(data, "funding", ""),
            "funding",
            parent=service.id,
            kind="funding",
            values=lambda item, where: {
                "service": service,
                "source": self.text(item, "source", where),
            },
        )
        self.prune(service, service.funding.all(), keep)

    def attributes(
        self, items: list[Json], path: str, link_entity: str, link_id: uuid.UUID
    ) -> list[uuid.UUID]:
        keep = []
        for n, item in enumerate(items):
            where = f"{path}[{n}]."
            kept = self.row(where, partial(self.attribute, item, where, link_entity, link_id))
            if kept is not None:
                keep.append(kept)
        return keep

    def attribute(self, item: Json, where: str, link_entity: str, link_id: uuid.UUID) -> uuid.UUID:
        term = self.taxonomy_term(item, where)
        row_id = _child_id(item, where, parent=link_id, kind=f"attribute:{term.id}", index=0)
        existing = Attribute.objects.filter(
            taxonomy_term=term, link_entity=link_entity, link_id=link_id
        ).first()
        if existing is not None:
            row_id = existing.id
        self.save(
            Attribute,
            row_id,
            {
                "taxonomy_term": term,
                "link_entity": link_entity,
                "link_id": link_id,
                "link_type": self.text(item, "link_type", where),
                "value": self.text(item, "value", where),
                "label": self.text(item, "label", where),
            },
            where,
        )
        return row_id

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
        term, _ = self.save(
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
        taxonomy, _ = self.save(
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
