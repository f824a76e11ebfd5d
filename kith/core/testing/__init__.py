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
