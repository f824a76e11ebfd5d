"""Writes for staff curation: proposing, reviewing and publishing listings; checks and reports.

Contract:
- Nothing public changes when an editor proposes, revises or withdraws: a proposal is a
  ListingChange holding the proposed `ListingData`.
- Only `listing_change_publish` writes the listing itself, in one transaction, and only when a
  different editor than the proposer publishes it. It sets `assured_date` (the listing has just
  been checked) and `last_modified`, keeps `Service.is_free` and the cost options in step, and
  brings the search index up to date before the transaction commits.
- An edit keeps the listing as it was when proposed (`base`); publishing applies only what the
  editor changed from it (`listing_merge`), so an older edit never undoes a newer one.
- An edit that changes nothing is refused (`NothingChanged`): there is nothing to review.
- For an edit, only the parts of the listing that changed are written, field by field, so
  details the editor form does not show (extra locations, seasonal rules, schedule notes,
  detailed cost options) survive and unchanged rows are not even saved again. Opening sessions
  keep the id of the schedule they came from, so a changed session updates that schedule.
- Marking a listing as checked and resolving a report need no second editor.
- The group "Directory editors" is created on demand, so no data migration is needed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.utils import timezone

from kith.core.errors import ApplicationError, ValidationFailed
from kith.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    ListingChange,
    ListingReport,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from kith.directory.selectors.curation import (
    EDITORS_GROUP_NAME,
    MONTHLY_ORDINALS,
    ListingData,
    OpeningSession,
    is_directory_editor,
    listing_data_for_service,
    listing_merge,
    listing_schedules,
    opening_sessions,
    service_for_listing,
    session_of_schedule,
)
from kith.directory.services.indexing import service_ids_indexed_with, services_reindex
from kith.directory.taxonomy import (
    SUPPORT_TYPE_LINK_TYPE,
    is_support_type,
    support_type_term_id,
)

# ISO 639-1 codes for languages commonly spoken in the locality; others are stored by name only.
LANGUAGE_CODES = {
    "arabic": "ar",
    "bengali": "bn",
    "british sign language": "bfi",
    "bsl": "bfi",
    "cantonese": "yue",
    "chinese": "zh",
    "english": "en",
    "farsi": "fa",
    "french": "fr",
    "german": "de",
    "gujarati": "gu",
    "hindi": "hi",
    "italian": "it",
    "kurdish": "ku",
    "lithuanian": "lt",
    "mandarin": "zh",
    "pashto": "ps",
    "persian": "fa",
    "polish": "pl",
    "portuguese": "pt",
    "punjabi": "pa",
    "romanian": "ro",
    "russian": "ru",
    "somali": "so",
    "spanish": "es",
    "tamil": "ta",
    "tigrinya": "ti",
    "turkish": "tr",
    "twi": "tw",
    "ukrainian": "uk",
    "urdu": "ur",
    "vietnamese": "vi",
    "yoruba": "yo",
}


class NotAllowed(ApplicationError):
    """The action is not open to this editor, or not in the change's current state."""

    status = 403


class NothingChanged(ApplicationError):
    """An edit that is the listing as it is: there is nothing for another editor to review."""

    status = 400


def editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    return group


def editor_add(*, username: str, email: str, password: str) -> AbstractUser:
    """Create (or update) an account and make it a directory editor."""
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": email}
        )
        if not created and email and user.email != email:
            user.email = email
            user.save(update_fields=["email"])
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(editors_group())
    assert isinstance(user, AbstractUser)  # noqa: S101 - narrows the configured user model
    return user


def _require_editor(user: Any) -> None:
    if not is_directory_editor(user):
        raise NotAllowed("Only directory editors can do this")


def _require_status(change: ListingChange, *statuses: str) -> None:
    if change.status not in statuses:
        raise NotAllowed(f"This change is {change.get_status_display().lower()}")


def listing_change_propose(
    *, proposer: Any, data: ListingData, service: Service | None = None
) -> ListingChange:
    """Propose a new listing (service=None) or an edit; it waits for another editor's review."""
    _require_editor(proposer)
    _listing_data_check(data)
    live = listing_data_for_service(service) if service is not None else None
    if live is not None and _same_listing(live, data):
        raise NothingChanged("You have not changed anything, so there is nothing to review.")
    organization_id = _organization_uuid(data)
    change = ListingChange(
        service=service,
        organization_id=organization_id if service is None else service.organization_id,
        data=dict(data),
        base=dict(live) if live is not None else None,
        status=ListingChange.Status.AWAITING_REVIEW,
        proposed_by=proposer,
    )
    change.full_clean()
    change.save()
    return change


