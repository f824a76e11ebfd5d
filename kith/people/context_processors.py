"""What every page needs to know about the person: where "Your record" in the header goes."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from kith.people.access import SESSION_KEY


def record_link(request: HttpRequest) -> dict[str, object]:
    """Where the header's "Your record" goes: the record when someone is signed in, else signing
    in. Read from the session alone (no query): a closed account or an ended session goes on to
    sign in."""
    session = getattr(request, "session", None)
    is_signed_in = bool(session is not None and session.get(SESSION_KEY))
    return {
        "record_href": reverse("people:record" if is_signed_in else "people:sign_in"),
        "is_person_signed_in": is_signed_in,
    }
