"""Background entry points of core: each takes ids or nothing and calls a service."""

from __future__ import annotations

import datetime as dt

from kith.core.background import background_prune, background_task
from kith.core.delivery import message_deliver


@background_task(max_attempts=6, backoff=dt.timedelta(seconds=30))
def message_send(message_id: str) -> bool:
    """Send one queued email or text message (`kith.core.notify`)."""
    return message_deliver(message_id=message_id)


@background_task(max_attempts=3)
def background_work_prune() -> dict[str, int]:
    """Delete old finished tasks, leases, heartbeats and messages."""
    return background_prune()