def listing_change_revise(
    *, change: ListingChange, editor: Any, data: ListingData
) -> ListingChange:
    """The proposer revises their change; it goes back to awaiting review."""
    _require_editor(editor)
    if change.proposed_by_id != editor.pk:
        raise NotAllowed("Only the editor who proposed this change can revise it")
    _require_status(
        change, ListingChange.Status.AWAITING_REVIEW, ListingChange.Status.CHANGES_REQUESTED
    )
    _listing_data_check(data)
    change.data = dict(data)
    change.status = ListingChange.Status.AWAITING_REVIEW
    if change.service_id is None:
        change.organization_id = _organization_uuid(data)
    change.save(update_fields=["data", "status", "organization", "updated_at"])
    return change


def listing_change_withdraw(*, change: ListingChange, editor: Any) -> ListingChange:
    _require_editor(editor)
    if change.proposed_by_id != editor.pk:
        raise NotAllowed("Only the editor who proposed this change can withdraw it")
    _require_status(
        change, ListingChange.Status.AWAITING_REVIEW, ListingChange.Status.CHANGES_REQUESTED
    )
    change.status = ListingChange.Status.WITHDRAWN
    change.save(update_fields=["status", "updated_at"])
    return change


def _same_listing(live: ListingData, data: ListingData) -> bool:
    return all(
        (opening_sessions(live) == opening_sessions(data))
        if key == "opening_times"
        else live[key] == data.get(key)  # type: ignore[literal-required]
        for key in live
    )


def _listing_data_check(data: ListingData) -> None:
    """What the form checks, checked again for callers that are not the form."""
    if not data["name"].strip():
        raise ValidationFailed("Enter the name of the service", field="name")
    if not data["support_types"]:
        raise ValidationFailed("Select at least one type of support", field="support_types")
    unknown = [code for code in data["support_types"] if not is_support_type(code)]
    if unknown:
        raise ValidationFailed(f"Unknown type of support: {unknown[0]}", field="support_types")
    if not data["organization_id"] and not data["organization_name"].strip():
        raise ValidationFailed(
            "Choose an organisation or enter the name of a new one", field="organization"
        )


def _require_reviewer(change: ListingChange, reviewer: Any) -> None:
    _require_editor(reviewer)
    if change.proposed_by_id == reviewer.pk:
        raise NotAllowed("You cannot review a change you proposed. Ask another editor to review it")
    _require_status(change, ListingChange.Status.AWAITING_REVIEW)


def listing_change_request_changes(
    *, change: ListingChange, reviewer: Any, note: str
) -> ListingChange:
    _require_reviewer(change, reviewer)
    if not note.strip():
        raise ValidationFailed("Enter what needs to change", field="note")
    change.status = ListingChange.Status.CHANGES_REQUESTED
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.review_note = note.strip()
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    return change


