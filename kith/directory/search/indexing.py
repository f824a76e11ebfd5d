"""Building the search index: one denormalised row per service at location, its words and
its weekly opening slots. Idempotent: indexing a service again replaces its rows."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Count, Prefetch

from kith.directory.models import (
    Attribute,
    ClosedDate,
    Schedule,
    SearchEntry,
    SearchOpeningSlot,
    SearchTerm,
    SearchVocabulary,
    Service,
    ServiceAtLocation,
)
from kith.directory.opening import weekly_slots
from kith.directory.search import postgres
from kith.directory.search.text import LANGUAGE_PREFIX, STOP_WORDS, SUPPORT_TYPE_PREFIX, stem, words
from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_type_labels

BATCH_SIZE = 500
# Field weights: a word in the name says more than a word deep in the description.
WEIGHT_NAME = 3
WEIGHT_SUPPORT_TYPE = 2
WEIGHT_OTHER = 1
MAX_WORDS_PER_STEM = 8


def lat_band(latitude: float) -> int:
    return math.floor(latitude * 100)


@dataclass
class _Rows:
    entries: list[tuple[Any, ...]]
    slots: list[list[tuple[Any, ...]]]  # per entry
    terms: list[tuple[Any, ...]]
    words: dict[str, set[str]]


def index_services(service_ids: Iterable[UUID] | None = None) -> None:
    """Bring the index up to date for these services (None: rebuild everything, in batches)."""
    if service_ids is None:
        _rebuild_all()
        return
    ids = list(dict.fromkeys(service_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        _index_batch(ids[start : start + BATCH_SIZE])
    _bump_vocabulary_generation()


def _rebuild_all() -> None:
    with transaction.atomic():
        SearchOpeningSlot.objects.all().delete()
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchVocabulary.objects.all().delete()
    all_words: dict[str, set[str]] = defaultdict(set)
    ids = list(Service.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            rows = _rows_for(batch)
            _write(rows)
        for term, seen in rows.words.items():
            all_words[term] |= seen
    with transaction.atomic():
        _write_vocabulary(None, all_words)
    _bump_vocabulary_generation()


@transaction.atomic
def _index_batch(ids: list[UUID]) -> None:
    old_terms = set(SearchTerm.objects.filter(service_id__in=ids).values_list("term", flat=True))
    SearchOpeningSlot.objects.filter(entry__service_id__in=ids).delete()
    SearchEntry.objects.filter(service_id__in=ids).delete()
    SearchTerm.objects.filter(service_id__in=ids).delete()
    rows = _rows_for(ids)
    _write(rows)
    _write_vocabulary(old_terms | set(rows.words), rows.words)


def _rows_for(ids: Sequence[UUID]) -> _Rows:
    services = list(
        Service.objects.filter(id__in=ids, status=Service.Status.ACTIVE)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    "schedules",
                    "closed_dates",
                    "location__schedules",
                    "location__accessibility",
                    "location__languages",
                ),
            ),
            "schedules",
            "closed_dates",
            "languages",
        )
    )
    codes: dict[UUID, list[str]] = defaultdict(list)
    for link_id, code in Attribute.objects.filter(
        link_entity="service", link_type=SUPPORT_TYPE_LINK_TYPE, link_id__in=ids
    ).values_list("link_id", "taxonomy_term__code"):
        codes[link_id].append(code)
    rows = _Rows(entries=[], slots=[], terms=[], words=defaultdict(set))
    for service in services:
        _add_service(rows, service, sorted(codes[service.id]))
    return rows


def _add_service(rows: _Rows, service: Service, codes: list[str]) -> None:
    labels = support_type_labels()
    weights: dict[str, int] = {}

    def add_text(text: str, weight: int) -> None:
        for word in words(text):
            if word in STOP_WORDS or len(word) < 2 or len(word) > 40:
                continue
            term = stem(word)
            weights[term] = max(weights.get(term, 0), weight)
            if len(rows.words[term]) < MAX_WORDS_PER_STEM:
                rows.words[term].add(word)

    add_text(service.name, WEIGHT_NAME)
    add_text(service.alternate_name, WEIGHT_SUPPORT_TYPE)
    for code in codes:
        add_text(labels.get(code, ""), WEIGHT_SUPPORT_TYPE)
        weights[SUPPORT_TYPE_PREFIX + code] = WEIGHT_SUPPORT_TYPE
    add_text(service.organization.name, WEIGHT_OTHER)
    add_text(service.description, WEIGHT_OTHER)
    add_text(service.eligibility_description, WEIGHT_OTHER)
    languages = list(service.languages.all())
    sals = list(service.service_at_locations.all())
    for sal in sals:
        languages += list(sal.location.languages.all())
        add_text(sal.location.name, WEIGHT_OTHER)
    for language in languages:
        for key in (language.code, language.name):
            if key.strip():
                weights[LANGUAGE_PREFIX + key.strip().lower()] = WEIGHT_OTHER
    rows.terms.extend((term[:64], service.id, weight) for term, weight in weights.items())

    support_types = " ".join(codes)
    service_schedules = list(service.schedules.all())
    service_closed = list(service.closed_dates.all())
    for sal in sals:
        location = sal.location
        schedules = schedules_for(sal, service_schedules)
        closed = [*service_closed, *sal.closed_dates.all()]
        point = None
        if location.latitude is not None and location.longitude is not None:
            point = (location.latitude, location.longitude)
        _add_entry(
            rows,
            service,
            sal_id=sal.id,
            location_id=location.id,
            point=point,
            has_step_free_access=location.has_step_free_access,
            support_types=support_types,
            schedules=schedules,
            closed=closed,
        )
    if not sals:
        _add_entry(
            rows,
            service,
            sal_id=None,
            location_id=None,
            point=None,
            has_step_free_access=False,
            support_types=support_types,
            schedules=service_schedules,
            closed=service_closed,
        )


def schedules_for(sal: ServiceAtLocation, service_schedules: list[Schedule]) -> list[Schedule]:
    """The most specific schedules: the service at this location's, else the service's,
    else the location's."""
    own = list(sal.schedules.all())
    if own:
        return own
    if service_schedules:
        return service_schedules
    return list(sal.location.schedules.all())


