"""People's sessions: when each began, when it was last used, and ending them.

Contract:

- Signing in (`kith.record.views`) calls `person_session_start`: the session notes when it
  began, when it was last used and whether the person chose "Keep me signed in on this device".
- Without that choice a session ends after `KITH_PERSON_IDLE_MINUTES` (30) without a request and
  `KITH_PERSON_SESSION_HOURS` (12) after signing in, however busy: phones are often shared, and
  the record is about someone's mental health. With it, the idle limit is
  `KITH_PERSON_REMEMBER_IDLE_DAYS` (14) and the absolute one `KITH_PERSON_REMEMBER_SESSION_DAYS`
  (30): long enough to come back over a fortnight, short enough that a forgotten phone does not
  stay signed in for good.
- `PersonSessionMiddleware` asks on every request. A session past a limit loses the person (and
  gets a new key); on a page of their record (`/my/`) they are sent to sign in, elsewhere they
  carry on signed out. Either way the people's sign-in page says why, once.
- A signed-in session from before these rules (no times in it) starts its clock at its next
  request: such sessions are at most 14 days old, and now end like any other.
- Staff sessions are `kith.core.staff_sessions`; nothing here touches them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import ngettext

from kith.people.access import SESSION_KEY

SIGNED_IN_AT = "kith_person_signed_in_at"
SEEN_AT = "kith_person_seen_at"
REMEMBER = "kith_person_remember"
SIGNED_OUT = "kith_person_signed_out"
# Saving the session on every request only to say it was used would be a write per page.
SEEN_RESOLUTION_SECONDS = 60
RECORD_PATH_PREFIX = "/my/"


class EndReason(StrEnum):
    IDLE = "idle"
    TOO_LONG = "too-long"


def idle_limit(*, remember: bool) -> dt.timedelta:
    if remember:
        return dt.timedelta(days=settings.KITH_PERSON_REMEMBER_IDLE_DAYS)
    return dt.timedelta(minutes=settings.KITH_PERSON_IDLE_MINUTES)


def session_limit(*, remember: bool) -> dt.timedelta:
    if remember:
        return dt.timedelta(days=settings.KITH_PERSON_REMEMBER_SESSION_DAYS)
    return dt.timedelta(hours=settings.KITH_PERSON_SESSION_HOURS)


def person_session_start(*, request: HttpRequest, remember: bool) -> None:
    """Note a person's new signed-in session (the caller has set who, on a fresh key)."""
    now = timezone.now().timestamp()
    session = request.session
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session[REMEMBER] = remember
    session.pop(SIGNED_OUT, None)
    _expire_stored_session(request, remember=remember)


def _expire_stored_session(request: HttpRequest, *, remember: bool) -> None:
    # The stored session (and its cookie) outlives the idle limit by as much again, so the
    # sign-in page can still say why someone was signed out; after that it is gone. Renewed
    # whenever the session is saved, so at least every SEEN_RESOLUTION_SECONDS of use.
    request.session.set_expiry(int(2 * idle_limit(remember=remember).total_seconds()))


def person_session_problem(request: HttpRequest) -> EndReason | None:
    """Why the person's session of `request` must end now, or None. Notes the use."""
    session = request.session
    if not session.get(SESSION_KEY):
        return None
    remember = session.get(REMEMBER) is True
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    now = timezone.now().timestamp()
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        person_session_start(request=request, remember=False)  # from before these rules
        return None
    if now - signed_in_at > session_limit(remember=remember).total_seconds():
        return EndReason.TOO_LONG
    if now - seen_at > idle_limit(remember=remember).total_seconds():
        return EndReason.IDLE
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
        _expire_stored_session(request, remember=remember)
    return None


def person_session_sign_out(*, request: HttpRequest, reason: EndReason) -> None:
    """Sign the person out of this session because of `reason`, keeping why for the sign-in
    page. Anything else in the session (a staff sign-in in the same browser) stays."""
    session = request.session
    remember = session.get(REMEMBER) is True
    for key in (SESSION_KEY, SIGNED_IN_AT, SEEN_AT, REMEMBER):
        session.pop(key, None)
    session[SIGNED_OUT] = {"reason": str(reason), "remember": remember}
    session.cycle_key()


def person_session_end_message(request: HttpRequest) -> str | None:
    """Why the person was signed out, once: the sign-in page shows it and forgets it."""
    ended = request.session.pop(SIGNED_OUT, None)
    if not isinstance(ended, dict):
        return None
    remember = ended.get("remember") is True
    if ended.get("reason") == EndReason.IDLE:
        if remember:
            days = settings.KITH_PERSON_REMEMBER_IDLE_DAYS
            return ngettext(
                "You were signed out because you had not used Kith for %(count)d day. "
                "Sign in again to carry on.",
                "You were signed out because you had not used Kith for %(count)d days. "
                "Sign in again to carry on.",
                days,
            ) % {"count": days}
        minutes = settings.KITH_PERSON_IDLE_MINUTES
        return ngettext(
            "You were signed out because you had not used Kith for %(count)d minute. "
            "Sign in again to carry on.",
            "You were signed out because you had not used Kith for %(count)d minutes. "
            "Sign in again to carry on.",
            minutes,
        ) % {"count": minutes}
    if remember:
        days = settings.KITH_PERSON_REMEMBER_SESSION_DAYS
        return ngettext(
            "You were signed out because you signed in more than %(count)d day ago. "
            "Sign in again to carry on.",
            "You were signed out because you signed in more than %(count)d days ago. "
            "Sign in again to carry on.",
            days,
        ) % {"count": days}
    hours = settings.KITH_PERSON_SESSION_HOURS
    return ngettext(
        "You were signed out because you signed in more than %(count)d hour ago. "
        "Sign in again to carry on.",
        "You were signed out because you signed in more than %(count)d hours ago. "
        "Sign in again to carry on.",
        hours,
    ) % {"count": hours}


def remember_hint() -> str:
    """What "Keep me signed in on this device" means, with this deployment's limits."""
    return (
        ngettext(
            "You will stay signed in for up to %(days)d day",
            "You will stay signed in for up to %(days)d days",
            settings.KITH_PERSON_REMEMBER_SESSION_DAYS,
        )
        % {"days": settings.KITH_PERSON_REMEMBER_SESSION_DAYS}
        + ngettext(
            ", unless you do not use Kith for %(days)d day or you sign out. ",
            ", unless you do not use Kith for %(days)d days or you sign out. ",
            settings.KITH_PERSON_REMEMBER_IDLE_DAYS,
        )
        % {"days": settings.KITH_PERSON_REMEMBER_IDLE_DAYS}
        + "Do not tick this on a shared or public phone or computer: anyone who uses it after "
        "you could read your record. "
        + ngettext(
            "Without it, we sign you out after %(minutes)d minute without using Kith",
            "Without it, we sign you out after %(minutes)d minutes without using Kith",
            settings.KITH_PERSON_IDLE_MINUTES,
        )
        % {"minutes": settings.KITH_PERSON_IDLE_MINUTES}
        + ngettext(
            ", and after %(hours)d hour at most.",
            ", and after %(hours)d hours at most.",
            settings.KITH_PERSON_SESSION_HOURS,
        )
        % {"hours": settings.KITH_PERSON_SESSION_HOURS}
    )


class PersonSessionMiddleware:
    """The one place people's session limits are enforced, so no view can forget them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        reason = person_session_problem(request)
        if reason is not None:
            person_session_sign_out(request=request, reason=reason)
            if request.path_info.startswith(RECORD_PATH_PREFIX):
                return redirect("people:sign_in")
        return self.get_response(request)