@transaction.atomic
def listing_change_publish(*, change: ListingChange, reviewer: Any) -> Service:
    """Apply a reviewed change to the public listing, in one transaction."""
    change = ListingChange.objects.select_for_update().get(pk=change.pk)
    _require_reviewer(change, reviewer)
    data: ListingData = change.data
    # A place can be shared: the other services there are re-indexed with this one.
    places_before = _location_ids_of(change.service_id)
    if change.service_id is None:
        service = _listing_create(data=data)
        change.service = service
    else:
        service = service_for_listing(change.service_id)
        live = listing_data_for_service(service)
        _listing_update(
            service=service, data=listing_merge(live=live, base=change.base, proposed=data)
        )
    change.status = ListingChange.Status.PUBLISHED
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.organization_id = service.organization_id
    change.save(
        update_fields=[
            "service",
            "organization",
            "status",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
    )
    places = places_before | _location_ids_of(service.id)
    services_reindex({service.id} | service_ids_indexed_with(location_ids=places))
    return service


def _location_ids_of(service_id: UUID | None) -> set[UUID]:
    if service_id is None:
        return set()
    return set(
        ServiceAtLocation.objects.filter(service_id=service_id).values_list(
            "location_id", flat=True
        )
    )


@transaction.atomic
def service_mark_checked(*, service: Service, editor: Any) -> Service:
    """The listing was checked and is still right: it stops being stale today."""
    _require_editor(editor)
    service.assured_date = timezone.localdate()
    service.assurer_email = getattr(editor, "email", "") or ""
    service.save(update_fields=["assured_date", "assurer_email", "updated_at"])
    services_reindex([service.id])
    return service


def listing_report_resolve(*, report: ListingReport, editor: Any, note: str) -> ListingReport:
    _require_editor(editor)
    if report.status != ListingReport.Status.OPEN:
        raise NotAllowed("This report has already been resolved")
    if not note.strip():
        raise ValidationFailed("Enter what you did about this report", field="note")
    report.status = ListingReport.Status.RESOLVED
    report.resolved_by = editor
    report.resolved_at = timezone.now()
    report.resolution = note.strip()
    report.save(update_fields=["status", "resolved_by", "resolved_at", "resolution", "updated_at"])
    return report


# Applying a listing to the HSDS tables ----------------------------------------------------------


def _organization_uuid(data: ListingData) -> UUID | None:
    return UUID(data["organization_id"]) if data["organization_id"] else None


def _organization_for(data: ListingData) -> Organization:
    organization_id = _organization_uuid(data)
    if organization_id is None:
        organization = Organization(name=data["organization_name"])
        organization.full_clean()
        organization.save()
        return organization
    try:
        return Organization.objects.get(pk=organization_id)
    except Organization.DoesNotExist as error:
        raise ValidationFailed(
            "The organisation for this listing no longer exists. Ask the editor to choose another",
            field="organization",
        ) from error


def _listing_create(*, data: ListingData) -> Service:
    service = Service(status=Service.Status.ACTIVE)
    _service_fields_set(service=service, data=data)
    service.full_clean()
    service.save()
    _support_types_set(service=service, codes=data["support_types"])
    _cost_options_set(service=service, data=data)
    _phone_set(service=service, number=data["phone"])
    _location_set(service=service, data=data)
    _opening_times_set(service=service, data=data, schedules=[])
    _languages_set(service=service, names=data["languages"])
    return service


def _listing_update(*, service: Service, data: ListingData) -> None:
    old = listing_data_for_service(service)

    def changed(*keys: str) -> bool:
        return any(old[k] != data[k] for k in keys)  # type: ignore[literal-required]

    update_fields = _service_fields_set(service=service, data=data, old=old)
    service.full_clean()
    service.save(update_fields=[*update_fields, "updated_at"])
    if changed("support_types"):
        _support_types_set(service=service, codes=data["support_types"])
    if changed("is_free", "cost_description"):
        _cost_options_set(service=service, data=data)
    if changed("phone"):
        _phone_set(service=service, number=data["phone"])
    if changed(
        "location_name",
        "address_1",
        "address_2",
        "city",
        "postcode",
        "latitude",
        "longitude",
        "has_step_free_access",
    ):
        _location_set(service=service, data=data)
    if opening_sessions(old) != opening_sessions(data):
        _opening_times_set(service=service, data=data, schedules=listing_schedules(service))
    if changed("languages"):
        _languages_set(service=service, names=data["languages"])


def _service_fields_set(
    *, service: Service, data: ListingData, old: ListingData | None = None
) -> list[str]:
    """Set the service's own fields from `data`; with `old`, only those whose part changed.
    Publishing always marks the listing as checked. Returns the fields set."""

    def changed(*keys: str) -> bool:
        return old is None or any(old[k] != data[k] for k in keys)  # type: ignore[literal-required]

    fields = ["assured_date", "last_modified"]
    if changed("organization_id", "organization_name"):
        service.organization = _organization_for(data)
        fields.append("organization")
    for key, attribute in (
        ("name", "name"),
        ("description", "description"),
        ("is_no_referral_needed", "is_no_referral_needed"),
        ("url", "url"),
        ("email", "email"),
    ):
        if changed(key):
            setattr(service, attribute, data[key])  # type: ignore[literal-required]
            fields.append(attribute)
    if changed("is_free", "cost_description"):
        service.is_free = data["is_free"]
        service.fees_description = "" if data["is_free"] else data["cost_description"]
        fields += ["is_free", "fees_description"]
    if changed("is_place_to_talk", "place_to_talk_training"):
        service.is_place_to_talk = data["is_place_to_talk"]
        service.place_to_talk_training = (
            data["place_to_talk_training"] if data["is_place_to_talk"] else ""
        )
        fields += ["is_place_to_talk", "place_to_talk_training"]
    service.assured_date = timezone.localdate()
    service.last_modified = timezone.now()
    return fields


def _support_types_set(*, service: Service, codes: list[str]) -> None:
    wanted = {support_type_term_id(code) for code in codes}
    existing = Attribute.objects.filter(
        link_entity="service", link_id=service.id, link_type=SUPPORT_TYPE_LINK_TYPE
    )
    existing.exclude(taxonomy_term_id__in=wanted).delete()
    have = set(existing.values_list("taxonomy_term_id", flat=True))
    Attribute.objects.bulk_create(
        Attribute(
            taxonomy_term_id=term_id,
            link_entity="service",
            link_type=SUPPORT_TYPE_LINK_TYPE,
            link_id=service.id,
        )
        for term_id in sorted(wanted - have)
    )


def _cost_options_set(*, service: Service, data: ListingData) -> None:
    """One cost option that says what the form says: free, or the cost in the editor's words."""
    service.cost_options.all().delete()
    if data["is_free"]:
        CostOption.objects.create(service=service, option="Free", amount=0, currency="GBP")
    else:
        CostOption.objects.create(
            service=service,
            option=data["cost_description"][:255],
            amount_description=data["cost_description"],
            currency="GBP",
        )


def _phone_set(*, service: Service, number: str) -> None:
    phone = service.phones.filter(location__isnull=True).order_by("created_at", "id").first()
    if not number:
        if phone:
            phone.delete()
        return
    if phone:
        phone.number = number
        phone.save(update_fields=["number", "updated_at"])
    else:
        Phone.objects.create(service=service, number=number, type="voice")


def _has_location(data: ListingData) -> bool:
    return bool(data["address_1"] or data["postcode"] or data["city"])


def _location_set(*, service: Service, data: ListingData) -> None:
    service_at_location = (
        service.service_at_locations.select_related("location").order_by("created_at", "id").first()
    )
    if not _has_location(data):
        if service_at_location:
            service_at_location.delete()  # the place stays; this service is no longer there
        return
    if service_at_location:
        location = service_at_location.location
    else:
        location = Location(organization=service.organization)
    _save_if_changed(
        location,
        name=data["location_name"],
        latitude=data["latitude"],
        longitude=data["longitude"],
        has_step_free_access=data["has_step_free_access"],
    )
    if not service_at_location:
        ServiceAtLocation.objects.create(service=service, location=location)
    address = location.addresses.order_by("created_at", "id").first() or Address(location=location)
    _save_if_changed(
        address,
        address_1=data["address_1"],
        address_2=data["address_2"],
        city=data["city"],
        postal_code=data["postcode"],
    )


def _save_if_changed(row: Location | Address | Schedule, **values: Any) -> None:
    """Create the row, or save only the fields whose value differs; an unchanged row is left."""
    fields = [name for name, value in values.items() if getattr(row, name) != value]
    for name in fields:
        setattr(row, name, values[name])
    if row._state.adding:
        row.full_clean()
        row.save()
    elif fields:
        row.full_clean()
        row.save(update_fields=[*fields, "updated_at"])


def _schedule_values(session: OpeningSession) -> dict[str, Any]:
    """A session as HSDS schedule fields (iCalendar RRULE parts; see `REPEATS`)."""
    repeat, days = session["repeat"], session["days"]
    ordinal = MONTHLY_ORDINALS.get(repeat)
    return {
        "freq": Schedule.Freq.MONTHLY if ordinal else Schedule.Freq.WEEKLY,
        "interval": 2 if repeat == "fortnightly" else 1,
        "byday": ",".join(f"{ordinal}{day}" if ordinal else day for day in days),
        "dtstart": dt.date.fromisoformat(session["starts_on"]) if repeat == "fortnightly" else None,
        "opens_at": dt.time.fromisoformat(session["opens"]),
        "closes_at": dt.time.fromisoformat(session["closes"]),
    }


def _opening_times_set(*, service: Service, data: ListingData, schedules: list[Schedule]) -> None:
    """Make the editable schedules match the sessions: a session that came from a schedule
    updates it (only what differs, so its notes, place and id stay); a new session is a new
    schedule of the service; an editable schedule with no session left is deleted. Rules the
    editor cannot show (`session_of_schedule` is None) are left alone."""
    editable = {str(s.pk): s for s in schedules if session_of_schedule(s) is not None}
    kept: set[str] = set()
    for session in opening_sessions(data):
        schedule = editable.get(session["id"])
        if schedule is None:
            _save_if_changed(Schedule(service=service), **_schedule_values(session))
            continue
        kept.add(session["id"])
        current = session_of_schedule(schedule)
        assert current is not None  # noqa: S101 - editable ones only
        if current == session:
            continue
        values = _schedule_values(session)
        if current["days"] == session["days"] and current["repeat"] == session["repeat"]:
            values.pop("byday")  # the same days, perhaps written in another order: keep them
        if current["repeat"] == session["repeat"]:
            values.pop("interval")  # blank and 1 mean the same
        _save_if_changed(schedule, **values)
    Schedule.objects.filter(pk__in=[pk for pk in editable if pk not in kept]).delete()


def _languages_set(*, service: Service, names: list[str]) -> None:
    """Keep the languages still listed (matched by name or code, any case), delete the others
    and add the new ones, so a language's stored name and code survive an edit elsewhere."""
    wanted = {name.lower(): name for name in names}
    for language in service.languages.all():
        shown = (language.name or language.code).lower()
        if shown in wanted:
            wanted.pop(shown)
        else:
            language.delete()
    Language.objects.bulk_create(
        Language(service=service, name=name, code=LANGUAGE_CODES.get(name.lower(), ""))
        for name in wanted.values()
    )
