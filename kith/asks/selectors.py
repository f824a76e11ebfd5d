"""Reads for asks: a person's own asks, their export, the crisis options, suggestions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from kith.asks.models import Ask, CrisisOption
from kith.core.errors import ApplicationError
from kith.directory.geo import postcode_location
from kith.directory.search import SearchHit, SearchQuery, search_services

if TYPE_CHECKING:
    from kith.people.models import Person

logger = logging.getLogger(__name__)

SUGGESTION_COUNT = 3
SUGGESTION_RADIUS_M = 5000.0


def asks_for_person(person: Person) -> list[Ask]:
    """Newest first, with their notes; asks restricted after erasure are never shown."""
    return list(
        Ask.objects.filter(person=person, restricted_at__isnull=True)
        .select_related("team")
        .prefetch_related("notes")
        .order_by("-created_at", "-id")
    )


def ask_for_person(*, ask_id: UUID, person: Person) -> Ask | None:
    return (
        Ask.objects.filter(pk=ask_id, person=person, restricted_at__isnull=True)
        .select_related("team")
        .prefetch_related("notes")
        .first()
    )


def ask_by_id(*, ask_id: UUID) -> Ask | None:
    """For the confirmation page only: the view checks the ask was sent from this browser."""
    return Ask.objects.select_related("team").filter(pk=ask_id).first()


def ask_export_for_person(person: Person) -> list[dict[str, object]]:
    """Everything Kith holds in their asks, JSON-ready (screening phrase ids are not theirs)."""
    return [
        {
            "id": str(ask.pk),
            "reference": ask.reference,
            "created_at": ask.created_at.isoformat(),
            "status": ask.status,
            "what_is_happening": ask.text,
            "what_would_help": ask.what_would_help,
            "what_matters": ask.what_matters,
            "contact_method": ask.contact_method,
            "contact_phone": ask.contact_phone,
            "contact_email": ask.contact_email,
            "contact_times": ask.contact_times,
            "language": ask.language,
            "needs_interpreter": ask.needs_interpreter,
            "access_needs": ask.access_needs,
            "age_band": ask.age_band,
            "sex": ask.sex,
            "gender_identity": ask.gender_identity,
            "ethnicity": ask.ethnicity,
            "postcode": ask.postcode,
            "team": ask.team.name if ask.team else None,
            "respond_by_at": ask.respond_by_at.isoformat() if ask.respond_by_at else None,
            "flagged_urgent": ask.is_urgent,
            "withdrawn_at": ask.withdrawn_at.isoformat() if ask.withdrawn_at else None,
            "notes": [
                {"created_at": note.created_at.isoformat(), "text": note.text}
                for note in ask.notes.all()
            ],
        }
        for ask in asks_for_person(person)
    ]


def crisis_options() -> list[CrisisOption]:
    return list(CrisisOption.objects.filter(is_active=True).order_by("order", "name"))


@dataclass(frozen=True)
class Suggestions:
    hits: list[SearchHit]
    local_crisis: list[SearchHit]


def suggestions_for(*, words: str, postcode: str, is_urgent: bool) -> Suggestions:
    """Support near them that fits what they wrote; local crisis services when urgent.

    Suggestions are a bonus: if the directory cannot answer, the person gets none, never an error.
    """
    point: tuple[float, float] | None = None
    if postcode:
        try:
            point = postcode_location(postcode)
        except ApplicationError:
            point = None
    near = {"latitude": point[0], "longitude": point[1]} if point else {}
    try:
        hits = search_services(
            SearchQuery(text=words[:300], per_page=SUGGESTION_COUNT, **near)  # type: ignore[arg-type]
        ).hits
        local = (
            search_services(
                SearchQuery(
                    support_types=("crisis",),
                    per_page=SUGGESTION_COUNT,
                    radius_m=SUGGESTION_RADIUS_M if point else None,
                    **near,  # type: ignore[arg-type]
                )
            ).hits
            if is_urgent
            else []
        )
    except Exception:  # never lose the confirmation over a suggestion
        logger.exception("Suggestions for an ask failed")
        return Suggestions(hits=[], local_crisis=[])
    return Suggestions(hits=hits, local_crisis=local)


def ask_by_reference_and_contact(reference: str, contact: str) -> Ask | None:
    """The ask with this reference whose email or phone is `contact` (normalised: an email
    address, or a UK number as +447...). None when either does not match.

    Added by the PEOPLE engineer as a working stub for "come back with your reference".
    """
    ask = Ask.objects.filter(
        reference__iexact=reference.strip(), restricted_at__isnull=True
    ).first()
    if ask is None or not contact:
        return None
    if "@" in contact:
        return ask if ask.contact_email.lower() == contact.strip().lower() else None
    return ask if ask.contact_phone == contact.strip() else None
