"""The second factor for staff: a 6-digit code from an authenticator app (TOTP, django-otp).

Contract:

- A member of staff is *verified* when their session holds a confirmed TOTP device that accepted
  a code in this session (django-otp's `user.is_verified()`). Staff pages need that
  (`kith.core.middleware.StaffSessionMiddleware`); a password alone reaches only the second-factor
  and set-up pages.
- Someone signed in with a password but without a confirmed device sets one up:
  `totp_device_pending` gives them one unconfirmed device (the same one until they confirm it,
  so the QR code does not change when the page reloads) and `totp_code_check` with
  `confirming=True` confirms it with a code from their app.
- A confirmed device is never replaced from here, so a password alone can never add a device.
  An administrator deletes a lost one in the Django admin ("TOTP devices") and the member sets
  up a new one at their next sign-in.
- Every code checked counts. A wrong code is a sign-in failure for django-axes, so wrong codes
  and wrong passwords for a username from one address lock out together; django-otp slows down
  repeated wrong codes; and a code, once accepted, is never accepted again (`TOTPDevice.last_t`).
- Being verified is audited and clears the lockout count for that username and address.
"""

from __future__ import annotations

from base64 import b32encode
from enum import StrEnum
from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from markupsafe import escape

from kith.audit.events import Action, Purpose, SubjectType
from kith.audit.services import Actor, audit

DEVICE_NAME = "Authenticator app"


class CodeResult(StrEnum):
    VERIFIED = "verified"
    WRONG = "wrong"
    WAIT = "wait"
    LOCKED_OUT = "locked-out"


def is_verified(user: Any) -> bool:
    """Signed in with a password and a second factor in this session."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and callable(check) and check())


def totp_device_confirmed(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("id").first()


def totp_device_pending(user: Any) -> TOTPDevice:
    """The unconfirmed device `user` is setting up (made the first time it is asked for)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_key_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def totp_qr_svg(device: TOTPDevice, *, label: str) -> str:
    """The device's otpauth:// address as an inline SVG QR code, named `label` for screen
    readers. The SVG is made by segno from our own values only, so it is safe to include."""
    svg: str = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", omitsize=False
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def totp_code_check(
    *, request: HttpRequest, device: TOTPDevice, code: str, confirming: bool = False
) -> CodeResult:
    """Check a code from the signed-in user's app against `device` and, when it is right, mark
    the session verified (confirming the device first if `confirming`)."""
    user = request.user
    username = user.get_username()
    credentials = {"username": username}
    if AxesProxyHandler.is_locked(request, credentials):
        return CodeResult.LOCKED_OUT
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user_id=user.pk)
        if locked.confirmed == confirming:
            return CodeResult.WRONG  # set-up of a confirmed device, or sign-in with a pending one
        allowed, _why = locked.verify_is_allowed()
        if not allowed:
            return CodeResult.WAIT
        is_right = locked.verify_token(code)
        if is_right and confirming:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
    if not is_right:
        # django-axes counts this like a wrong password, and may lock the pair out now.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return CodeResult.LOCKED_OUT
        return CodeResult.WRONG
    otp_login(request, locked)
    AxesProxyHandler.reset_attempts(
        ip_address=getattr(request, "axes_ip_address", None), username=username
    )
    audit(
        Actor.staff(user.pk),
        (SubjectType.USER, user.pk),
        action=Action.SIGN_IN,
        purpose=Purpose.SECOND_FACTOR_SET_UP if confirming else Purpose.SECOND_FACTOR,
    )
    return CodeResult.VERIFIED
