"""Read the records of an ORUK feed from a URL (following pagination) or a file.

A URL may be a feed's base URL or its `/services` URL. A file may hold a page (ORUK 3.0
`contents` or ORUK 1.0 `content`), a single service, a JSON array of services, or NDJSON.
Anything that makes the whole feed unusable raises ImportFailed; a single unreadable NDJSON
line becomes a `Unreadable` record so the importer can report it and go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from kith.core.errors import ImportFailed

PAGE_SIZE = 100
MAX_PAGES = 100_000
TIMEOUT_S = 30.0
# Keys a fully nested service carries; a list item with none of them is fetched by id.
NESTED_KEYS = frozenset(
    {
        "service_at_locations",
        "schedules",
        "contacts",
        "attributes",
        "cost_options",
        "languages",
        "regular_schedules",
        "service_taxonomys",
        "organization",
    }
)


@dataclass(frozen=True)
class Unreadable:
    """A record that could not even be parsed (e.g. one bad NDJSON line)."""

    reason: str


Record = dict[str, Any] | Unreadable | object


@dataclass
class Feed:
    source: str
    records: Iterator[Record]
    total: int | None = None  # known after the first page, when the feed says
    pages: list[str] = field(default_factory=list)


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in {"http", "https"}


def open_feed(source: str, *, client: httpx.Client | None = None) -> Feed:
    if is_url(source):
        feed = Feed(source=source, records=iter(()))
        feed.records = _url_records(feed, client or httpx.Client(timeout=TIMEOUT_S))
        return feed
    return _file_feed(source)


# --- files -----------------------------------------------------------------------------------


def _file_feed(source: str) -> Feed:
    path = Path(source)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportFailed(f"There is no file at {source}", field="source") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"Could not read {source}: {exc}", field="source") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return _ndjson_feed(source, text)
    records, total = _records_of(document, where=source)
    return Feed(source=source, records=iter(records), total=total)


def _ndjson_feed(source: str, text: str) -> Feed:
    records: list[Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            records.append(Unreadable(f"line {number} is not JSON ({exc.msg})"))
    if not records or all(isinstance(r, Unreadable) for r in records):
        raise ImportFailed(f"{source} is neither JSON nor NDJSON", field="source")
    return Feed(source=source, records=iter(records), total=len(records))


def _records_of(document: object, *, where: str) -> tuple[list[Record], int | None]:
    """The records in one JSON document and the feed's total, if it says."""
    if isinstance(document, list):
        return list(document), len(document)
    if isinstance(document, dict):
        for key, total_key in (("contents", "total_items"), ("content", "totalElements")):
            if key in document:
                contents = document[key]
                if not isinstance(contents, list):
                    raise ImportFailed(f"{where}: `{key}` is not a list", field="source")
                total = document.get(total_key)
                return list(contents), total if isinstance(total, int) else None
        if "id" in document and "name" in document:
            return [document], 1
    raise ImportFailed(
        f"{where} is not an ORUK feed: expected a page with `contents`, a service, "
        "a list of services or NDJSON",
        field="source",
    )


# --- URLs ------------------------------------------------------------------------------------


def services_url(source: str) -> str:
    parts = urlsplit(source)
    path = parts.path.rstrip("/")
    if not path.endswith("/services"):
        path += "/services"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _get_json(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> Any:
    try:
        response = client.get(url, params=params, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise ImportFailed(f"Could not reach {url}: {exc}", field="source") from None
    if response.status_code != 200:
        raise ImportFailed(f"{response.url} answered HTTP {response.status_code}", field="source")
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ImportFailed(f"{response.url} did not answer with JSON", field="source") from None


def _url_records(feed: Feed, client: httpx.Client) -> Iterator[Record]:
    url = services_url(feed.source)
    base = url.removesuffix("/services")
    previous_first: object = None
    for page in range(1, MAX_PAGES + 1):
        document = _get_json(client, url, {"page": page, "per_page": PAGE_SIZE})
        feed.pages.append(f"{url}?page={page}")
        records, total = _records_of(document, where=url)
        if feed.total is None:
            feed.total = total
        first = records[0].get("id") if records and isinstance(records[0], dict) else None
        if not records or (page > 1 and first is not None and first == previous_first):
            return
        previous_first = first
        for record in records:
            if isinstance(record, dict) and "id" in record and not NESTED_KEYS & record.keys():
                yield _get_json(client, f"{base}/services/{record['id']}")
            else:
                yield record
        if not isinstance(document, dict) or _is_last_page(document, page, len(records)):
            return


def _is_last_page(document: dict[str, Any], page: int, count: int) -> bool:
    if document.get("last_page") is True or document.get("last") is True:
        return True
    total_pages = document.get("total_pages", document.get("totalPages"))
    if isinstance(total_pages, int):
        return page >= total_pages
    return count < PAGE_SIZE
