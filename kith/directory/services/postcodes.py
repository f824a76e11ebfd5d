"""Writes to the postcode table from the ONS Postcode Directory (ONSPD) CSV.

Contract:
- The file is streamed row by row (the real one is about 2.6 million rows, 1.4 GB) and written
  in batches of upserts; memory stays flat apart from one running total per postcode district.
- All or nothing: the import runs in one transaction, so a file that turns out to be unusable
  (missing columns, not CSV text, broken part way through) leaves the table exactly as it was.
- Rows that cannot be used are skipped and counted by reason: terminated postcodes (`doterm`
  set; any existing row for them is removed), no grid reference (ONSPD writes 99.999999), bad
  coordinates, not a postcode. Rows outside `local_authority`, when given, are left out.
- Each postcode district (outward code, e.g. "SW9") gets a row at the mean of its postcodes in
  this file, with `is_district=True`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from kith.core.errors import ImportFailed, ValidationFailed
from kith.directory.geo import normalise_postcode
from kith.directory.models import Postcode

NO_GRID_REFERENCE = 99.999999
DEFAULT_BATCH_SIZE = 5000
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2")
LOCAL_AUTHORITY_COLUMN = re.compile(r"^(oslaua|laua|lad\d{2}cd)$")
LOCAL_AUTHORITY_CODE = re.compile(r"^[EWSNL]\d{8}$")

SKIP_TERMINATED = "terminated postcode"
SKIP_NO_GRID = "no grid reference"
SKIP_BAD_COORDINATES = "coordinates are not numbers in range"
SKIP_NOT_POSTCODE = "not a postcode"
SKIP_MALFORMED = "wrong number of fields"

ProgressCallback = Callable[[int, int], None]  # (bytes read, bytes in file)


@dataclass
class PostcodeImportResult:
    imported: int = 0
    districts: int = 0
    removed: int = 0  # existing rows for postcodes the file marks as terminated
    outside_local_authority: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[int]] = field(default_factory=dict)  # reason -> first line numbers

    def skip(self, reason: str, line: int) -> None:
        self.skipped[reason] += 1
        lines = self.examples.setdefault(reason, [])
        if len(lines) < 5:
            lines.append(line)


@dataclass(frozen=True)
class _Columns:
    postcode: str
    latitude: str
    longitude: str
    terminated: str | None
    local_authority: str | None


def postcodes_import(
    *,
    path: Path,
    local_authority: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
) -> PostcodeImportResult:
    """Upsert postcodes (and district centres) from an ONSPD CSV file; see the module contract."""
    if local_authority is not None:
        local_authority = local_authority.strip().upper()
        if not LOCAL_AUTHORITY_CODE.match(local_authority):
            raise ValidationFailed(
                "Enter a local authority code like E09000022 (Lambeth).", field="local_authority"
            )
    if not path.is_file():
        raise ImportFailed(f"No such file: {path}")
    total_bytes = path.stat().st_size
    if total_bytes == 0:
        raise ImportFailed(f"{path} is empty: expected the ONS Postcode Directory CSV.")
    with path.open("rb") as raw, transaction.atomic():
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = _read_header(reader, path)
        columns = _columns(header, path, needs_local_authority=local_authority is not None)
        result = PostcodeImportResult()
        sums: dict[str, list[float]] = {}
        batch: dict[str, Postcode] = {}
        terminated: list[str] = []
        for line, row in _rows(reader, path):
            if len(row) != len(header):
                result.skip(SKIP_MALFORMED, line)
                continue
            record = dict(zip(header, row, strict=True))
            if local_authority and record[columns.local_authority or ""] != local_authority:
                result.outside_local_authority += 1
                continue
            parsed = _parse(record, columns)
            if isinstance(parsed, str):
                result.skip(parsed, line)
                if parsed == SKIP_TERMINATED:
                    code = _code(record[columns.postcode])
                    if code:
                        terminated.append(code)
                continue
            postcode, outward = parsed
            batch[postcode.code] = postcode
            total = sums.setdefault(outward, [0.0, 0.0, 0])
            total[0] += postcode.latitude
            total[1] += postcode.longitude
            total[2] += 1
            if len(batch) >= batch_size:
                result.imported += _upsert(list(batch.values()))
                batch.clear()
                result.removed += _remove(terminated)
                terminated.clear()
                if on_progress:
                    on_progress(raw.tell(), total_bytes)
        result.imported += _upsert(list(batch.values()))
        result.removed += _remove(terminated)
        districts = [
            Postcode(
                code=outward,
                latitude=round(lat / count, 6),
                longitude=round(lon / count, 6),
                is_district=True,
                local_authority="",
            )
            for outward, (lat, lon, count) in sorted(sums.items())
        ]
        result.districts = _upsert(districts)
        if on_progress:
            on_progress(total_bytes, total_bytes)
    return result


def _read_header(reader: Iterator[list[str]], path: Path) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFailed(f"{path} is empty: expected the ONS Postcode Directory CSV.") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise ImportFailed(
            f"{path} is not a CSV text file ({error}). Unzip the ONS Postcode Directory and "
            "pass the CSV file inside it (Data/ONSPD_..._UK.csv)."
        ) from None
    return [name.strip().lower() for name in header]


def _columns(header: list[str], path: Path, *, needs_local_authority: bool) -> _Columns:
    postcode = next((name for name in POSTCODE_COLUMNS if name in header), None)
    local_authority = next((name for name in header if LOCAL_AUTHORITY_COLUMN.match(name)), None)
    missing = [] if postcode else ["pcds (or pcd, pcd2)"]
    missing += [name for name in ("lat", "long") if name not in header]
    if needs_local_authority and not local_authority:
        missing.append("oslaua (or lad..cd), needed for --local-authority")
    if missing:
        raise ImportFailed(
            f"{path} does not look like the ONS Postcode Directory: missing columns "
            f"{', '.join(missing)}. Nothing was imported."
        )
    return _Columns(
        postcode=postcode or "",
        latitude="lat",
        longitude="long",
        terminated="doterm" if "doterm" in header else None,
        local_authority=local_authority,
    )


def _rows(reader: Iterator[list[str]], path: Path) -> Iterator[tuple[int, list[str]]]:
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportFailed(
                f"{path} is broken after line {line} ({error}). Nothing was imported."
            ) from None
        line += 1
        if row:
            yield line, row


def _code(raw: str) -> str | None:
    try:
        postcode = normalise_postcode(raw)
    except ValidationFailed:
        return None
    return postcode.replace(" ", "") if " " in postcode else None


def _parse(record: dict[str, str], columns: _Columns) -> tuple[Postcode, str] | str:
    """A postcode row and its outward code, or the reason the row is skipped."""
    if columns.terminated and record[columns.terminated].strip():
        return SKIP_TERMINATED
    try:
        postcode = normalise_postcode(record[columns.postcode])
    except ValidationFailed:
        return SKIP_NOT_POSTCODE
    if " " not in postcode:
        return SKIP_NOT_POSTCODE
    try:
        latitude = float(record[columns.latitude])
        longitude = float(record[columns.longitude])
    except ValueError:
        return SKIP_BAD_COORDINATES
    if abs(latitude - NO_GRID_REFERENCE) < 1e-6:
        return SKIP_NO_GRID
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return SKIP_BAD_COORDINATES
    local_authority = record[columns.local_authority] if columns.local_authority else ""
    row = Postcode(
        code=postcode.replace(" ", ""),
        latitude=latitude,
        longitude=longitude,
        is_district=False,
        local_authority=local_authority.strip()[:9],
    )
    return row, postcode.split(" ")[0]


def _upsert(rows: list[Postcode]) -> int:
    if not rows:
        return 0
    Postcode.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["latitude", "longitude", "is_district", "local_authority"],
    )
    return len(rows)


def _remove(codes: list[str]) -> int:
    if not codes:
        return 0
    deleted, _ = Postcode.objects.filter(code__in=codes, is_district=False).delete()
    return deleted
