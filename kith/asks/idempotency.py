"""Idempotency keys, after the IETF draft "The Idempotency-Key HTTP Header Field".

A key is claimed by inserting a row (the unique constraint decides, even across processes), the
work is done, then the response is stored with the key. The same key with the same request
replays the stored response; while the first request is still running the key answers 409; the
same key with a different request answers 422. A key whose work failed is released, so the
client can try again with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kith.asks.models import IdempotencyKey, IdempotencyState
from kith.core.errors import ApplicationError

MAX_KEY_LENGTH = 255
# A key left in flight this long belongs to a request that died: it may be taken over.
ABANDONED_AFTER = dt.timedelta(minutes=5)


class IdempotencyKeyInFlight(ApplicationError):
    status = 409


class IdempotencyKeyReused(ApplicationError):
    status = 422


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: dict[str, object]


def request_hash(payload: object) -> str:
    """A stable fingerprint of a request body (keys sorted, so JSON key order does not matter)."""
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def idempotency_key_claim(*, scope: str, key: str, fingerprint: str) -> StoredResponse | None:
    """None: the caller now holds the key and must complete or release it.

    A StoredResponse: the same request was already answered; replay it.
    Raises IdempotencyKeyInFlight or IdempotencyKeyReused.
    """
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(scope=scope, key=key, request_hash=fingerprint)
    except IntegrityError:
        pass
    else:
        return None
    existing = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if existing is None:  # released between our insert and our read: try once more
        return idempotency_key_claim(scope=scope, key=key, fingerprint=fingerprint)
    if existing.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request. "
            "Use a new key for a new request.",
            field="Idempotency-Key",
        )
    if existing.state == IdempotencyState.IN_FLIGHT:
        if existing.created_at < timezone.now() - ABANDONED_AFTER:
            taken = IdempotencyKey.objects.filter(
                pk=existing.pk, state=IdempotencyState.IN_FLIGHT, created_at=existing.created_at
            ).update(created_at=timezone.now())
            if taken:
                return None
        raise IdempotencyKeyInFlight(
            "A request with this Idempotency-Key is still being processed. Try again shortly.",
            field="Idempotency-Key",
        )
    return StoredResponse(status=existing.response_status or 200, body=existing.response_body or {})


def idempotency_key_complete(*, scope: str, key: str, status: int, body: dict[str, object]) -> None:
    IdempotencyKey.objects.filter(scope=scope, key=key).update(
        state=IdempotencyState.COMPLETE, response_status=status, response_body=body
    )


def idempotency_key_release(*, scope: str, key: str) -> None:
    IdempotencyKey.objects.filter(scope=scope, key=key, state=IdempotencyState.IN_FLIGHT).delete()
