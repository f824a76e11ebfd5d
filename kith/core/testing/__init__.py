"""Helpers for tests in every app: read rendered HTML with CSS selectors."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag


def html(response: Any) -> BeautifulSoup:
    """Parse a Django test response (or a string) into a soup."""
    content = response if isinstance(response, str | bytes) else response.content
    return BeautifulSoup(content, "html.parser")


def one(node: Any, selector: str) -> Tag:
    """The single element matching `selector`; fails the test clearly when it is missing."""
    soup = node if isinstance(node, Tag) else html(node)
    found = soup.select(selector)
    if not found:
        raise AssertionError(f"nothing matches {selector!r}")
    return found[0]


def text(node: Any, selector: str) -> str:
    """The whitespace-folded text of the element matching `selector`."""
    return one(node, selector).get_text(" ", strip=True)


# Rows that data migrations load and the product relies on: (migration module, loader, model).
REFERENCE_DATA = (
    (
        "kith.directory.migrations.0002_support_types",
        "load_support_types",
        "directory.TaxonomyTerm",
    ),
    ("kith.asks.migrations.0002_crisis_options", "seed", "asks.CrisisOption"),
    ("kith.asks.migrations.0005_crisis_lines", "seed", "asks.CrisisOption"),
)


def restore_reference_data() -> None:
    """Load again what the data migrations loaded, where a transactional test's flush (browser
    journeys, concurrency tests) emptied it. The loaders are the migrations' own functions,
    given the real app registry, so tests see exactly what a migrated database holds."""
    import importlib

    from django.apps import apps

    # Decided before loading anything: a model's later loaders build on its earlier ones.
    emptied = {
        label for _m, _l, label in REFERENCE_DATA if not apps.get_model(label).objects.exists()
    }
    for module_name, loader_name, model_label in REFERENCE_DATA:
        if model_label in emptied:
            loader = getattr(importlib.import_module(module_name), loader_name)
            loader(apps, None)
