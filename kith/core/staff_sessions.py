"""Staff sessions: when each began, when it was last used, and ending them.

Contract:

- Every sign-in of a Django user goes through `django.contrib.auth.login` (the staff sign-in
  page, the Django admin's, a test client's `force_login`), whose `user_logged_in` signal calls
  `staff_session_start`: the session gets its start and last-used times and a `StaffSession` row
  naming its key. This is a signal, unlike the rest of Kith, because it must catch every way in
  and nobody can forget it.
- `staff_session_problem` says why a staff session must end now: unused for
  `KITH_STAFF_IDLE_MINUTES`, signed in more than `KITH_STAFF_SESSION_HOURS` ago, or ended
  elsewhere (its row is gone). `kith.core.middleware.StaffSessionMiddleware` asks on every request
  and signs the session out with `staff_session_sign_out`, which is audited.
- `staff_sessions_end(user=...)` ends every session of one member of staff at once: it deletes
  the sessions through the session engine (whatever stores them) and their rows, so even a
  session whose key changed since is signed out on its next request.
- Members of the public (`kith.people`) are not Django users: nothing here touches them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kith.audit.events import Action, Purpose, SubjectType
from kith.audit.services import SYSTEM, audit
from kith.core.models import StaffSession

SIGNED_IN_AT = "kith_staff_signed_in_at"
SEEN_AT = "kith_staff_seen_at"
STAFF_SESSION_ID = "kith_staff_session_id"
# Saving the session on every request only to say it was used would be a write per page.
SEEN_RESOLUTION_SECONDS = 60


class EndReason(StrEnum):
    IDLE = "idle"
    TOO_LONG = "too-long"
    ENDED = "ended"
    INACTIVE = "inactive"


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.KITH_STAFF_IDLE_MINUTES)


def session_limit() -> dt.timedelta:
    return dt.timedelta(hours=settings.KITH_STAFF_SESSION_HOURS)


def end_message(reason: EndReason) -> str:
    """What the sign-in page tells someone who was signed out, and what to do."""
    if reason == EndReason.IDLE:
        minutes = settings.KITH_STAFF_IDLE_MINUTES
        return ngettext(
            "You were signed out because you had not used Kith for %(count)d minute. "
            "Sign in again to carry on.",
            "You were signed out because you had not used Kith for %(count)d minutes. "
            "Sign in again to carry on.",
            minutes,
        ) % {"count": minutes}
    if reason == EndReason.TOO_LONG:
        hours = settings.KITH_STAFF_SESSION_HOURS
        return ngettext(
            "You were signed out because you signed in more than %(count)d hour ago. "
            "Sign in again to carry on.",
            "You were signed out because you signed in more than %(count)d hours ago. "
            "Sign in again to carry on.",
            hours,
        ) % {"count": hours}
    if reason == EndReason.ENDED:
        return _(
            "You were signed out because your session was ended, for example when your team "
            "membership changed. If you think this is wrong, ask your team lead."
        )
    return _(
        "You were signed out because your account is no longer active. If you think this is "
        "wrong, ask the person who runs Kith in your organisation."
    )


def staff_session_start(*, request: HttpRequest, user: AbstractBaseUser) -> StaffSession:
    """Record a new signed-in session of `user` (called by the `user_logged_in` signal)."""
    now = timezone.now()
    # Rows of sessions the time limit has ended already: nothing can use them any more.
    StaffSession.objects.filter(user_id=user.pk, signed_in_at__lt=now - session_limit()).delete()
    row = StaffSession.objects.create(
        user_id=user.pk, session_key=request.session.session_key or "", signed_in_at=now
    )
    request.session[SIGNED_IN_AT] = now.timestamp()
    request.session[SEEN_AT] = now.timestamp()
    request.session[STAFF_SESSION_ID] = str(row.pk)
    # The stored session outlives the idle limit by as much again, so the sign-in page can still
    # say why someone was signed out; after that it is gone from the server too.
    request.session.set_expiry(int(2 * idle_limit().total_seconds()))
    return row


def staff_session_finish(*, request: HttpRequest) -> None:
    """Forget the row of a session that is signing out (the `user_logged_out` signal)."""
    row_id = _row_id(request.session.get(STAFF_SESSION_ID))
    if row_id is not None:
        StaffSession.objects.filter(pk=row_id).delete()


def staff_session_problem(request: HttpRequest) -> EndReason | None:
    """Why the signed-in staff session of `request` must end now, or None. Notes the use."""
    session = request.session
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    row_id = _row_id(session.get(STAFF_SESSION_ID))
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        return EndReason.ENDED  # a session from before these rules: sign in again
    now = timezone.now().timestamp()
    if now - signed_in_at > session_limit().total_seconds():
        return EndReason.TOO_LONG
    if now - seen_at > idle_limit().total_seconds():
        return EndReason.IDLE
    user_id = request.user.pk
    if (
        row_id is None
        or user_id is None
        or not StaffSession.objects.filter(pk=row_id, user_id=user_id).exists()
    ):
        return EndReason.ENDED
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return None


def staff_session_is_fresh(request: HttpRequest, *, within: dt.timedelta) -> bool:
    """Whether the password sign-in of this session was less than `within` ago."""
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return False
    return timezone.now().timestamp() - signed_in_at <= within.total_seconds()


def staff_session_sign_out(*, request: HttpRequest, reason: EndReason) -> None:
    """Sign the session out because of `reason`, and record that in the audit log."""
    user_id = str(request.session.get(AUTH_SESSION_KEY, ""))
    audit(
        SYSTEM,
        (SubjectType.USER, user_id[:64]),
        action=Action.SIGN_OUT,
        purpose=Purpose(f"staff-session-{reason}"),
    )
    logout(request)


def staff_sessions_end(*, user: AbstractBaseUser) -> int:
    """End every signed-in session of `user` now. Returns how many there were."""
    rows = list(StaffSession.objects.filter(user_id=user.pk).values_list("pk", "session_key"))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for _pk, session_key in rows:
        if session_key:
            store().delete(session_key)
    StaffSession.objects.filter(pk__in=[pk for pk, _key in rows]).delete()
    return len(rows)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        staff_session_start(request=request, user=user)


def on_user_logged_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        staff_session_finish(request=request)


def _row_id(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
