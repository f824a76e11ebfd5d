"""Pages of a long list: which rows, what "Showing 26 to 50 of 2,351" says, and the links.

A page is read in one query: the rows of the page, each carrying the total as a window count
(`COUNT(*) OVER ()`, which PostgreSQL and SQLite both compute before LIMIT and OFFSET). Only a
page past the end costs more: one count and the last page instead, so a stale link still shows
something. Links follow the NHS.UK pagination component and are plain `href`s, so paging works
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext

PER_PAGE = 25
# Past this a page number is nonsense (and an OFFSET that large a needless cost).
MAX_PAGE = 100_000
TOTAL = "page_total"


def page_number(value: str | None) -> int:
    """The page a query string asks for: a whole number from 1, else the first page."""
    if value is None or not value.isascii() or not value.isdigit():
        return 1
    return min(max(int(value), 1), MAX_PAGE)


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    number: int
    size: int
    total: int

    @property
    def last_number(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_other_pages(self) -> bool:
        return self.total > self.size

    @property
    def showing(self) -> str:
        return showing(number=self.number, size=self.size, total=self.total)

    # A page behaves as the list of its rows.
    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def map[U](self, change: Callable[[T], U]) -> Page[U]:
        """The same page with each row changed (wrapped for display, say)."""
        items = [change(item) for item in self.items]
        return Page(items=items, number=self.number, size=self.size, total=self.total)


def page_of[M: models.Model](
    queryset: models.QuerySet[M], *, number: int, size: int = PER_PAGE
) -> Page[M]:
    """Page `number` of the ordered `queryset`, clamped to the last page, in one query (two more
    only when the number is past the end)."""
    counted = queryset.annotate(**{TOTAL: models.Window(models.Count("*"))})
    start = (number - 1) * size
    items = list(counted[start : start + size])
    if items:
        return Page(items=items, number=number, size=size, total=getattr(items[0], TOTAL))
    total = queryset.count() if number > 1 else 0
    if total == 0:
        return Page(items=[], number=1, size=size, total=0)
    last = -(-total // size)
    items = list(counted[(last - 1) * size : last * size])
    return Page(items=items, number=last, size=size, total=total)


def showing(*, number: int, size: int, total: int) -> str:
    """'Showing 26 to 50 of 2,351' for page `number` of `size` rows."""
    first = min((number - 1) * size + 1, total)
    last = min(number * size, total)
    return gettext("Showing %(first)s to %(last)s of %(total)s") % {
        "first": f"{first:,}",
        "last": f"{last:,}",
        "total": f"{total:,}",
    }


@dataclass(frozen=True)
class PageLinks:
    """What the NHS.UK pagination component takes: previous, next and numbered items (with an
    ellipsis for gaps); no items when everything fits on one page."""

    previous_href: str = ""
    next_href: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)


def page_links(page: Page[Any], *, href: Callable[[int], str]) -> PageLinks:
    """Links to the first, the last and the two pages either side of the current one."""
    last = page.last_number
    if last == 1:
        return PageLinks()
    current = page.number
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    items: list[dict[str, Any]] = []
    before = 0
    for number in shown:
        if number - before > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == current})
        before = number
    return PageLinks(
        previous_href=href(current - 1) if current > 1 else "",
        next_href=href(current + 1) if current < last else "",
        items=items,
    )
