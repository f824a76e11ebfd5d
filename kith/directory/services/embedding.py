"""Keeping the services' meaning vectors (`ServiceEmbedding`) in step with the listings.

Contract:
- `services_embed(service_ids)` embeds each active service's name, description and support
  types (`listing_parts`, `embed_listings`) with the shipped model and stores the vector; a service whose text and
  model are unchanged is not written again; services that no longer exist or are not active
  lose their vector. `None` does every service. Returns how many vectors it wrote.
- Runs in the background (`services_embed_task`, below), queued by
  `services_reindex` once its write commits: the same write paths, no new duty for callers.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from kith.core.background import background_task, enqueue_on_commit
from kith.directory.embedding.index import (
    embed_listings,
    forget_vectors,
    listing_parts,
    model_key,
    to_bytes,
)
from kith.directory.embedding.model import shipped_model
from kith.directory.models import Attribute, Service, ServiceEmbedding
from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_type_labels

BATCH = 2000


def services_embed(service_ids: Iterable[UUID] | None) -> int:
    """Store the meaning vectors of these services (None: all of them); see the contract."""
    model = shipped_model()
    key = model_key(model)
    if service_ids is None:
        ServiceEmbedding.objects.exclude(service__status=Service.Status.ACTIVE, model=key).delete()
        ids = list(
            Service.objects.filter(status=Service.Status.ACTIVE)
            .order_by("id")
            .values_list("id", flat=True)
        )
    else:
        ids = list(dict.fromkeys(service_ids))
        ServiceEmbedding.objects.filter(service_id__in=ids).exclude(
            service__status=Service.Status.ACTIVE
        ).delete()
    written = 0
    for start in range(0, len(ids), BATCH):
        written += _embed_batch(ids[start : start + BATCH], key)
    forget_vectors()
    return written


def _embed_batch(ids: list[UUID], key: str) -> int:
    labels = support_type_labels()
    codes: dict[UUID, list[str]] = defaultdict(list)
    for link_id, code in (
        Attribute.objects.filter(
            link_entity="service", link_type=SUPPORT_TYPE_LINK_TYPE, link_id__in=ids
        )
        .order_by("taxonomy_term__code")
        .values_list("link_id", "taxonomy_term__code")
    ):
        codes[link_id].append(code)
    texts: dict[UUID, tuple[str, str]] = {}
    for service_id, name, description in (
        Service.objects.filter(id__in=ids, status=Service.Status.ACTIVE)
        .order_by("id")
        .values_list("id", "name", "description")
    ):
        texts[service_id] = listing_parts(
            name, description, [labels[c] for c in codes.get(service_id, []) if c in labels]
        )
    hashes = {
        sid: hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()
        for sid, parts in texts.items()
    }
    current = dict(
        ServiceEmbedding.objects.filter(service_id__in=list(texts), model=key).values_list(
            "service_id", "text_hash"
        )
    )
    changed = [sid for sid in texts if current.get(sid) != hashes[sid]]
    if not changed:
        return 0
    vectors = embed_listings(shipped_model(), [texts[sid] for sid in changed])
    rows = [
        ServiceEmbedding(service_id=sid, model=key, vector=to_bytes(vector), text_hash=hashes[sid])
        for sid, vector in zip(changed, vectors, strict=True)
    ]
    ServiceEmbedding.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["service"],
        update_fields=["model", "vector", "text_hash", "updated_at"],
        batch_size=500,
    )
    return len(rows)


@background_task(max_attempts=5)
def services_embed_task(service_ids: list[str] | None) -> int:
    """Store the meaning vectors of these services for dense search (None: all of them)."""
    if service_ids is None:
        return services_embed(None)
    return services_embed(UUID(service_id) for service_id in service_ids)


def services_embed_later(service_ids: Iterable[UUID] | None) -> None:
    """Embed these services in the background once the current transaction commits (None:
    every service). Queued by `services_reindex`, so every write path that re-indexes also
    brings the meaning vectors up to date, without making the request wait for the model."""
    if service_ids is None:
        enqueue_on_commit(services_embed_task, None)
        return
    ids = [str(service_id) for service_id in dict.fromkeys(service_ids)]
    if ids:
        enqueue_on_commit(services_embed_task, ids)
