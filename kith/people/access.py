"""Who is asking: the signed-in member of the public, if any. Interfaces read people through here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kith.people.models import Person

SESSION_KEY = "person_id"
View = Callable[..., HttpResponse]


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


def person_required(view: View) -> View:
    """Signed-out visitors go to sign in; the view gets the person. Pages are never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = current_person(request)
        if person is None:
            return redirect("people:sign_in")
        response = view(request, person, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper
