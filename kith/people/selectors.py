"""Reads about people and the audit trail of their record."""

from __future__ import annotations

from django.db.models import Case, When

from kith.audit.models import AuditEvent, about_person_q
from kith.people.models import PendingContact, Person


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


def staff_names_for_events(events: list[AuditEvent]) -> dict[str, str]:
    """Who each member of staff in `events` is, as the person may see them: name, role,
    organisation and team (one query). Actors who are not team members are left out."""
    from kith.care.models import TeamMember

    ids = {e.actor_id for e in events if e.actor_type == AuditEvent.ActorType.STAFF and e.actor_id}
    user_ids = [int(actor_id) for actor_id in ids if actor_id.isdigit()]
    names: dict[str, str] = {}
    members = TeamMember.objects.filter(user_id__in=user_ids).select_related("team")
    for member in members.order_by("-is_active", "created_at"):
        names.setdefault(
            str(member.user_id),
            f"{member.display_name}, {member.get_role_display()}, "
            f"{member.organisation_name} ({member.team.name})",
        )
    return names


def pending_contact_for_person(*, person: Person) -> PendingContact | None:
    """The new contact waiting for its code that the person should confirm next (an email
    address before a mobile number), or None. One whose code has expired still counts, so the
    person is told the code expired rather than sent away; saving the form again replaces it."""
    waiting = PendingContact.objects.filter(person=person)
    return waiting.order_by(
        Case(When(kind=PendingContact.Kind.EMAIL, then=0), default=1), "created_at"
    ).first()
