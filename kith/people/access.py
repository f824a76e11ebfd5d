"""Who is asking: the signed-in member of the public, if any. Interfaces read people through here."""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from kith.people.models import Person

SESSION_KEY = "person_id"


def current_person(request: HttpRequest) -> Person | None:
    """The signed-in person from the session, or None (also for a closed account)."""
    raw = request.session.get(SESSION_KEY)
    if not raw:
        return None
    try:
        person_id = uuid.UUID(str(raw))
    except ValueError:
        return None
    return Person.objects.filter(id=person_id, closed_at__isnull=True).first()
