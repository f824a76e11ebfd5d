"""How the asks app answers what accounts below it tell it (`kith.people.signals`)."""

from __future__ import annotations

from typing import Any

from kith.asks.services import asks_claim_for_person
from kith.people.models import Person


def asks_claim_on_contact_proved(
    sender: type[Person], *, person: Person, kind: str, contact: str, **kwargs: Any
) -> None:
    """A contact the person has just proved brings them the asks made with it."""
    if kind == "email":
        asks_claim_for_person(person=person, email=contact)
    else:
        asks_claim_for_person(person=person, phone=contact)
