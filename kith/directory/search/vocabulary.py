"""The index's shared constants and the vocabulary cache: what `indexing` writes and `engine`
reads, so neither imports the other. Imports only `text` from the package.

`SearchVocabulary` holds every stem, how many services carry it and the words seen for it, plus
one `SERVICE_COUNT_TERM` row: how many services the index holds and a generation mark that
changes each time the index is written. Each process keeps the vocabulary in memory for a
minute, then reloads it only if the generation has changed; indexing in this process forgets
it at once."""

from __future__ import annotations

import time
from dataclasses import dataclass

from kith.directory.models import SearchEntry, SearchVocabulary
from kith.directory.search import text as words_

# Field weights: a word in the name says more than a word deep in the description.
WEIGHT_NAME = 3
WEIGHT_SUPPORT_TYPE = 2
WEIGHT_OTHER = 1
# A vocabulary row no word can stem to: how many services the index holds.
SERVICE_COUNT_TERM = "#services"
# A vocabulary row no word can stem to: the text.STEMS_VERSION the whole index was built with.
STEMS_TERM = "#stems"
VOCABULARY_TTL_SECONDS = 60.0


@dataclass
class Vocabulary:
    document_counts: dict[str, int]
    known_words: dict[str, str]  # surface word → stem
    service_count: int
    loaded_at: float
    generation: str = ""  # changes each time the index is written
    stems_version: int = 0  # text.STEMS_VERSION of the last full rebuild (0: before versions)


_vocabulary_cache: Vocabulary | None = None


def forget_vocabulary() -> None:
    global _vocabulary_cache  # noqa: PLW0603 - a per-process cache, reset after indexing
    _vocabulary_cache = None


def current_vocabulary() -> Vocabulary:
    global _vocabulary_cache  # noqa: PLW0603 - a per-process cache, reset after indexing
    cached = _vocabulary_cache
    if cached is not None:
        if time.monotonic() - cached.loaded_at < VOCABULARY_TTL_SECONDS:
            return cached
        # Stale: one row says whether the index changed since; reload only if it did.
        generation = (
            SearchVocabulary.objects.filter(term=SERVICE_COUNT_TERM)
            .values_list("words", flat=True)
            .first()
        )
        if generation and generation == cached.generation:
            cached.loaded_at = time.monotonic()
            return cached
    counts: dict[str, int] = {}
    known: dict[str, str] = {word: words_.stem(word) for word in words_.everyday_words()}
    service_count, generation, stems_version = 0, "", 0
    for term, count, seen in SearchVocabulary.objects.values_list(
        "term", "document_count", "words"
    ):
        if term == SERVICE_COUNT_TERM:
            service_count, generation = count, seen
            continue
        if term == STEMS_TERM:
            stems_version = count
            continue
        counts[term] = count
        for word in seen.split():
            if not word.isdigit():  # numbers are never typos to correct towards
                known[word] = term
    if not service_count and counts:  # an index built before the count was stored
        service_count = SearchEntry.objects.values("service_id").distinct().count()
    _vocabulary_cache = Vocabulary(
        counts, known, service_count, time.monotonic(), generation, stems_version
    )
    return _vocabulary_cache
