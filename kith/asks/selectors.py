"""Reads for asks: a person's own asks, their export, the crisis options, suggestions."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING
from uuid import UUID

from kith.asks.models import Ask, CrisisNeed, CrisisOption
from kith.core.errors import ApplicationError
from kith.directory.geo import postcode_location
from kith.directory.search import SearchHit, SearchQuery, search_services
from kith.teams.models import Team
from kith.teams.selectors import team_covering, team_for_place

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


def team_covering_postcode(*, postcode: str) -> Team | None:
    """The team that covers the postcode (`kith.teams.selectors.team_covering`: its district,
    then the team whose area holds the postcode's centre, or its district's when only the
    district is known). None when no team covers it, or no postcode was given."""
    return team_covering(district=_district(postcode), point=partial(_point, postcode))


def team_for_postcode(*, postcode: str) -> Team | None:
    """The team covering the postcode, else the default team (None if there is none). A
    postcode that is malformed, not in the postcode table or covered by no team goes to the
    default team: routing never refuses an ask."""
    return team_for_place(district=_district(postcode), point=partial(_point, postcode))


def _district(postcode: str) -> str:
    return postcode.split(" ")[0].upper() if postcode else ""


def _point(postcode: str) -> tuple[float, float] | None:
    try:
        return postcode_location(postcode)
    except ApplicationError:
        return None


def crisis_options(needs: Iterable[str] = ()) -> list[CrisisOption]:
    """The lines for everyone, with the lines for these needs (`CrisisNeed` codes) in their
    place, in order; `kith.asks.crisis.crisis_needs` says which needs an ask or a search has."""
    return list(
        CrisisOption.objects.filter(
            is_active=True, need__in=[CrisisNeed.EVERYONE, *needs]
        ).order_by("order", "name")
    )


@dataclass(frozen=True)
class Suggestions:
    hits: list[SearchHit]


def suggestions_for(*, words: str, postcode: str) -> Suggestions:
    """Support near them that fits what they wrote (crisis support near them, for an urgent ask,
    comes from `kith.asks.crisis.crisis_nearby`: open now, and matched to the need).

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
    except Exception:  # never lose the confirmation over a suggestion
        logger.exception("Suggestions for an ask failed")
        return Suggestions(hits=[])
    return Suggestions(hits=hits)


def ask_by_reference_and_contact(reference: str, contact: str) -> Ask | None:
    """The ask with this reference (as `kith.asks.services.reference_normalise` writes it)
    whose email or phone is `contact` (normalised: an email address, or a UK number as
    +447...). None when either does not match."""
    ask = Ask.objects.filter(reference=reference.strip(), restricted_at__isnull=True).first()
    if ask is None or not contact:
        return None
    if "@" in contact:
        return ask if ask.contact_email.lower() == contact.strip().lower() else None
    return ask if ask.contact_phone == contact.strip() else None
