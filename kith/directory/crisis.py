"""Crisis options on the search page when the words of a search suggest danger.

A search like "I want to end my life" gets the crisis options above its results at once, screened
with the same code as an ask. Screening and the crisis lines belong to `asks`, which sits above
the directory (asks uses the directory's search; docs/architecture.md), so the directory never
imports them: the setting KITH_SEARCH_CRISIS_LINES names the function to call with the words
(`kith.asks.crisis.crisis_lines_for_search`), which answers the lines to show, or none. Blank
turns it off.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Screening reads the whole text; a search box holds far less.
MAX_WORDS_CHARS = 1000


class CrisisLine(Protocol):
    """What the crisis options component shows of a line (components/crisis_options)."""

    name: str
    how_to_contact: str
    contact: str
    link_text: str
    description: str
    is_always_open: bool  # open any time, day or night


def crisis_lines_for_search(words: str) -> list[CrisisLine]:
    """The crisis lines to show above a search for `words`; [] when they suggest no danger.

    Never raises: a failure here must not cost the person their search (the header's "Need help
    now?" stays on every page)."""
    words = (words or "")[:MAX_WORDS_CHARS]
    if not words.strip() or not settings.KITH_SEARCH_CRISIS_LINES:
        return []
    try:
        return list(import_string(settings.KITH_SEARCH_CRISIS_LINES)(words))
    except Exception:
        logger.exception("Crisis lines for a search failed")
        return []
