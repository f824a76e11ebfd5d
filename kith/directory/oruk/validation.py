"""Check ORUK 3.0 JSON against the published schemas, offline, with formats checked.

The schemas `$ref` each other by absolute URL; every file in `schemas/oruk-3.0/` is registered
under that base so nothing is fetched. jsonschema checks `uuid` and `email` itself; `uri` and
`date-time` need optional packages, so this module supplies strict checkers for them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "schemas" / "oruk-3.0"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
)


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"mailto", "urn", "tel"})


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


@cache
def format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_date_time)
    return checker


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
        if path.name != "openapi.json"
    }


@cache
def registry() -> Registry[Any]:
    return Registry().with_resources(
        (SCHEMA_BASE + name, Resource.from_contents(contents, default_specification=DRAFT202012))
        for name, contents in _schemas().items()
    )


@cache
def validator(schema_name: str) -> Draft202012Validator:
    """A validator for one schema file, e.g. "service.json" or "service_list.json"."""
    return Draft202012Validator(
        _schemas()[schema_name], registry=registry(), format_checker=format_checker()
    )


def schema_errors(document: object, schema_name: str) -> list[str]:
    """Every way `document` breaks `schema_name`, as "path: message" lines; empty when valid."""
    errors = sorted(validator(schema_name).iter_errors(document), key=lambda e: list(e.path))
    return [f"{e.json_path}: {e.message}" for e in errors]
