"""Idempotency keys, after the IETF draft "The Idempotency-Key HTTP Header Field".

`idempotent` runs a piece of work at most once per key, in one database transaction: it claims
the key by inserting its row, does the work, and stores the response on the row before the
transaction commits. So the key, the work and the stored response commit together or not at
all: a process that dies anywhere in between leaves nothing behind, and a retry with the key
does the work afresh, once. While one request holds a key, another with the same key waits at
the unique index for it to finish (PostgreSQL; SQLite takes one writer at a time) and then
replays its response. The same key with a different request answers 422. A row still "in
flight" after commit can only have been left by a release before this one; it answers 409 and
is taken over after ABANDONED_AFTER.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
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


@dataclass(frozen=True)
class IdempotentRequest:
    """A client's key for one request: `scope` keeps keys from different places apart (the API,
    each browser session); `fingerprint` tells the same request from a different one."""

    scope: str
    key: str
    fingerprint: str


@dataclass(frozen=True)
class Done[T]:
    """What `idempotent` answered: the response, and the work's result (None when replayed)."""

    response: StoredResponse
    result: T | None

    @property
    def replayed(self) -> bool:
        return self.result is None


def request_hash(payload: object) -> str:
    """A stable fingerprint of a request body (keys sorted, so JSON key order does not matter)."""
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def idempotency_key_claim(*, scope: str, key: str, fingerprint: str) -> StoredResponse | None:
    """None: the caller now holds the key, and stores its response in the same transaction
    (`idempotent` does both; use it rather than this).

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


def idempotent[T](
    *,
    request: IdempotentRequest | None,
    work: Callable[[], T],
    respond: Callable[[T], StoredResponse],
) -> Done[T]:
    """Do `work` and make its response, or replay the response already stored for `request`.

    Claiming the key, the work, and storing the response are one transaction, so they commit
    together or not at all; an exception from `work` or `respond` rolls all three back and
    leaves the key free. Without a request (no key sent) the work is simply done, once.
    Raises IdempotencyKeyInFlight or IdempotencyKeyReused.
    """
    with transaction.atomic():
        if request is not None:
            stored = idempotency_key_claim(
                scope=request.scope, key=request.key, fingerprint=request.fingerprint
            )
            if stored is not None:
                return Done(response=stored, result=None)
        result = work()
        response = respond(result)
        if request is not None:
            idempotency_key_complete(
                scope=request.scope, key=request.key, status=response.status, body=response.body
            )
        return Done(response=response, result=result)
