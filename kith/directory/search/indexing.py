"""Building the search index: one denormalised row per service at location, its words and
its weekly opening slots. Idempotent: indexing a service again replaces its rows."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid4

from django.db import connection, models, transaction
from django.db.models import Count, Max

from kith.directory.models import (
    Attribute,
    ClosedDate,
    Language,
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
from kith.directory.search.text import (
    LANGUAGE_PREFIX,
    STEMS_VERSION,
    STOP_WORDS,
    SUPPORT_TYPE_PREFIX,
    stem,
    words,
)
from kith.directory.search.vocabulary import (
    SERVICE_COUNT_TERM,
    STEMS_TERM,
    WEIGHT_NAME,
    WEIGHT_OTHER,
    WEIGHT_SUPPORT_TYPE,
    forget_vocabulary,
)
from kith.directory.taxonomy import SUPPORT_TYPE_LINK_TYPE, support_type_labels

BATCH_SIZE = 500
REBUILD_BATCH_SIZE = 1000
# Below this many services a rebuild keeps its indexes: rebuilding them costs more than it saves.
REBUILD_INDEXES_FROM = 20_000
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
    """Empty the index and load it again: rows come in flat batches, are written with COPY on
    PostgreSQL (executemany on SQLite) with ids given here, and the secondary indexes are built
    once at the end rather than kept up to date row by row."""
    with transaction.atomic():
        SearchOpeningSlot.objects.all().delete()
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
        SearchVocabulary.objects.all().delete()
    all_words: dict[str, set[str]] = defaultdict(set)
    ids = list(Service.objects.order_by("id").values_list("id", flat=True))
    next_id = (SearchEntry.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    dropped = _drop_secondary_indexes() if len(ids) >= REBUILD_INDEXES_FROM else []
    try:
        for start in range(0, len(ids), REBUILD_BATCH_SIZE):
            batch = ids[start : start + REBUILD_BATCH_SIZE]
            with transaction.atomic():
                rows = _rows_for(batch)
                next_id = _write(rows, next_id=next_id)
            for term, seen in rows.words.items():
                known = all_words[term]
                if len(known) < MAX_WORDS_PER_STEM:
                    known |= seen
    finally:
        _create_indexes(dropped)
    if connection.vendor == "postgresql":
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s, false)",  # noqa: S608 - our table name
                [next_id],
            )
    with transaction.atomic():
        _write_vocabulary(None, all_words)
        SearchVocabulary.objects.create(term=STEMS_TERM, document_count=STEMS_VERSION, words="")
    _bump_vocabulary_generation()
    _analyse()


def _analyse() -> None:
    """Fresh planner statistics for the new rows; on PostgreSQL also VACUUM (outside a
    transaction) so the visibility map lets term lookups be index-only scans."""
    tables = [m._meta.db_table for m in (SearchEntry, SearchTerm, SearchOpeningSlot)]
    tables.append(SearchVocabulary._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {table}")


def _secondary_indexes() -> list[tuple[type[models.Model], models.Index]]:
    return [
        (model, index)
        for model in (SearchEntry, SearchTerm, SearchOpeningSlot)
        for index in model._meta.indexes
    ]


def _drop_secondary_indexes() -> list[tuple[type[models.Model], models.Index]]:
    dropped = _secondary_indexes()
    with connection.cursor() as cursor:
        for _, index in dropped:
            cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(index.name)}")
    return dropped


def _create_indexes(indexes: list[tuple[type[models.Model], models.Index]]) -> None:
    editor = connection.schema_editor(collect_sql=True)  # only to write the SQL
    # Inside an outer transaction PostgreSQL refuses CREATE INDEX while deferred foreign key
    # checks are pending: run them now, then defer again (Django's constraints are deferred).
    deferred = connection.vendor == "postgresql" and connection.in_atomic_block
    with connection.cursor() as cursor:
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model, index in indexes:
            cursor.execute(str(index.create_sql(model, editor)))
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@transaction.atomic
def _index_batch(ids: list[UUID]) -> None:
    old_terms = set(SearchTerm.objects.filter(service_id__in=ids).values_list("term", flat=True))
    SearchOpeningSlot.objects.filter(entry__service_id__in=ids).delete()
    SearchEntry.objects.filter(service_id__in=ids).delete()
    SearchTerm.objects.filter(service_id__in=ids).delete()
    rows = _rows_for(ids)
    _write(rows, next_id=None)
    _write_vocabulary(old_terms | set(rows.words), rows.words)


def _rows_for(ids: Sequence[UUID]) -> _Rows:
    """Everything the index needs for these services, in a fixed number of flat queries (no
    model instances but schedules), so a batch costs the same whatever its size."""
    services = list(
        Service.objects.filter(id__in=ids, status=Service.Status.ACTIVE)
        .order_by("id")
        .values_list(
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "eligibility_description",
            "is_free",
            "is_no_referral_needed",
            "organization__name",
        )
    )
    active = [row[0] for row in services]
    rows = _Rows(entries=[], slots=[], terms=[], words=defaultdict(set))
    if not active:
        return rows
    sals: dict[UUID, list[_Place]] = defaultdict(list)
    for sal_id, service_id, location_id, name, lat, lon, step_free in (
        ServiceAtLocation.objects.filter(service_id__in=active)
        .order_by("created_at", "id")
        .values_list(
            "id",
            "service_id",
            "location_id",
            "location__name",
            "location__latitude",
            "location__longitude",
            "location__has_step_free_access",
        )
    ):
        point = (lat, lon) if lat is not None and lon is not None else None
        sals[service_id].append(_Place(sal_id, location_id, name, point, step_free))
    sal_ids = [place.sal_id for places in sals.values() for place in places]
    location_ids = list({place.location_id for places in sals.values() for place in places})
    by_service: dict[UUID, list[Schedule]] = defaultdict(list)
    by_sal: dict[UUID, list[Schedule]] = defaultdict(list)
    by_location: dict[UUID, list[Schedule]] = defaultdict(list)
    for schedule in Schedule.objects.filter(service_id__in=active):
        by_service[schedule.service_id].append(schedule)  # type: ignore[index]
    if sal_ids:
        for schedule in Schedule.objects.filter(service_at_location_id__in=sal_ids):
            by_sal[schedule.service_at_location_id].append(schedule)  # type: ignore[index]
        for schedule in Schedule.objects.filter(location_id__in=location_ids):
            by_location[schedule.location_id].append(schedule)  # type: ignore[index]
    closed_services = set(
        ClosedDate.objects.filter(service_id__in=active).values_list("service_id", flat=True)
    )
    closed_sals: set[UUID] = set()
    if sal_ids:
        closed_sals = set(
            ClosedDate.objects.filter(service_at_location_id__in=sal_ids).values_list(
                "service_at_location_id", flat=True
            )
        )
    languages: dict[UUID, set[str]] = defaultdict(set)
    for service_id, code, name in Language.objects.filter(service_id__in=active).values_list(
        "service_id", "code", "name"
    ):
        languages[service_id] |= _language_keys(code, name)
    location_languages: dict[UUID, set[str]] = defaultdict(set)
    if location_ids:
        for location_id, code, name in Language.objects.filter(
            location_id__in=location_ids
        ).values_list("location_id", "code", "name"):
            location_languages[location_id] |= _language_keys(code, name)
    codes: dict[UUID, list[str]] = defaultdict(list)
    for link_id, code in Attribute.objects.filter(
        link_entity="service", link_type=SUPPORT_TYPE_LINK_TYPE, link_id__in=active
    ).values_list("link_id", "taxonomy_term__code"):
        codes[link_id].append(code)
    for row in services:
        service_id = row[0]
        places = sals.get(service_id, [])
        keys = set(languages.get(service_id, ()))
        for place in places:
            keys |= location_languages.get(place.location_id, set())
        service = _Service(
            id=service_id,
            organization_id=row[1],
            name=row[2],
            alternate_name=row[3],
            description=row[4],
            eligibility_description=row[5],
            is_free=row[6],
            is_no_referral_needed=row[7],
            organization_name=row[8],
            codes=sorted(codes.get(service_id, [])),
            language_keys=keys,
            places=places,
            schedules=by_service.get(service_id, []),
            has_closed_dates=service_id in closed_services,
        )
        _add_service(rows, service, by_sal, by_location, closed_sals)
    return rows


@dataclass
class _Place:
    sal_id: UUID
    location_id: UUID
    name: str
    point: tuple[float, float] | None
    has_step_free_access: bool


@dataclass
class _Service:
    id: UUID
    organization_id: UUID
    name: str
    alternate_name: str
    description: str
    eligibility_description: str
    is_free: bool
    is_no_referral_needed: bool
    organization_name: str
    codes: list[str]
    language_keys: set[str]
    places: list[_Place]
    schedules: list[Schedule]
    has_closed_dates: bool


def _language_keys(code: str, name: str) -> set[str]:
    return {LANGUAGE_PREFIX + key.strip().lower() for key in (code, name) if key.strip()}


@lru_cache(maxsize=200_000)
def _terms_of(text: str) -> tuple[tuple[str, str], ...]:
    """(stem, word) for each word of a text that carries meaning; each distinct text (an
    organisation's name, a support-type label, a repeated description) is stemmed once."""
    found = []
    for word in words(text):
        if word in STOP_WORDS or len(word) < 2 or len(word) > 40:
            continue
        found.append((stem(word)[:64], word))
    return tuple(dict.fromkeys(found))


def _add_service(
    rows: _Rows,
    service: _Service,
    by_sal: dict[UUID, list[Schedule]],
    by_location: dict[UUID, list[Schedule]],
    closed_sals: set[UUID],
) -> None:
    labels = support_type_labels()
    weights: dict[str, int] = {}
    seen = rows.words

    def add_text(text: str, weight: int) -> None:
        if not text:
            return
        for term, word in _terms_of(text):
            if weights.get(term, 0) < weight:
                weights[term] = weight
            known = seen[term]
            if len(known) < MAX_WORDS_PER_STEM:
                known.add(word)

    add_text(service.name, WEIGHT_NAME)
    add_text(service.alternate_name, WEIGHT_SUPPORT_TYPE)
    for code in service.codes:
        add_text(labels.get(code, ""), WEIGHT_SUPPORT_TYPE)
        weights[SUPPORT_TYPE_PREFIX + code] = WEIGHT_SUPPORT_TYPE
    add_text(service.organization_name, WEIGHT_OTHER)
    add_text(service.description, WEIGHT_OTHER)
    add_text(service.eligibility_description, WEIGHT_OTHER)
    for place in service.places:
        add_text(place.name, WEIGHT_OTHER)
    for key in service.language_keys:
        weights.setdefault(key[:64], WEIGHT_OTHER)
    rows.terms.extend((term[:64], service.id, weight) for term, weight in weights.items())

    support_types = " ".join(service.codes)
    for place in service.places:
        owner, schedules = "", []
        if place.sal_id in by_sal:
            owner, schedules = "a", by_sal[place.sal_id]
        elif service.schedules:
            owner, schedules = "s", service.schedules
        elif place.location_id in by_location:
            owner, schedules = "l", by_location[place.location_id]
        _add_entry(
            rows,
            service,
            sal_id=place.sal_id,
            location_id=place.location_id,
            point=place.point,
            has_step_free_access=place.has_step_free_access,
            support_types=support_types,
            schedule_owner=owner,
            schedules=schedules,
            has_closed_dates=service.has_closed_dates or place.sal_id in closed_sals,
        )
    if not service.places:
        _add_entry(
            rows,
            service,
            sal_id=None,
            location_id=None,
            point=None,
            has_step_free_access=False,
            support_types=support_types,
            schedule_owner="s" if service.schedules else "",
            schedules=service.schedules,
            has_closed_dates=service.has_closed_dates,
        )


def _add_entry(
    rows: _Rows,
    service: _Service,
    *,
    sal_id: UUID | None,
    location_id: UUID | None,
    point: tuple[float, float] | None,
    has_step_free_access: bool,
    support_types: str,
    schedule_owner: str,
    schedules: list[Schedule],
    has_closed_dates: bool,
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
            has_closed_dates or any(not slot.is_exact for slot in slots),
            schedule_owner,
            has_closed_dates,
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
    "schedule_owner",
    "has_closed_dates",
)
SLOT_COLUMNS = ("entry_id", "weekday", "opens_minute", "closes_minute", "valid_from", "valid_to")
TERM_COLUMNS = ("term", "service_id", "weight")


def _write(rows: _Rows, *, next_id: int | None) -> int | None:
    """Write the rows; with `next_id` (a rebuild), entries get ids from it and are loaded in
    bulk like the rest. Returns the next free id."""
    if not rows.entries:
        return next_id
    if next_id is None:
        entries = [
            SearchEntry(**dict(zip(ENTRY_COLUMNS, values, strict=True))) for values in rows.entries
        ]
        # Both SQLite and PostgreSQL return the new ids from bulk_create.
        SearchEntry.objects.bulk_create(entries, batch_size=500)
        entry_ids = [entry.id for entry in entries]
    else:
        entry_ids = list(range(next_id, next_id + len(rows.entries)))
        next_id += len(rows.entries)
        bulk_insert(
            SearchEntry._meta.db_table,
            ("id", *ENTRY_COLUMNS),
            [(entry_id, *values) for entry_id, values in zip(entry_ids, rows.entries, strict=True)],
        )
    slot_rows = [
        (entry_id, *slot)
        for entry_id, slots in zip(entry_ids, rows.slots, strict=True)
        for slot in slots
    ]
    bulk_insert(SearchOpeningSlot._meta.db_table, SLOT_COLUMNS, slot_rows)
    bulk_insert(SearchTerm._meta.db_table, TERM_COLUMNS, rows.terms)
    return next_id


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


def _count_services() -> None:
    """Store how many services the index holds (for inverse document frequency) and a new
    generation mark, so search processes read one row instead of counting the index, and
    reload the vocabulary only when it has changed."""
    count = SearchEntry.objects.values("service_id").distinct().count()
    SearchVocabulary.objects.update_or_create(
        term=SERVICE_COUNT_TERM, defaults={"document_count": count, "words": uuid4().hex}
    )


def _bump_vocabulary_generation() -> None:
    _count_services()
    forget_vocabulary()
