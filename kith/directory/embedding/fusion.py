"""Hybrid ranking: lexical candidates and dense candidates, fused by reciprocal rank.

Contract:
- `dense_search_is_on()` is `settings.KITH_SEARCH_DENSE` (environment KITH_SEARCH_DENSE=on or
  off), so the search can be measured both ways.
- `fuse(lexical, dense)` gives every candidate the score sum over the lists it is in of
  weight / (RRF_K + rank) (ranks from 1) and orders by it; ties keep the lexical order, then
  the dense order. The person's words always count: every lexical candidate is kept (dense can
  only add and reorder), and the lexical candidate at rank r is never placed below rank 2r:
  where the fused order would leave it lower, it takes place 2r and the rest move down one.
  So the best lexical match is always in the first two.
- Dense candidates less similar than `MIN_SIMILARITY` to the words are not added.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from django.conf import settings

RRF_K = 60
DENSE_CANDIDATES = 50
MIN_SIMILARITY = 0.1


def dense_search_is_on() -> bool:
    return bool(getattr(settings, "KITH_SEARCH_DENSE", False))


def fuse[Key: Hashable](
    lexical: Sequence[Key],
    dense: Sequence[Key],
    *,
    k: int = RRF_K,
    lexical_weight: float = 1.0,
    dense_weight: float = 1.0,
) -> list[tuple[Key, float]]:
    """Reciprocal rank fusion of two ranked lists of keys, best first (see the contract)."""
    scores: dict[Key, float] = {}
    lexical_rank: dict[Key, int] = {}
    dense_rank: dict[Key, int] = {}
    for rank, key in enumerate(dict.fromkeys(lexical), start=1):
        lexical_rank[key] = rank
        scores[key] = lexical_weight / (k + rank)
    for rank, key in enumerate(dict.fromkeys(dense), start=1):
        dense_rank[key] = rank
        scores[key] = scores.get(key, 0.0) + dense_weight / (k + rank)
    never = len(scores) + 1
    order = sorted(
        scores,
        key=lambda key: (
            -round(scores[key], 12),
            lexical_rank.get(key, never),
            dense_rank.get(key, never),
        ),
    )
    # The words' guarantee: by place 2r, the first r lexical candidates are all placed.
    lexical_order = list(lexical_rank)
    placed: set[Key] = set()
    result: list[Key] = []
    pending = iter(order)
    next_lexical = 0  # index in lexical_order of the first lexical candidate not yet placed
    while len(result) < len(order):
        place = len(result) + 1
        while next_lexical < len(lexical_order) and lexical_order[next_lexical] in placed:
            next_lexical += 1
        if next_lexical < len(lexical_order) and place == 2 * (next_lexical + 1):
            key = lexical_order[next_lexical]
        else:
            key = next(k for k in pending if k not in placed)
        placed.add(key)
        result.append(key)
    return [(key, scores[key]) for key in result]
