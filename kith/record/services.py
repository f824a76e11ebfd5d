"""Writes that take in the person's whole record: downloading it (readable, JSON, FHIR) and
closing their account. They sit above every app whose data the record holds."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kith.asks import selectors as ask_selectors
from kith.asks import services as ask_services
from kith.audit.events import Action, Purpose
from kith.audit.services import audit
from kith.care.consent import consents_end_for_person, consents_for_person
from kith.care.models import Involvement, Plan, SafetyPlan, SafetyPlanSection
from kith.care.presenters import written_by_for_person
from kith.care.selectors import notes_for_person, plans_for_person, safety_plans_for_person
from kith.people.models import PendingContact, Person, SignInToken
from kith.people.selectors import person_audit_events
from kith.record.fhir import person_bundle


def _plan_export(plan: Plan) -> dict[str, Any]:
    return {
        "team": plan.involvement.team.name,
        "what_matters_to_me": plan.what_matters,
        "goals": [
            {
                "goal": goal.text,
                "part_of_life": goal.get_domain_display(),
                "progress": [
                    {"on": progress.recorded_on.isoformat(), "out_of_10": progress.score}
                    for progress in goal.progress.all()
                ],
            }
            for goal in plan.goals.all()
        ],
        "steps": [
            {
                "step": step.text,
                "who": step.get_who_display(),
                "by": step.due_on.isoformat() if step.due_on else None,
                "done_at": step.done_at.isoformat() if step.done_at else None,
            }
            for step in plan.steps.all()
        ],
    }


def _safety_plan_export(involvement: Involvement, safety_plan: SafetyPlan) -> dict[str, Any]:
    """Every section in order, written or not, with who last wrote it ("you", or the member of
    staff by name and role)."""
    entries = {entry.section: entry for entry in safety_plan.entries.all()}
    sections = []
    for section in SafetyPlanSection:
        entry = entries.get(section.value)
        sections.append(
            {
                "section": section.value,
                "heading": str(section.label),
                "text": entry.text if entry else "",
                "written_by": written_by_for_person(entry) if entry else "",
                "written_at": entry.updated_at.isoformat() if entry else None,
            }
        )
    return {
        "team": involvement.team.name,
        "created_at": safety_plan.created_at.isoformat(),
        "updated_at": safety_plan.updated_at.isoformat(),
        "sections": sections,
    }


def _export_audited(person: Person, *, purpose: Purpose) -> None:
    """A download of the person's own record, in their audit log."""
    audit(person, person, action=Action.EXPORT, purpose=purpose)


def person_export_fhir(*, person: Person) -> dict[str, Any]:
    """The person's own record as an HL7 FHIR R4B Bundle. Recorded in the audit log."""
    _export_audited(person, purpose=Purpose.DOWNLOAD_FHIR)
    return person_bundle(person=person)


def person_export(*, person: Person) -> dict[str, Any]:
    """Everything Kith holds about the person, JSON-ready. Recorded in the audit log."""
    _export_audited(person, purpose=Purpose.DOWNLOAD)
    return {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": str(person.id),
            "display_name": person.display_name,
            "email": person.email,
            "phone": person.phone,
            "preferred_contact": person.preferred_contact,
            "created_at": person.created_at.isoformat(),
            "updated_at": person.updated_at.isoformat(),
        },
        "asks": ask_selectors.ask_export_for_person(person),
        "sharing": [
            {
                "id": str(consent.pk),
                "team": consent.team.name,
                "withheld_from_organisation": consent.withheld_organisation_name,
                "how": consent.how_given,
                "ask_reference": consent.ask.reference if consent.ask else "",
                "given_at": consent.given_at.isoformat(),
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in consents_for_person(person=person)
        ],
        "notes_from_the_team": [
            {
                "team": note.involvement.team.name,
                "by": note.author.display_name,
                "role": note.author.get_role_display(),
                "organisation": note.author.organisation_name,
                "at": note.created_at.isoformat(),
                "text": note.text,
            }
            for note in notes_for_person(person)
        ],
        "plans": [_plan_export(plan) for plan in plans_for_person(person)],
        "safety_plans": [
            _safety_plan_export(entry.involvement, entry.safety_plan)
            for entry in safety_plans_for_person(person=person)
            if entry.safety_plan is not None
        ],
        "measures": [
            {
                "measure": response.code,
                "completed_at": response.completed_at.isoformat(),
                "completed_by": response.completed_by,
                "answers": response.answers,
                "score": response.score,
            }
            for response in person.measure_responses.order_by("completed_at", "id")
        ],
        "audit_log": [
            {
                "at": event.at.isoformat(),
                "actor_type": event.actor_type,
                "actor_id": event.actor_id,
                "action": event.action,
                "subject_type": event.subject_type,
                "subject_id": event.subject_id,
                "purpose": event.purpose,
                "outcome": event.outcome,
            }
            for event in person_audit_events(person=person)
        ],
    }


def person_close(*, person: Person) -> list[str]:
    """Close the account: erase what is the person's alone; say what is kept and why."""
    with transaction.atomic():
        kept = ask_services.asks_erase_for_person(person=person)
        consents_end_for_person(person=person)
        SignInToken.objects.filter(person=person).delete()
        PendingContact.objects.filter(person=person).delete()
        contacts = [c for c in (person.email, person.phone) if c]
        if contacts:
            SignInToken.objects.filter(contact__in=contacts).delete()
        person.display_name = ""
        person.email = ""
        person.phone = ""
        person.email_verified_at = None
        person.phone_verified_at = None
        person.preferred_contact = Person.PreferredContact.NONE
        person.closed_at = timezone.now()
        person.save()
        audit(person, person, action=Action.ERASE, purpose=Purpose.CLOSE_ACCOUNT)
    return [
        *kept,
        "We keep a log of who looked at or changed your record, and of which teams you shared "
        "it with and when. It holds no names, contact details or words you wrote, and shows "
        "that your record was handled properly.",
    ]
