"""Background entry points of asks: each calls a service."""

from __future__ import annotations

from kith.asks.retention import idempotency_keys_delete_old
from kith.core.background import background_task


@background_task(max_attempts=3)
def idempotency_keys_prune() -> int:
    return idempotency_keys_delete_old()
