"""How long sign-in secrets are kept: not past their use.

A sign-in link or code, and a new contact waiting to be proved, holds an email address or a
mobile number. Once it has expired it can never be used, so the scheduled job
`sign-in-tokens-prune` (kith/config/schedule.py) deletes it a day later (the day's grace keeps
"this code has expired" and the sending limits reading as before).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kith.people.models import PendingContact, SignInToken

GRACE = dt.timedelta(days=1)


def sign_in_tokens_delete_expired(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete sign-in tokens and pending contacts that expired more than a day ago."""
    before = (now or timezone.now()) - GRACE
    return {
        "sign_in_tokens": SignInToken.objects.filter(expires_at__lt=before).delete()[0],
        "pending_contacts": PendingContact.objects.filter(expires_at__lt=before).delete()[0],
    }
