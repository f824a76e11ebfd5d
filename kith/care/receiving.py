"""Receiving an ask, owned by the team side: whichever way it came (the web journey, the API,
a measure that flagged risk), the asks app screens, routes and saves it, then tells us
(`kith.asks.signals`) and this brings a returning person back to the team and worker they
know and shares their record with the team the ask is with."""

from __future__ import annotations

import uuid
from typing import Any

from kith.asks.models import Ask
from kith.care.consent import consent_share_by_asking
from kith.care.services import involvement_return, involvements_claim
from kith.people.models import Person


def ask_receive(sender: type[Ask], *, ask: Ask, person: Person | None, **kwargs: Any) -> None:
    """Easy back in: a returning person (signed in, or known by a contact they have proved)
    goes back to their team and worker; a signed-in person's asking shares their record with
    the team the ask ends up with."""
    involvement_return(ask=ask)
    if person is not None:
        consent_share_by_asking(ask=ask)


def asks_claimed_receive(
    sender: type[Ask], *, person: Person, ask_ids: list[uuid.UUID], **kwargs: Any
) -> None:
    """Asks claimed at sign-in: the team's work on them becomes the person's to see, an ask
    nobody has picked up yet goes back to the team and worker they know, and asking counts as
    sharing with the team each ask is now with (unless they stopped sharing with it after
    asking: their later choice stands)."""
    involvements_claim(person=person, ask_ids=ask_ids)
    for ask in Ask.objects.filter(pk__in=ask_ids, person=person).order_by("created_at", "id"):
        consent_share_by_asking(ask=ask)
