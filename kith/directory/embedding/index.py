"""Nearest listings by meaning: the services' stored vectors (`ServiceEmbedding`) in memory.

Contract:
- `listing_parts(...)` and `embed_listings(...)` are the one place that says what of a listing
  is embedded and how: the mean of its name's vector and the vector of its description with its
  support types' labels, each of length 1, so a long description does not drown the name.
- `nearest_services(text, limit, support_types)` embeds the person's words, with the labels of
  the support types the everyday-language layer inferred from them added (never in place of
  the words), and returns up to `limit` (service id, cosine similarity) pairs, best first, ties
  by id, so the order is the same in every process. Services with no vector yet are simply not
  found by meaning.
- Up to `EXACT_UP_TO` vectors the search is exact (one numpy matrix-vector product); above it,
  an HNSW graph (usearch, cosine, float16) built when the vectors are loaded, whose recall
  against exact search is measured in benchmarks/dense_ann.py.
- Each process loads the vectors once and reloads them when the table has changed, looked at
  no more than once every `CHECK_SECONDS`; a write in this process (`forget_vectors()`) makes
  the next search reload at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import numpy as np
from django.db.models import Count, Max

from kith.directory.embedding.model import StaticModel, shipped_model
from kith.directory.models import ServiceEmbedding
from kith.directory.taxonomy import support_type_labels

EXACT_UP_TO = 100_000  # exact: about 5 ms and 100 MiB at 100,000 (benchmarks/dense_ann.py)
# Above it, HNSW: recall@50 0.93 against exact at 2.5 ms on 100,000 model vectors (same benchmark).
ANN_CONNECTIVITY = 32
ANN_EXPANSION = 256
CHECK_SECONDS = 30.0
VECTOR_DTYPE = np.dtype("<f2")


def model_key(model: StaticModel) -> str:
    """Names the model in `ServiceEmbedding.model`: its weights' hash, shortened."""
    return str(model.meta.get("embeddings_sha256", "unknown"))[:16]


NAME_WEIGHT = 0.5  # of the listing's vector; the description and support types have the rest


def listing_parts(
    name: str, description: str, support_type_labels: Sequence[str]
) -> tuple[str, str]:
    """What is embedded of a listing: its name, and its description with its support types."""
    rest = [description.strip(), ". ".join(support_type_labels)]
    return name.strip(), ". ".join(part for part in rest if part)


def embed_listings(model: StaticModel, parts: Sequence[tuple[str, str]]) -> np.ndarray:
    names = model.encode([name for name, _ in parts])
    rests = model.encode([rest for _, rest in parts])
    vectors = NAME_WEIGHT * names + (1 - NAME_WEIGHT) * rests
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


def query_text(text: str, support_types: Sequence[str] = ()) -> str:
    """The person's words, then the labels of the support types inferred from them."""
    labels = support_type_labels()
    added = [labels[code] for code in support_types if code in labels]
    return ". ".join([text.strip(), *added])


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=VECTOR_DTYPE).astype(np.float32)


@dataclass
class Vectors:
    """The stored vectors of one model, in service-id order."""

    service_ids: list[UUID]
    matrix: np.ndarray  # float32, one row per service, length 1
    generation: tuple[int, Any]
    checked_at: float
    ann: Any = None  # a usearch Index above EXACT_UP_TO vectors

    def nearest(self, query: np.ndarray, limit: int) -> list[tuple[UUID, float]]:
        if not self.service_ids or limit <= 0 or not np.any(query):
            return []
        limit = min(limit, len(self.service_ids))
        if self.ann is not None:
            matches = self.ann.search(query.astype(np.float32), limit)
            found = [
                (self.service_ids[int(key)], 1.0 - float(distance))
                for key, distance in zip(matches.keys, matches.distances, strict=True)
            ]
        else:
            similarities = self.matrix @ query.astype(np.float32)
            top = np.argpartition(-similarities, limit - 1)[:limit]
            found = [(self.service_ids[int(i)], float(similarities[i])) for i in top]
        found.sort(key=lambda pair: (-round(pair[1], 6), str(pair[0])))
        return found


_lock = threading.Lock()
_cache: Vectors | None = None


def forget_vectors() -> None:
    global _cache
    _cache = None


def _generation(key: str) -> tuple[int, Any]:
    stats = ServiceEmbedding.objects.filter(model=key).aggregate(
        count=Count("service_id"), latest=Max("updated_at")
    )
    return int(stats["count"] or 0), stats["latest"]


def _load(key: str, generation: tuple[int, Any]) -> Vectors:
    rows = list(
        ServiceEmbedding.objects.filter(model=key)
        .order_by("service_id")
        .values_list("service_id", "vector")
    )
    ids = [row[0] for row in rows]
    matrix = (
        np.vstack([from_bytes(row[1]) for row in rows])
        if rows
        else np.zeros((0, shipped_model().dims), dtype=np.float32)
    )
    ann = None
    if len(ids) > EXACT_UP_TO:
        from usearch.index import Index

        ann = Index(
            ndim=matrix.shape[1],
            metric="cos",
            dtype="f16",
            connectivity=ANN_CONNECTIVITY,
            expansion_search=ANN_EXPANSION,
        )
        ann.add(np.arange(len(ids), dtype=np.uint64), matrix)
        matrix = np.zeros((0, matrix.shape[1]), dtype=np.float32)  # the graph keeps them
    return Vectors(ids, matrix, generation, time.monotonic(), ann)


def current_vectors() -> Vectors:
    global _cache
    key = model_key(shipped_model())
    cached = _cache
    if cached is not None and time.monotonic() - cached.checked_at < CHECK_SECONDS:
        return cached
    with _lock:
        generation = _generation(key)
        cached = _cache
        if cached is not None and cached.generation == generation:
            cached.checked_at = time.monotonic()
            return cached
        _cache = _load(key, generation)
        return _cache


def nearest_services(
    text: str, limit: int, support_types: Sequence[str] = ()
) -> list[tuple[UUID, float]]:
    """The services nearest in meaning to `text`, best first (see the module's contract)."""
    if not text.strip():
        return []
    query = shipped_model().encode([query_text(text, support_types)])[0]
    return current_vectors().nearest(query, limit)
