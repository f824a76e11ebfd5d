"""Background entry points of the directory: each takes ids and calls a service.

`services_reindex_later(ids)` is for a write that changes many listings at once (an import, a
bulk edit): the search index catches up in the worker, after the write commits, instead of inside
the request. A write to one listing re-indexes at once with `services_reindex`, so the editor
finds their change in search on the next page.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from kith.core.background import background_task, enqueue_on_commit
from kith.directory.services.indexing import services_reindex


@background_task(max_attempts=5)
def services_reindex_task(service_ids: list[str] | None) -> int | None:
    """Bring the search index up to date for these services (None: all of them)."""
    if service_ids is None:
        services_reindex(None)
        return None
    services_reindex(uuid.UUID(service_id) for service_id in service_ids)
    return len(service_ids)


def services_reindex_later(service_ids: Iterable[uuid.UUID] | None) -> None:
    """Re-index these services in the background once the current transaction commits (None:
    the whole index). Nothing is queued for an empty list or a write that rolls back."""
    if service_ids is None:
        enqueue_on_commit(services_reindex_task, None)
        return
    ids = [str(service_id) for service_id in dict.fromkeys(service_ids)]
    if ids:
        enqueue_on_commit(services_reindex_task, ids)
