"""Background entry points of people: each calls a service."""

from __future__ import annotations

from kith.core.background import background_task
from kith.people.retention import sign_in_tokens_delete_expired


@background_task(max_attempts=3)
def sign_in_tokens_prune() -> dict[str, int]:
    return sign_in_tokens_delete_expired()
