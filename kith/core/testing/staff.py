"""Signing staff in from tests, the one way every test does it.

Staff sign-in needs a password and a TOTP second factor; tests that are not about signing in use
`sign_in_staff` so that they keep working whatever the sign-in asks for.
"""

from __future__ import annotations

from typing import Any


def sign_in_staff(client: Any, user: Any) -> None:
    """Sign `user` in on the Django test `client` as a fully verified member of staff."""
    client.force_login(user)
