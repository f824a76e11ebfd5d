"""Finding support: one search engine behind the web page and the ORUK API.

CONTRACT (kept stable for views, the ORUK API, the demo and the importers):
- `search_services(SearchQuery) -> SearchResults`: best first.
- `index_services(service_ids=None)`: bring the search index up to date for these services
  (None: all, in batches). Idempotent: indexing a service again replaces its rows. Write paths
  do not call it: they call `kith.directory.services.indexing.services_reindex`, the one way
  to re-index (it knows which data the index holds and which paths change it).

How it works (the same SQL on SQLite and PostgreSQL; only bulk loading differs, in `postgres.py`):

The index (models at the end of `directory/models.py`, "# Search index"):
- `SearchEntry`: one row per active service at each of its locations (or one row for a service
  with no location): latitude/longitude with a 1.1 km latitude band (`lat_band`), the filter
  flags, support-type codes, a compact copy of the weekly opening slots, the sort name.
  "Near" is `lat_band IN (...) AND longitude BETWEEN ...` on the (lat_band, longitude) index:
  a handful of tight range scans, whatever the size of the country.
- `SearchTerm`: the inverted index, one row per (stem, service) with the weight of the field it
  came from (name 3, support-type label 2, description and the rest 1), plus `~code` rows for
  support types and `@pt` / `@portuguese` rows for languages, so those filters are indexed too.
- `SearchOpeningSlot`: weekly (weekday, opens minute, closes minute, valid range) rows, overnight
  hours split at midnight, so "open at" is an indexed EXISTS. Monthly, fortnightly and counted
  rules and closed dates mark the entry inexact: candidates are checked with `opening.is_open_at`.
- `SearchVocabulary`: every stem, how many services carry it and the words seen for it; read
  into memory (for a minute) for typo correction and inverse document frequency.

A query:
1. `text.py` normalises the words (case, apostrophes, punctuation; first 300 characters),
   corrects only words that are not English (symspellpy's 82,765-word dictionary, read as a
   word list) and that the index and the everyday layer do not know (rapidfuzz, edit distance 1
   for short words, 2 for long; "temper", "tonight", "decent" are never touched). The choice is
   the same in every process: nearest first, then the word more services carry, then the
   alphabetically first (never set or dict order). Words are stemmed with Snowball English,
   except a few whose stem would join a family of another meaning (`text.STEM_EXCEPTIONS`:
   "hearing" as in hearing loss is not "hear" as in hearing voices; "sexuality" is not
   "sexual"); an index last fully rebuilt before those exceptions (`text.STEMS_VERSION`, kept
   in a `#stems` vocabulary row) is searched with its own Snowball stems until it is rebuilt.
   Everyday phrases (`data/everyday-language.csv`, matched on stems, in order, one extra word
   allowed between) infer support types. The everyday layer ADDS to the person's words, never
   replaces them: each inferred type adds its listing words (`data/support-type-words.csv`,
   e.g. crisis: "crisis suicide suicidal samaritans sanctuary"), at most 12, only those the
   index holds, so that listings with no Kith support types (most imported feeds) are found by
   what they say. Stems carried by more than 30% of services are dropped when other words
   remain (the person's and the added alike).
2. Candidates, at most 1,000 index rows: with a point, the nearest rows inside the radius (or
   widening circles of 2, 5, 12, 30 and 80 km until 60 are found; a directory of under 20,000
   services then looks 200 km away and everywhere, cheap at that size) that carry a
   query term; without a point, the services with the highest weighted term sum; with no words,
   everything by distance or name. All filters are SQL conditions on the same query.
3. Ranking (words given), a blend of four parts, each 0 to 1 (`engine.WEIGHT_*`):
   0.45 × text relevance + 0.30 × support-type match (the service carries a type the everyday
   layer inferred) + 0.15 × closeness (1 / (1 + km / 2)) + 0.10 × open soon
   (1 / (1 + hours until open / 12)). Text relevance is the sum, over the person's stems the
   service carries, of field weight (name 3, other name or support-type label 2, the rest 1) ×
   idf, plus, for the words the everyday layer added, only the best one's field weight × idf
   × 0.32 (`ADDED_WORD_WEIGHT`: below a third, so an added word in a name never outweighs the
   person's own, equally rare, word in a description, and many added words cannot pile up);
   divided by 3 × the idf sum of the person's stems (of the added ones when the person typed
   none the index knows). With no words: nearest first, else by name. One hit per service, at
   its nearest location. With hybrid search on (`KITH_SEARCH_DENSE`), this order is fused with
   the dense one (`embedding/fusion.py`). `is_nearest_first` then sorts by distance and
   `is_open_now_first` moves what is open now ahead of the rest, each keeping the order within.
   Why this result: `SearchQuery(explain=True)` gives each hit an `Explanation` (which words
   matched in which field, typed or added; the inferred types it carries; the four parts and
   their blend; found by words, meaning or both, and its place by words alone) for one more
   query; the /find/ page shows it to signed-in directory editors with `?explain=1`.
4. Only the page's hits are hydrated, in a fixed number of bulk queries whatever the size of
   the page or the directory: services with organisations, locations with addresses, and the
   schedules and closed dates of just the owners the index rows name (`schedule_owner`,
   `has_closed_dates`). A search sends at most about 18 queries (tested).

Building the index (`indexing.py`): each batch of services is read with a fixed number of flat
`values_list` queries (no prefetch machinery), each distinct text is stemmed once, and the rows
are written with COPY on PostgreSQL and executemany on SQLite. A full rebuild of a big
directory gives the entries their ids itself (so they load like the rest), drops the secondary
indexes first and builds them once at the end. See docs/benchmarks.md for the figures.

The modules import one way only, each from those below it (an import-linter contract in
pyproject.toml checks it, function-level imports included); this package only re-exports:
- `engine` (a search) and `near` (services at locations nearest a point, for the ORUK API);
- `indexing` (building the index);
- `vocabulary` (the constants the index is written and read with, and the per-process
  vocabulary cache that indexing resets);
- `types` (SearchQuery, SearchResults, SearchHit, Interpretation, Explanation), `text`,
  `postgres`.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from kith.directory.search import engine, indexing
from kith.directory.search.types import Interpretation, SearchHit, SearchQuery, SearchResults

__all__ = [
    "Interpretation",
    "SearchHit",
    "SearchQuery",
    "SearchResults",
    "index_services",
    "search_services",
]


def search_services(query: SearchQuery) -> SearchResults:
    """Best first. Raises ValidationFailed for an impossible query (bad page, naive time...)."""
    return engine.search(query)


def index_services(service_ids: Iterable[UUID] | None = None) -> None:
    indexing.index_services(service_ids)
