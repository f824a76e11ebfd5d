"""How long idempotency keys are kept: a day, as the IETF draft "The Idempotency-Key HTTP Header
Field" suggests. A client retries a request within minutes; after a day the same key is new."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kith.asks.models import IdempotencyKey

KEEP = dt.timedelta(days=1)


def idempotency_keys_delete_old(*, now: dt.datetime | None = None) -> int:
    """Delete idempotency keys (and the responses stored with them) older than a day."""
    before = (now or timezone.now()) - KEEP
    return IdempotencyKey.objects.filter(created_at__lt=before).delete()[0]
