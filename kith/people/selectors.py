"""Reads about people and the audit trail of their record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Case, When

from kith.audit.models import AuditEvent, about_person_q
from kith.people.models import PendingContact, Person

if TYPE_CHECKING:
    pass


def person_audit_events(*, person: Person) -> list[AuditEvent]:
    """Every audit event about the person, newest first: theirs alone, and those listing them
    among others (each view of a huddle board that showed them)."""
    events = AuditEvent.objects.filter(about_person_q(person.id)).defer("person_ids")
    return list(events.order_by("-at", "id"))


def person_access_by_others(*, person: Person) -> list[AuditEvent]:
    """Events where someone other than the person read or changed their data, newest first."""
    return [
        event
        for event in person_audit_events(person=person)
        if not (
            event.actor_type == AuditEvent.ActorType.PERSON and event.actor_id == str(person.id)
        )
    ]


def person_by_proved_contact(*, email: str = "", phone: str = "") -> tuple[Person | None, str]:
    """The open account that proved `email` or `phone` (a UK number as +44...), and which of
    the two it proved: ("email" or "phone"). Only a proved contact counts (`email_verified_at`,
    `phone_verified_at`): one only typed, or waiting for its code, never does. When several
    accounts proved it, the first to; when the email and the phone point to different people,
    nobody (None, ""): never a guess. Used by easy back in (`involvement_return`)."""
    people = Person.objects.filter(closed_at__isnull=True).order_by("created_at", "id")
    by_email = (
        people.filter(email__iexact=email.strip(), email_verified_at__isnull=False).first()
        if email.strip()
        else None
    )
    by_phone = (
        people.filter(phone=phone.strip(), phone_verified_at__isnull=False).first()
        if phone.strip()
        else None
    )
    if by_email is not None and by_phone is not None and by_email.pk != by_phone.pk:
        return None, ""
    if by_email is not None:
        return by_email, "email"
    if by_phone is not None:
        return by_phone, "phone"
    return None, ""


def pending_contact_for_person(*, person: Person) -> PendingContact | None:
    """The new contact waiting for its code that the person should confirm next (an email
    address before a mobile number), or None. One whose code has expired still counts, so the
    person is told the code expired rather than sent away; saving the form again replaces it."""
    waiting = PendingContact.objects.filter(person=person)
    return waiting.order_by(
        Case(When(kind=PendingContact.Kind.EMAIL, then=0), default=1), "created_at"
    ).first()
