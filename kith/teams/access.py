"""The door to the team workspace: a signed-in member of staff with a second factor and an
active membership, or nobody."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from kith.core.second_factor import is_verified
from kith.teams.models import TeamMember
from kith.teams.selectors import member_active_for_user

View = Callable[..., HttpResponse]


def member_for_request(request: HttpRequest) -> TeamMember:
    """The signed-in member of staff's active team membership. Http404 for anyone else, and for
    a session without its second factor (the middleware sends those to it first; this is the
    second lock on the same door)."""
    if not is_verified(request.user):
        raise Http404("Not signed in with a second factor")
    member = member_active_for_user(request.user)
    if member is None:
        raise Http404("Not a member of a team")
    return member


def member_required(view: View) -> View:
    """Signed-out visitors (members of the public included) go to the staff sign-in; a signed-in
    user who is not an active team member gets "page not found". Pages are never cached."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = member_for_request(request)
        response = view(request, member, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped
