"""Signing staff in from tests, the one way every test does it.

Staff sign-in needs a password and a TOTP second factor; tests that are not about signing in use
`sign_in_staff` so that they keep working whatever the sign-in asks for. Browser journeys, which
sign in through the pages, give the member a device with `totp_device_for` and type
`totp_code_for(device)`.
"""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# A fixed, fictional key (hex) for journeys that need to know it; any 20 bytes will do.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


def totp_device_for(user: Any, *, key: str | None = None) -> TOTPDevice:
    """`user`'s confirmed authenticator device, made (with `key`, if given) when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        extra = {"key": key} if key else {}
        device = TOTPDevice.objects.create(
            user=user, name="Test authenticator", confirmed=True, **extra
        )
    return device


def totp_code(
    key: bytes, *, at: float | None = None, step: int = 30, t0: int = 0, digits: int = 6
) -> str:
    """The code an authenticator app holding `key` (raw bytes) shows at time `at` (now)."""
    totp = TOTP(key, step=step, t0=t0, digits=digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{digits}d}"


def totp_code_for(device: TOTPDevice) -> str:
    """A code `device` accepts now: the current one, or the next time step's when the current
    one has been used already (an app shows it moments later, and the device allows a step of
    clock difference), so tests need not wait 30 seconds between sign-ins."""
    device.refresh_from_db()
    current = int((time.time() - device.t0) // device.step)
    target = max(current, device.last_t + 1)
    at = device.t0 + target * device.step
    return totp_code(device.bin_key, at=at, step=device.step, t0=device.t0, digits=device.digits)


def sign_in_staff(client: Any, user: Any) -> TOTPDevice:
    """Sign `user` in on the Django test `client` as a fully verified member of staff: a
    password sign-in (as `force_login` records it) and a confirmed second factor."""
    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
