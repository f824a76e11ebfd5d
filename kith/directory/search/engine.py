"""Running a search over the index (see the package docstring for the design)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from kith.core.errors import ValidationFailed
from kith.directory.embedding.fusion import (
    DENSE_CANDIDATES,
    MIN_SIMILARITY,
    dense_search_is_on,
    fuse,
)
from kith.directory.embedding.index import nearest_services
from kith.directory.geo import bounding_box, distance_m
from kith.directory.models import (
    ClosedDate,
    Location,
    Schedule,
    SearchEntry,
    SearchOpeningSlot,
    SearchTerm,
    Service,
)
from kith.directory.opening import is_open_at, local_zone, next_opening
from kith.directory.search import text as words_
from kith.directory.search.types import (
    Explanation,
    Interpretation,
    MatchedWord,
    SearchHit,
    SearchQuery,
    SearchResults,
)
from kith.directory.search.vocabulary import WEIGHT_NAME, Vocabulary, current_vocabulary

# How many index rows a query ranks at most; pages beyond this are not offered.
POOL_SIZE = 1000
# How many index rows, best field weight first, a text query reads for each of its terms.
TERM_ROWS = 5000
# With a point and no radius, widen the circle until this many rows are found.
ENOUGH_NEARBY = 60
WIDENING_RADII_M = (2_000, 5_000, 12_000, 30_000, 80_000)
# Beyond 80 km only in a small directory, where looking further (200 km, then everywhere)
# is cheap; in a national one each of those rounds reads a large part of the index when
# little matches (say, "open now" at 7am), for results too far away to help.
FARTHER_RADII_M = (200_000, None)
FARTHER_BELOW_SERVICES = 20_000
# Terms carried by more than this share of services say little; dropped when other words remain
# (in a directory big enough for the share to mean something).
COMMON_TERM_SHARE = 0.3

# The ranking blend (each part between 0 and 1); see docs/benchmarks.md and the package doc.
WEIGHT_TEXT = 0.45
WEIGHT_SUPPORT_TYPE = 0.30
WEIGHT_DISTANCE = 0.15
WEIGHT_OPEN_SOON = 0.10
DISTANCE_HALF_SCORE_M = 2_000.0
OPEN_SOON_HALF_SCORE_HOURS = 12.0
# Words the everyday layer adds for an inferred support type (text.support_type_words) count
# this much of a word the person typed, and at most this many are added.
ADDED_WORD_WEIGHT = 0.32
MAX_ADDED_TERMS = 12

LANGUAGE_NAMES = {
    "english": "en", "portuguese": "pt", "somali": "so", "polish": "pl", "spanish": "es",
    "arabic": "ar", "bengali": "bn", "bangla": "bn", "urdu": "ur", "french": "fr", "twi": "tw",
    "yoruba": "yo", "turkish": "tr", "tigrinya": "ti", "amharic": "am", "punjabi": "pa",
    "gujarati": "gu", "tamil": "ta", "romanian": "ro", "lithuanian": "lt", "chinese": "zh",
    "mandarin": "zh", "cantonese": "yue", "italian": "it", "farsi": "fa", "persian": "fa",
    "pashto": "ps", "kurdish": "ku", "russian": "ru", "ukrainian": "uk", "hindi": "hi",
    "welsh": "cy", "british sign language": "bfi", "bsl": "bfi",
}  # fmt: skip


@dataclass
class Understanding:
    has_text: bool
    stems: list[str] = field(default_factory=list)  # the person's own words, always kept
    support_types: list[str] = field(default_factory=list)
    # Listing words the everyday layer adds for the support types it infers (never in place of
    # the person's words): how a listing that carries no support types is found.
    added_stems: list[str] = field(default_factory=list)
    added_words: list[str] = field(default_factory=list)
    understood_words: list[str] = field(default_factory=list)
    ignored_words: list[str] = field(default_factory=list)
    corrected_text: str | None = None
    # Each stem searched for, with the words (typed or added) that gave it: for "why this result".
    words_by_stem: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_understood(self) -> bool:
        return not self.has_text or bool(self.stems or self.support_types)


def _index_stem(word: str, vocabulary: Vocabulary) -> str:
    """The stem the index holds for a word: `text.stem`, or the plain Snowball stem where the
    index was last rebuilt before a word got its own stem (text.STEM_EXCEPTIONS)."""
    if vocabulary.stems_version < words_.STEMS_VERSION:
        return words_.snowball_stem(word)
    return words_.stem(word)


def understand(raw: str) -> Understanding:
    """What a person's words mean to the index: stems, typo fixes and support types."""
    text = (raw or "")[: words_.MAX_QUERY_CHARS]
    tokens = words_.words(text)[: words_.MAX_QUERY_WORDS]
    result = Understanding(has_text=bool(tokens))
    if not tokens:
        return result
    vocabulary = current_vocabulary()
    everyday = words_.everyday_words()
    fixed: list[str] = []
    corrections = False
    for token in tokens:
        word = token
        token_stem = words_.stem(token)
        known = (
            token_stem in vocabulary.document_counts
            or token in everyday
            or token_stem in words_.everyday_stems()
        )
        if not known and token not in words_.STOP_WORDS:
            replacement = words_.correct(token, vocabulary.known_words, vocabulary.document_counts)
            if replacement is not None:
                word, corrections = replacement, True
        fixed.append(word)
    result.corrected_text = " ".join(fixed) if corrections else None
    result.support_types = words_.support_types_in([words_.stem(w) for w in fixed])
    for word in fixed:
        if word in words_.STOP_WORDS or len(word) < 2:
            continue
        term = _index_stem(word, vocabulary)
        if term in vocabulary.document_counts:
            if term not in result.stems:
                result.stems.append(term)
            result.understood_words.append(word)
            result.words_by_stem.setdefault(term, []).append(word)
        elif word in everyday:
            result.understood_words.append(word)
        else:
            result.ignored_words.append(word)
    common = [
        t
        for t in result.stems
        if vocabulary.document_counts[t] > COMMON_TERM_SHARE * max(vocabulary.service_count, 1)
    ]
    if common and len(common) < len(result.stems) and vocabulary.service_count >= 1000:
        result.stems = [t for t in result.stems if t not in common]
    # The everyday layer adds; it never takes the person's words away.
    added_words = words_.support_type_words()
    for code in result.support_types:
        for word in added_words.get(code, ()):
            term = _index_stem(word, vocabulary)
            count = vocabulary.document_counts.get(term, 0)
            if (
                not count
                or term in result.stems
                or term in result.added_stems
                or len(result.added_stems) >= MAX_ADDED_TERMS
                or (
                    vocabulary.service_count >= 1000
                    and count > COMMON_TERM_SHARE * vocabulary.service_count
                )
            ):
                continue
            result.added_stems.append(term)
            result.added_words.append(word)
            result.words_by_stem.setdefault(term, []).append(word)
    return result


