"""Schemathesis fuzzes both APIs through the WSGI app: no input may cause a 5xx, and every answer
must match the documented schema.

- `/api/v1/` from its own OpenAPI document (the one `docs/openapi-v1.json` commits), every
  check on: server errors, status codes, content types and response schemas.
- `/api/oruk/` from the published ORUK 3.0 OpenAPI (`oruk/schemas/oruk-3.0/openapi.json`), whose
  query parameters our API follows. It documents only the 200s, so status codes are not checked
  (a bad `page` rightly answers 400); each 200 is validated against the published JSON schemas
  offline with `schema_errors`, since the document `$ref`s them by URL.

Bounded and deterministic: a fixed number of examples per operation and derandomized, so a run
takes about the same time and finds the same things everywhere.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig

from kith.config.api import api
from kith.directory.oruk.validation import SCHEMA_BASE, SCHEMA_DIR, schema_errors
from kith.directory.search import index_services
from kith.directory.tests.factories import ServiceAtLocationFactory, tag_support_types

MAX_EXAMPLES = 30
# Derandomized, no example database; the listings fixture is set up once per operation, which is
# what we want (the examples only read it, or add asks).
BOUNDED = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        hypothesis.HealthCheck.function_scoped_fixture,
        hypothesis.HealthCheck.too_slow,
    ],
)
HOSTILE = ["\x00", "counselling\x00", "a" * 5001]
CHECKS = ["not_a_server_error", "content_type_conformance", "response_schema_conformance"]


def _config(*checks: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            # Valid and invalid inputs both: invalid ones are where 500s hide. Strings are
            # sometimes hostile on purpose: a NUL once got to PostgreSQL and made a 500.
            "dictionaries": {"hostile": {"values": HOSTILE}},
            "generation": {
                "mode": "all",
                "dictionaries": {"string": {"dictionary": "hostile", "probability": 0.2}},
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in checks}},
        }
    )


def _oruk_document() -> tuple[dict[str, Any], dict[str, str]]:
    """The published ORUK OpenAPI served from /api/oruk, with each response's schema `$ref` set
    aside (to validate offline) and the NDJSON our lists also answer with `format=ndjson`."""
    document = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    document["servers"] = [{"url": "/api/oruk"}]
    schema_of: dict[str, str] = {}
    for path, item in document["paths"].items():
        ok = item["get"]["responses"]["200"]
        ref = ok["content"]["application/json"]["schema"]["$ref"]
        schema_of[path] = ref.removeprefix(SCHEMA_BASE)
        ok["content"] = {"application/json": {}, "application/x-ndjson": {}}
    return document, schema_of


def _schema(document: dict[str, Any], *checks: str) -> Any:
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(document), config=_config(*checks))
    loaded.app = WSGIHandler()
    return loaded


ORUK_DOCUMENT, ORUK_SCHEMA_OF = _oruk_document()
v1 = _schema(api.get_openapi_schema(), *CHECKS, "status_code_conformance")
oruk = _schema(ORUK_DOCUMENT, *CHECKS)


@pytest.fixture(autouse=True)
def _one_connection() -> Iterator[None]:
    """The WSGI app would close the database connection after each request, as it should in
    production; here that connection holds the test's transaction (Django's test client keeps it
    open the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def directory(db: None) -> None:
    """A few fictional listings, so the lists and searches have something to say."""
    for name in ["Fictional Brixton walking group", "Fictional Stockwell tea and talk"]:
        sal: Any = ServiceAtLocationFactory(service__name=name)
        tag_support_types(sal.service, "peer-support")
    index_services()


@v1.parametrize()
@BOUNDED
def test_the_v1_api_holds_up_to_fuzzing(case: Any, db: None, settings: Any) -> None:
    # given
    settings.KITH_ASK_RATE_LIMIT = "0"  # every example reaches the ask, not the rate limit
    # when
    response = case.call()
    # then
    case.validate_response(response)


@oruk.parametrize()
@BOUNDED
def test_the_oruk_api_holds_up_to_fuzzing(case: Any, directory: None) -> None:
    # when
    response = case.call()
    # then
    case.validate_response(response)
    content_type = response.headers.get("content-type", [""])[0]
    if response.status_code == 200 and content_type.startswith("application/json"):
        assert schema_errors(response.json(), ORUK_SCHEMA_OF[case.operation.path]) == []