def _add_entry(
    rows: _Rows,
    service: Service,
    *,
    sal_id: UUID | None,
    location_id: UUID | None,
    point: tuple[float, float] | None,
    has_step_free_access: bool,
    support_types: str,
    schedules: list[Schedule],
    closed: list[ClosedDate],
) -> None:
    slots = weekly_slots(schedules)
    rows.entries.append(
        (
            service.id,
            sal_id,
            location_id,
            service.organization_id,
            service.name.lower()[:255],
            point[0] if point else None,
            point[1] if point else None,
            lat_band(point[0]) if point else None,
            service.is_free,
            service.is_no_referral_needed,
            has_step_free_access,
            support_types,
            " ".join(f"{s.weekday}:{s.opens_minute}-{s.closes_minute}" for s in slots),
            bool(closed) or any(not slot.is_exact for slot in slots),
        )
    )
    rows.slots.append(
        [(s.weekday, s.opens_minute, s.closes_minute, s.valid_from, s.valid_to) for s in slots]
    )


ENTRY_COLUMNS = (
    "service_id",
    "service_at_location_id",
    "location_id",
    "organization_id",
    "sort_name",
    "latitude",
    "longitude",
    "lat_band",
    "is_free",
    "is_no_referral_needed",
    "has_step_free_access",
    "support_types",
    "opening_slots",
    "has_inexact_opening",
)
SLOT_COLUMNS = ("entry_id", "weekday", "opens_minute", "closes_minute", "valid_from", "valid_to")
TERM_COLUMNS = ("term", "service_id", "weight")


def _write(rows: _Rows) -> None:
    if not rows.entries:
        return
    entries = [
        SearchEntry(**dict(zip(ENTRY_COLUMNS, values, strict=True))) for values in rows.entries
    ]
    # Both SQLite and PostgreSQL return the new ids from bulk_create.
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    slot_rows = [
        (entry.id, *slot)
        for entry, slots in zip(entries, rows.slots, strict=True)
        for slot in slots
    ]
    bulk_insert(SearchOpeningSlot._meta.db_table, SLOT_COLUMNS, slot_rows)
    bulk_insert(SearchTerm._meta.db_table, TERM_COLUMNS, rows.terms)


def bulk_insert(table: str, columns: Sequence[str], values: Sequence[tuple[Any, ...]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, executemany elsewhere."""
    if not values:
        return
    if connection.vendor == "postgresql":
        postgres.copy_rows(table, columns, values)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [_adapt(row) for row in values])


def _adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
    # SQLite stores UUIDFields as 32 hex characters.
    return tuple(value.hex if isinstance(value, UUID) else value for value in row)


def _write_vocabulary(terms: set[str] | None, seen_words: dict[str, set[str]]) -> None:
    """Recount how many services carry each term (all terms when `terms` is None)."""
    counts = SearchTerm.objects.exclude(term__startswith=SUPPORT_TYPE_PREFIX).exclude(
        term__startswith=LANGUAGE_PREFIX
    )
    if terms is not None:
        terms = {t for t in terms if not t.startswith((SUPPORT_TYPE_PREFIX, LANGUAGE_PREFIX))}
        if not terms:
            return
        counts = counts.filter(term__in=terms)
    found = dict(counts.values("term").annotate(n=Count("id")).values_list("term", "n"))
    existing: dict[str, SearchVocabulary] = {}
    if terms is not None:
        existing = {v.term: v for v in SearchVocabulary.objects.filter(term__in=terms)}
        SearchVocabulary.objects.filter(term__in=terms).delete()
    rows = []
    for term, n in found.items():
        known = set(existing[term].words.split()) if term in existing else set()
        merged = sorted(known | seen_words.get(term, set()))[:MAX_WORDS_PER_STEM]
        rows.append(SearchVocabulary(term=term, document_count=n, words=" ".join(merged)))
    SearchVocabulary.objects.bulk_create(rows, batch_size=1000)


def _bump_vocabulary_generation() -> None:
    from kith.directory.search import engine

    engine.forget_vocabulary()