# --- Candidates -------------------------------------------------------------------------------

ENTRY = SearchEntry._meta.db_table
TERM = SearchTerm._meta.db_table
SLOT = SearchOpeningSlot._meta.db_table
_ENTRY_FIELDS = (
    "id",
    "service_id",
    "service_at_location_id",
    "location_id",
    "latitude",
    "longitude",
    "support_types",
    "opening_slots",
    "has_inexact_opening",
    "sort_name",
    "schedule_owner",
    "has_closed_dates",
)


@dataclass
class Candidate:
    """An index row. Ids stay as the database returns them (UUIDs on PostgreSQL, hex text on
    SQLite) until the page is chosen: a query ranks up to thousands of rows."""

    entry_id: int
    service_id: Any
    service_at_location_id: Any
    location_id: Any
    latitude: float | None
    longitude: float | None
    support_types: list[str]
    opening_slots: str
    has_inexact_opening: bool
    sort_name: str
    schedule_owner: str
    has_closed_dates: bool
    distance_m: float | None = None
    text_score: float = 0.0  # sum of field weight × idf over the query's stems


def _db_uuid(value: UUID) -> Any:
    return value if connection.vendor == "postgresql" else value.hex


def _uuid(value: Any) -> UUID | None:
    if value is None:
        return None
    return value if isinstance(value, UUID) else UUID(str(value))


