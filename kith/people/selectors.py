"""Reads about people and the audit trail of their record."""

from __future__ import annotations

from kith.audit.models import AuditEvent
from kith.people.models import Person


def person_audit_events(*, person: Person) -> list[AuditEvent]:
    """Every audit event about the person, newest first."""
    return list(AuditEvent.objects.filter(person_id=person.id).order_by("-at", "id"))


def person_access_by_others(*, person: Person) -> list[AuditEvent]:
    """Events where someone other than the person read or changed their data, newest first."""
    return [
        event
        for event in person_audit_events(person=person)
        if not (
            event.actor_type == AuditEvent.ActorType.PERSON and event.actor_id == str(person.id)
        )
    ]
