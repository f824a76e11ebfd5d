"""Response headers every page needs (a locked-down permissions policy; the content security
policy is Django's, SECURE_CSP in settings), and the rules every staff session follows
(`StaffSessionMiddleware`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from kith.core.second_factor import is_verified
from kith.core.staff_sessions import (
    EndReason,
    end_message,
    staff_session_problem,
    staff_session_sign_out,
)

# Staff pages anyone signed in with a password may open before their second factor.
BEFORE_SECOND_FACTOR = frozenset(
    {"core:sign_in", "core:sign_in_code", "core:sign_in_set_up", "core:sign_out"}
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()"
        )
        return response


def is_staff_path(path: str) -> bool:
    return path.startswith(tuple(settings.KITH_STAFF_PATH_PREFIXES))


class StaffSessionMiddleware:
    """The one place staff security is enforced, so no view can forget it.

    - A signed-in Django user's session ends when it has been idle too long, is too old, was
      ended elsewhere (deactivation), or the account is no longer active. On a staff page they
      are sent to sign in with a message saying why; elsewhere they simply carry on signed out.
    - Every staff page (`KITH_STAFF_PATH_PREFIXES`) except signing in and out needs a verified
      second factor; someone with only a password is sent to the second-factor page, and on.
    - Members of the public are not Django users: their requests pass straight through, and the
      JSON API and public pages never redirect.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        ended = self._end_if_due(request)
        if ended is not None:
            return ended
        return self.get_response(request)

    def _end_if_due(self, request: HttpRequest) -> HttpResponseBase | None:
        if request.user.is_authenticated:
            reason = staff_session_problem(request)
        elif AUTH_SESSION_KEY in request.session:
            reason = EndReason.INACTIVE  # signed in, but the account was deactivated or removed
        else:
            return None  # nobody signed in, or a member of the public
        if reason is None:
            return None
        staff_session_sign_out(request=request, reason=reason)
        if not is_staff_path(request.path_info):
            return None
        messages.info(request, end_message(reason))
        return redirect_to_login(request.get_full_path())

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        if not is_staff_path(request.path_info):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in BEFORE_SECOND_FACTOR:
            return None
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None  # signed out: the page itself sends them to sign in
        query = {"next": request.get_full_path()} if request.method == "GET" else {}
        url = reverse("core:sign_in_code")
        return HttpResponseRedirect(f"{url}?{urlencode(query)}" if query else url)