def _filters(query: SearchQuery, local_at: dt.datetime | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.is_free:
        where.append("e.is_free = %s")
        params.append(True)
    if query.is_no_referral_needed:
        where.append("e.is_no_referral_needed = %s")
        params.append(True)
    if query.has_step_free_access:
        where.append("e.has_step_free_access = %s")
        params.append(True)
    if query.organization_id is not None:
        where.append("e.organization_id = %s")
        params.append(_db_uuid(query.organization_id))
    for terms in (
        [words_.SUPPORT_TYPE_PREFIX + code for code in query.support_types],
        _language_terms(query.language),
    ):
        if terms:
            marks = ", ".join(["%s"] * len(terms))
            where.append(f"e.service_id IN (SELECT service_id FROM {TERM} WHERE term IN ({marks}))")  # noqa: S608 - our table names; values are parameters
            params.extend(terms)
    if local_at is not None:
        minute = local_at.hour * 60 + local_at.minute
        day = local_at.date()
        where.append(
            f"EXISTS (SELECT 1 FROM {SLOT} s WHERE s.entry_id = e.id AND s.weekday = %s"  # noqa: S608 - our table names; values are parameters
            " AND s.opens_minute <= %s AND s.closes_minute > %s"
            " AND (s.valid_from IS NULL OR s.valid_from <= %s)"
            " AND (s.valid_to IS NULL OR s.valid_to >= %s))"
        )
        params.extend([local_at.weekday(), minute, minute, day, day])
    return where, params


def _language_terms(language: str) -> list[str]:
    key = words_.normalise(language)
    if not key:
        return []
    keys = {key, LANGUAGE_NAMES.get(key, key)}
    return sorted(words_.LANGUAGE_PREFIX + k for k in keys)


_COLUMNS = ", ".join(f"e.{name}" for name in _ENTRY_FIELDS)


def _select(
    where: list[str], params: list[Any], order: str, limit: int, source: str = ENTRY + " e"
) -> list[Candidate]:
    sql = f"SELECT {_COLUMNS} FROM {source}"  # noqa: S608 - names are ours, values are params
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order} LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [_candidate(row) for row in rows]


def _candidate(row: Sequence[Any]) -> Candidate:
    return Candidate(
        entry_id=row[0],
        service_id=row[1],
        service_at_location_id=row[2],
        location_id=row[3],
        latitude=row[4],
        longitude=row[5],
        support_types=row[6].split(),
        opening_slots=row[7],
        has_inexact_opening=bool(row[8]),
        sort_name=row[9],
        schedule_owner=row[10],
        has_closed_dates=bool(row[11]),
    )


def _term_condition(terms: list[str]) -> tuple[str, list[Any]]:
    marks = ", ".join(["%s"] * len(terms))
    return f"e.service_id IN (SELECT service_id FROM {TERM} WHERE term IN ({marks}))", terms  # noqa: S608 - our table names; values are parameters


def _near(
    query: SearchQuery, where: list[str], params: list[Any], terms: list[str]
) -> list[Candidate]:
    assert query.latitude is not None  # noqa: S101 - callers check
    assert query.longitude is not None  # noqa: S101 - callers check
    lat, lon = query.latitude, query.longitude
    scale = math.cos(math.radians(lat))
    order = f"((e.latitude - {lat!r}) * (e.latitude - {lat!r}) + (e.longitude - {lon!r}) * (e.longitude - {lon!r}) * {scale * scale!r}), e.id"
    if terms:
        condition, term_params = _term_condition(terms)
        where, params = [*where, condition], [*params, *term_params]
    radii: Sequence[float | None] = (query.radius_m,)
    if query.radius_m is None:
        radii = WIDENING_RADII_M
        if current_vocabulary().service_count < FARTHER_BELOW_SERVICES:
            radii = (*WIDENING_RADII_M, *FARTHER_RADII_M)
    found: list[Candidate] = []
    for radius in radii:
        box_where, box_params = list(where), list(params)
        if radius is None:
            box_where.append("e.latitude IS NOT NULL")
        else:
            min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
            bands = list(range(math.floor(min_lat * 100), math.floor(max_lat * 100) + 1))
            box_where.append(f"e.lat_band IN ({', '.join(['%s'] * len(bands))})")
            box_where.append("e.longitude BETWEEN %s AND %s")
            box_where.append("e.latitude BETWEEN %s AND %s")
            box_params += [*bands, min_lon, max_lon, min_lat, max_lat]
        found = _select(box_where, box_params, order, POOL_SIZE)
        for candidate in found:
            candidate.distance_m = distance_m(lat, lon, candidate.latitude, candidate.longitude)  # type: ignore[arg-type]
        if radius is not None:
            found = [c for c in found if c.distance_m is not None and c.distance_m <= radius]
        if len(found) >= ENOUGH_NEARBY:
            break
    return found


