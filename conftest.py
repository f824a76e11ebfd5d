"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture(autouse=True)
def _support_types(request: pytest.FixtureRequest) -> None:
    """The 39 support types come from a data migration. A transactional test (browser journeys,
    concurrency tests) flushes the database when it ends, taking them with it, so put them back
    before any test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    is_transactional = "transactional_db" in request.fixturenames or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )
    request.getfixturevalue("transactional_db" if is_transactional else "db")

    from kith.directory.tests.factories import ensure_support_types

    ensure_support_types()
