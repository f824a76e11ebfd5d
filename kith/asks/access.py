"""The only way a view gets at an ask for someone: their own, or a 404 (existence never leaks)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest

from kith.asks.models import Ask
from kith.asks.selectors import ask_for_person
from kith.people.access import current_person


def access_own_ask(request: HttpRequest, ask_id: UUID) -> Ask:
    """The signed-in person's own ask. Raises Http404 for anyone else's, or when signed out."""
    person = current_person(request)
    if person is None:
        raise Http404("Not signed in")
    ask = ask_for_person(ask_id=ask_id, person=person)
    if ask is None:
        raise Http404("No such ask for this person")
    return ask