def _by_text(
    where: list[str],
    params: list[Any],
    terms: list[str],
    weights: dict[str, float],
    added: Sequence[str] = (),
) -> list[Candidate]:
    """The services with the best weighted term sums, joined to their index rows, in one
    query; each row carries its service's text score. Words the everyday layer `added` count
    only by the best of them (not their sum), so a listing with the person's own rare word
    stays above one that has many added words.

    Each term reads at most TERM_ROWS of its rows, best field weight first, on the
    (term, weight, service) index: a word half the country's listings carry costs the same
    as a rare one.
    """
    arms: list[str] = []
    arm_params: list[Any] = []
    for term in terms:
        arm = f"SELECT t.service_id, t.term, t.weight FROM {TERM} t WHERE t.term = %s"  # noqa: S608 - our table names; values are parameters
        arm_params.append(term)
        if where:
            arm += f" AND t.service_id IN (SELECT e.service_id FROM {ENTRY} e WHERE "  # noqa: S608 - our table names; values are parameters
            arm += " AND ".join(where) + ")"
            arm_params += params
        arm += f" ORDER BY t.weight DESC, t.service_id DESC LIMIT {TERM_ROWS}"
        arms.append(f"SELECT * FROM ({arm}) a{len(arms)}")  # noqa: S608 - our SQL
    summed = [t for t in terms if t not in added]
    stems = [t for t in summed if not t.startswith(words_.SUPPORT_TYPE_PREFIX)]
    best = [t for t in terms if t in added]

    def cases(group: list[str]) -> str:
        return " ".join("WHEN %s THEN %s" for _ in group) or "WHEN '' THEN 0"

    added_sql = f"COALESCE(MAX(m.weight * CASE m.term {cases(best)} ELSE 0 END), 0)"
    inner = (
        f"SELECT m.service_id, SUM(m.weight * CASE m.term {cases(summed)} ELSE 0 END)"  # noqa: S608 - our SQL; values are parameters
        f" + {added_sql} AS score,"
        f" SUM(m.weight * CASE m.term {cases(stems)} ELSE 0 END) + {added_sql} AS text_score"
        f" FROM ({' UNION ALL '.join(arms)}) m"
        f" GROUP BY m.service_id ORDER BY score DESC, m.service_id LIMIT {POOL_SIZE}"
    )
    sql_params: list[Any] = []
    for group in (summed, best, stems, best):
        sql_params += [v for t in group for v in (t, weights.get(t, 1.0))]
    sql_params += arm_params
    sql = (
        f"SELECT {_COLUMNS}, top.text_score FROM ({inner}) top"  # noqa: S608 - our table names; values are parameters
        f" JOIN {ENTRY} e ON e.service_id = top.service_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
        sql_params += params
    sql += f" ORDER BY e.id LIMIT {POOL_SIZE * 4}"
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        candidate = _candidate(row)
        candidate.text_score = float(row[-1] or 0.0)
        found.append(candidate)
    return found


def _add_text_scores(
    candidates: list[Candidate], stems: list[str], idf: dict[str, float], added: Sequence[str] = ()
) -> None:
    """Text scores for candidates found by place, in one query (added words as in _by_text)."""
    service_ids = list({c.service_id for c in candidates})
    if not stems or not service_ids:
        return
    own = [t for t in stems if t not in added]
    best = [t for t in stems if t in added]

    def cases(group: list[str]) -> str:
        return " ".join("WHEN %s THEN %s" for _ in group) or "WHEN '' THEN 0"

    sql = (
        f"SELECT t.service_id, SUM(t.weight * CASE t.term {cases(own)} ELSE 0 END)"  # noqa: S608 - our table names; values are parameters
        f" + COALESCE(MAX(t.weight * CASE t.term {cases(best)} ELSE 0 END), 0) FROM {TERM} t"
        f" WHERE t.term IN ({', '.join(['%s'] * len(stems))})"
        f" AND t.service_id IN ({', '.join(['%s'] * len(service_ids))}) GROUP BY t.service_id"
    )
    params: list[Any] = [v for t in own for v in (t, idf.get(t, 1.0))]
    params += [v for t in best for v in (t, idf.get(t, 1.0))]
    params += stems
    params += service_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        scores = {row[0]: float(row[1] or 0.0) for row in cursor.fetchall()}
    for c in candidates:
        c.text_score = scores.get(c.service_id, 0.0)


# --- Opening checks ---------------------------------------------------------------------------


def opening_inputs(
    candidates: Sequence[Candidate],
) -> dict[int, tuple[list[Schedule], list[ClosedDate]]]:
    """The schedules and closed dates that apply to each candidate row: at most five queries
    (schedules by owner, closed dates by service and by service at location), only for the
    owners the rows name."""
    owners: dict[str, set[Any]] = {"a": set(), "s": set(), "l": set()}
    for c in candidates:
        if c.schedule_owner == "a":
            owners["a"].add(c.service_at_location_id)
        elif c.schedule_owner == "s":
            owners["s"].add(c.service_id)
        elif c.schedule_owner == "l":
            owners["l"].add(c.location_id)
    lookups = {"a": "service_at_location_id", "s": "service_id", "l": "location_id"}
    schedules: dict[tuple[str, Any], list[Schedule]] = defaultdict(list)
    for owner, keys in owners.items():
        if not keys:
            continue
        column = lookups[owner]
        for schedule in Schedule.objects.filter(**{f"{column}__in": [_uuid(k) for k in keys]}):
            schedules[(owner, _key(getattr(schedule, column)))].append(schedule)
    closed_services: set[Any] = {_uuid(c.service_id) for c in candidates if c.has_closed_dates}
    closed_sals: set[Any] = {
        _uuid(c.service_at_location_id)
        for c in candidates
        if c.has_closed_dates and c.service_at_location_id is not None
    }
    closed: dict[tuple[str, Any], list[ClosedDate]] = defaultdict(list)
    if closed_services:
        for date in ClosedDate.objects.filter(service_id__in=closed_services):
            closed[("s", _key(date.service_id))].append(date)
    if closed_sals:
        for date in ClosedDate.objects.filter(service_at_location_id__in=closed_sals):
            closed[("a", _key(date.service_at_location_id))].append(date)
    inputs: dict[int, tuple[list[Schedule], list[ClosedDate]]] = {}
    for c in candidates:
        owner_key = {"a": c.service_at_location_id, "s": c.service_id, "l": c.location_id}.get(
            c.schedule_owner
        )
        found = schedules.get((c.schedule_owner, _key(owner_key)), []) if owner_key else []
        dates = [*closed.get(("s", _key(c.service_id)), [])]
        if c.service_at_location_id is not None:
            dates += closed.get(("a", _key(c.service_at_location_id)), [])
        inputs[c.entry_id] = (found, dates)
    return inputs


def _key(value: Any) -> UUID | None:
    return _uuid(value)


def _open_soon(slots: str, local: dt.datetime) -> float:
    now = local.weekday() * 1440 + local.hour * 60 + local.minute
    best: int | None = None
    for slot in slots.split():
        day, _, span = slot.partition(":")
        opens, _, closes = span.partition("-")
        start = int(day) * 1440 + int(opens)
        end = int(day) * 1440 + int(closes)
        wait = 0 if start <= now < end else (start - now) % 10080
        best = wait if best is None else min(best, wait)
    if best is None:
        return 0.0
    return 1.0 / (1.0 + best / 60.0 / OPEN_SOON_HALF_SCORE_HOURS)


# --- The search -------------------------------------------------------------------------------


def validate(query: SearchQuery) -> None:
    if query.page < 1:
        raise ValidationFailed("Page must be 1 or more", field="page")
    if not 1 <= query.per_page <= 100:
        raise ValidationFailed("Results per page must be between 1 and 100", field="per_page")
    if (query.latitude is None) != (query.longitude is None):
        raise ValidationFailed("Give both latitude and longitude", field="latitude")
    if query.latitude is not None and not -90 <= query.latitude <= 90:
        raise ValidationFailed("Latitude must be between -90 and 90", field="latitude")
    if query.longitude is not None and not -180 <= query.longitude <= 180:
        raise ValidationFailed("Longitude must be between -180 and 180", field="longitude")
    if query.radius_m is not None:
        if query.latitude is None:
            raise ValidationFailed("A distance needs a place to measure from", field="radius_m")
        if not 0 < query.radius_m <= 1_000_000:
            raise ValidationFailed("Distance must be between 0 and 1,000 km", field="radius_m")
    if query.open_at is not None and timezone.is_naive(query.open_at):
        raise ValidationFailed("A time to be open needs a time zone", field="open_at")


def search(query: SearchQuery) -> SearchResults:
    validate(query)
    zone = local_zone()
    now = timezone.now()
    understanding = understand(query.text)
    interpretation = Interpretation(
        support_types=list(understanding.support_types),
        corrected_text=understanding.corrected_text,
        understood_words=understanding.understood_words,
        added_words=understanding.added_words,
        ignored_words=understanding.ignored_words,
        is_understood=understanding.is_understood,
    )
    empty = SearchResults(
        hits=[], total=0, page=query.page, per_page=query.per_page, interpretation=interpretation
    )
    is_dense = dense_search_is_on() and bool(query.text.strip())  # issue 11, W3: see below
    if not understanding.is_understood and not is_dense:
        return empty

    local_at = query.open_at.astimezone(zone) if query.open_at is not None else None
    where, params = _filters(query, local_at)
    # The person's words, then the listing words the everyday layer adds (worth less), then
    # the support types it inferred: adding to the words, never in their place.
    stems = [*understanding.stems, *understanding.added_stems]
    inferred = [words_.SUPPORT_TYPE_PREFIX + code for code in understanding.support_types]
    terms = [*stems, *inferred]
    vocabulary = current_vocabulary() if terms else None
    idf: dict[str, float] = {}
    if vocabulary is not None:
        total = max(vocabulary.service_count, 1)
        for term in stems:
            idf[term] = math.log(1 + total / max(vocabulary.document_counts.get(term, 1), 1))
        for term in understanding.added_stems:
            idf[term] *= ADDED_WORD_WEIGHT
        for term in inferred:
            idf[term] = 1.0

    if query.latitude is not None:
        candidates = _near(query, where, params, terms)
        _add_text_scores(candidates, stems, idf, understanding.added_stems)
    elif terms:
        candidates = _by_text(where, params, terms, idf, understanding.added_stems)
    else:
        candidates = _select(where, params, "e.sort_name, e.id", POOL_SIZE)

    if local_at is not None:
        inexact = [c for c in candidates if c.has_inexact_opening]
        if inexact:
            inputs = opening_inputs(inexact)
            closed_now = {
                c.entry_id
                for c in inexact
                if c.entry_id in inputs and not is_open_at(*inputs[c.entry_id], local_at)
            }
            candidates = [c for c in candidates if c.entry_id not in closed_now]

    # One hit per service, at its nearest (or first) location.
    best_entry: dict[Any, Candidate] = {}
    for candidate in candidates:
        current = best_entry.get(candidate.service_id)
        if current is None or (candidate.distance_m or 0) < (current.distance_m or 0):
            best_entry[candidate.service_id] = candidate
    chosen = list(best_entry.values())

    scores: dict[Any, float] = {}
    parts: dict[Any, tuple[float, float, float, float]] = {}  # for SearchHit.explanation
    if terms:
        # Normalised by the person's own words (the added ones when they typed none we know).
        stem_idf = sum(idf[t] for t in understanding.stems) or sum(idf[t] for t in stems) or 1.0
        reference = local_at or now.astimezone(zone)
        for c in chosen:
            text = c.text_score / WEIGHT_NAME / stem_idf
            support = 1.0 if set(understanding.support_types) & set(c.support_types) else 0.0
            near = 0.0
            if c.distance_m is not None:
                near = 1.0 / (1.0 + c.distance_m / DISTANCE_HALF_SCORE_M)
            soon = _open_soon(c.opening_slots, reference)
            parts[c.service_id] = (text, support, near, soon)
            scores[c.service_id] = (
                WEIGHT_TEXT * text
                + WEIGHT_SUPPORT_TYPE * support
                + WEIGHT_DISTANCE * near
                + WEIGHT_OPEN_SOON * soon
            )
        chosen.sort(key=lambda c: (-scores[c.service_id], c.distance_m or 0, c.sort_name))
    elif query.latitude is not None:
        chosen.sort(key=lambda c: (c.distance_m or 0, c.sort_name))
    else:
        chosen.sort(key=lambda c: (c.sort_name, c.entry_id))
    by_words = {c.service_id: rank for rank, c in enumerate(chosen, start=1)} if terms else {}
    # --- Dense fusion (issue 11, W3): lexical and dense candidates by reciprocal rank. ---
    if is_dense:
        chosen = _fuse_dense(
            query,
            understanding.support_types,
            chosen if terms else [],
            where,
            params,
            local_at,
            scores,
        )

    if query.is_nearest_first and query.latitude is not None:
        # Stable: places as near as each other keep the best match first.
        chosen.sort(key=lambda c: (c.distance_m is None, c.distance_m or 0))

    if query.is_open_now_first:
        open_now = _open_now(chosen, now.astimezone(zone))
        chosen.sort(key=lambda c: c.entry_id not in open_now)  # stable: each part keeps its order

    start = (query.page - 1) * query.per_page
    page = chosen[start : start + query.per_page]
    hits = _hits(page, scores, now)
    if query.explain:
        _explain(hits, page, understanding, parts, by_words, scores, is_dense)
    return SearchResults(
        hits=hits,
        total=len(chosen),
        page=query.page,
        per_page=query.per_page,
        interpretation=interpretation,
        is_total_capped=len(candidates) >= POOL_SIZE,
    )


def _fuse_dense(
    query: SearchQuery,
    inferred: Sequence[str],
    lexical: list[Candidate],
    where: list[str],
    params: list[Any],
    local_at: dt.datetime | None,
    scores: dict[Any, float],
) -> list[Candidate]:
    """Issue 11, W3. The lexical candidates (in their order) fused with the services nearest
    in meaning to the words and the support types inferred from them
    (kith/directory/embedding/): every lexical candidate stays; services found only by meaning
    pass the same filters and radius. `scores` becomes the fused score."""
    nearest = [
        service_id
        for service_id, similarity in nearest_services(query.text, DENSE_CANDIDATES, inferred)
        if similarity >= MIN_SIMILARITY
    ]
    by_id: dict[UUID | None, Candidate] = {_uuid(c.service_id): c for c in lexical}
    missing = [service_id for service_id in nearest if service_id not in by_id]
    if missing:
        marks = ", ".join(["%s"] * len(missing))
        rows = _select(
            [*where, f"e.service_id IN ({marks})"],
            [*params, *(_db_uuid(service_id) for service_id in missing)],
            "e.id",
            POOL_SIZE,
        )
        if local_at is not None and (inexact := [c for c in rows if c.has_inexact_opening]):
            inputs = opening_inputs(inexact)
            rows = [
                c
                for c in rows
                if not c.has_inexact_opening
                or (c.entry_id in inputs and is_open_at(*inputs[c.entry_id], local_at))
            ]
        for c in rows:
            if query.latitude is not None and query.longitude is not None:
                if c.latitude is None or c.longitude is None:
                    if query.radius_m is not None:
                        continue
                else:
                    c.distance_m = distance_m(
                        query.latitude, query.longitude, c.latitude, c.longitude
                    )
                    if query.radius_m is not None and c.distance_m > query.radius_m:
                        continue
            current = by_id.get(_uuid(c.service_id))
            if current is None or (c.distance_m or 0) < (current.distance_m or 0):
                by_id[_uuid(c.service_id)] = c
    fused = fuse(
        [_uuid(c.service_id) for c in lexical],
        [service_id for service_id in nearest if service_id in by_id],
    )
    scores.clear()
    chosen = []
    for service_id, score in fused:
        candidate = by_id[service_id]
        scores[candidate.service_id] = score
        chosen.append(candidate)
    return chosen


FIELD_NAMES = {3: "name", 2: "other name or support type", 1: "description"}


def _explain(
    hits: list[SearchHit],
    page: list[Candidate],
    understanding: Understanding,
    parts: dict[Any, tuple[float, float, float, float]],
    by_words: dict[Any, int],
    scores: dict[Any, float],
    is_dense: bool,
) -> None:
    """Why each hit is there (for editors): which words matched in which field (one query for
    the page), the blend's parts, and whether words, meaning or both found it."""
    stems = [*understanding.stems, *understanding.added_stems]
    fields: dict[Any, dict[str, int]] = defaultdict(dict)
    service_ids = [c.service_id for c in page]
    if stems and service_ids:
        sql = (
            f"SELECT t.service_id, t.term, t.weight FROM {TERM} t"  # noqa: S608 - our table names; values are parameters
            f" WHERE t.term IN ({', '.join(['%s'] * len(stems))})"
            f" AND t.service_id IN ({', '.join(['%s'] * len(service_ids))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*stems, *service_ids])
            for service_id, term, weight in cursor.fetchall():
                fields[service_id][term] = int(weight)
    added = set(understanding.added_stems)
    for hit, c in zip(hits, page, strict=True):
        matched = [
            MatchedWord(word, FIELD_NAMES.get(weight, "description"), term in added)
            for term, weight in sorted(
                fields[c.service_id].items(), key=lambda item: (-item[1], stems.index(item[0]))
            )
            for word in dict.fromkeys(understanding.words_by_stem.get(term, [term]))
        ]
        text, support, near, soon = parts.get(c.service_id, (0.0, 0.0, 0.0, 0.0))
        rank = by_words.get(c.service_id)
        found_by = "words"
        if is_dense:
            found_by = "meaning" if rank is None else "words and meaning"
        hit.explanation = Explanation(
            matched=matched,
            support_types=[t for t in understanding.support_types if t in c.support_types],
            text=round(text, 4),
            support_type=support,
            closeness=round(near, 4),
            open_soon=round(soon, 4),
            blend=round(
                WEIGHT_TEXT * text
                + WEIGHT_SUPPORT_TYPE * support
                + WEIGHT_DISTANCE * near
                + WEIGHT_OPEN_SOON * soon,
                4,
            ),
            weights=(WEIGHT_TEXT, WEIGHT_SUPPORT_TYPE, WEIGHT_DISTANCE, WEIGHT_OPEN_SOON),
            found_by=found_by,
            rank_by_words=rank,
        )


def _open_now(candidates: list[Candidate], local_at: dt.datetime) -> set[int]:
    """The index rows open at `local_at`: weekly slots in one query (as the "open at" filter
    reads them), rows with other rules or closed dates checked against their schedules."""
    exact = [c.entry_id for c in candidates if not c.has_inexact_opening]
    found: set[int] = set()
    minute, day = local_at.hour * 60 + local_at.minute, local_at.date()
    for start in range(0, len(exact), 500):
        batch = exact[start : start + 500]
        sql = (
            f"SELECT DISTINCT s.entry_id FROM {SLOT} s WHERE s.entry_id IN ({', '.join(['%s'] * len(batch))})"  # noqa: S608 - our table names; values are parameters
            " AND s.weekday = %s AND s.opens_minute <= %s AND s.closes_minute > %s"
            " AND (s.valid_from IS NULL OR s.valid_from <= %s)"
            " AND (s.valid_to IS NULL OR s.valid_to >= %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*batch, local_at.weekday(), minute, minute, day, day])
            found.update(row[0] for row in cursor.fetchall())
    inexact = [c for c in candidates if c.has_inexact_opening]
    if inexact:
        inputs = opening_inputs(inexact)
        found.update(
            c.entry_id
            for c in inexact
            if c.entry_id in inputs and is_open_at(*inputs[c.entry_id], local_at)
        )
    return found


def _hits(page: list[Candidate], scores: dict[Any, float], now: dt.datetime) -> list[SearchHit]:
    """The page's hits in a fixed number of queries: services with their organisations,
    locations with their addresses, then schedules and closed dates (see opening_inputs)."""
    if not page:
        return []
    services = Service.objects.select_related("organization").in_bulk(
        [_uuid(c.service_id) for c in page]
    )
    locations: dict[Any, Location] = Location.objects.prefetch_related(
        Prefetch("addresses")
    ).in_bulk([_uuid(c.location_id) for c in page if c.location_id])
    inputs = opening_inputs(page)
    hits = []
    for c in page:
        schedules, closed = inputs.get(c.entry_id, ([], []))
        opening = next_opening(schedules, closed, now)
        is_open = opening is not None and opening.starts_at <= now < opening.ends_at
        hits.append(
            SearchHit(
                service=services[_uuid(c.service_id)],
                location=locations.get(_uuid(c.location_id)) if c.location_id else None,
                distance_m=c.distance_m,
                score=round(scores.get(c.service_id, 0.0), 6),
                support_types=list(c.support_types),
                is_open_now=is_open,
                next_open_at=opening.starts_at if opening else None,
                opening=opening,
            )
        )
    return hits
