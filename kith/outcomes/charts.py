"""A server-rendered line chart of a measure's totals over time: plain SVG coordinates for the
template, and a sentence describing it for people who cannot see it. No JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from kith.outcomes.measures import Measure

WIDTH = 600
HEIGHT = 240
LEFT = 48
RIGHT = 16
TOP = 16
BOTTOM = 40


class Row(Protocol):
    @property
    def on(self) -> dt.date: ...

    @property
    def total(self) -> int | float | None: ...


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    on: dt.date
    total: int | float


@dataclass(frozen=True)
class Tick:
    y: float
    value: int | float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    ticks: list[Tick]
    lowest: int | float
    highest: int | float
    description: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{point.x:g},{point.y:g}" for point in self.points)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def bottom(self) -> int:
        return HEIGHT - BOTTOM


def total_range(definition: Measure) -> tuple[int | float, int | float]:
    """The lowest and highest total the measure's scoring allows."""
    lows = [item.values[0] for item in definition.items]
    highs = [item.values[-1] for item in definition.items]
    if definition.total == "mean":
        return min(lows), max(highs)
    return sum(lows), sum(highs)


def trend_chart(definition: Measure, rows: Sequence[Row]) -> Chart | None:
    """The chart of the rows' totals, or None when the measure has no total to chart."""
    plotted = [(row.on, row.total) for row in rows if row.total is not None]
    if definition.total is None or not plotted:
        return None
    lowest, highest = total_range(definition)
    span = (highest - lowest) or 1
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM

    def y_of(value: int | float) -> float:
        return round(TOP + inner_h * (highest - value) / span, 1)

    step = inner_w / (len(plotted) - 1) if len(plotted) > 1 else 0
    points = [
        Point(
            x=round(LEFT + (step * n if step else inner_w / 2), 1),
            y=y_of(total),
            on=on,
            total=total,
        )
        for n, (on, total) in enumerate(plotted)
    ]
    ticks = [
        Tick(y=y_of(value), value=value) for value in (lowest, (lowest + highest) / 2, highest)
    ]
    ticks = [
        Tick(y=t.y, value=int(t.value) if float(t.value).is_integer() else t.value) for t in ticks
    ]
    first, last = plotted[0], plotted[-1]
    if len(plotted) == 1:
        description = (
            f"{definition.short_name} total: one score, {_n(first[1])} on {_d(first[0])}, "
            f"on a scale from {_n(lowest)} to {_n(highest)}."
        )
    else:
        description = (
            f"{definition.short_name} total over {len(plotted)} scores, on a scale from "
            f"{_n(lowest)} to {_n(highest)}: {_n(first[1])} on {_d(first[0])}, "
            f"{_n(last[1])} on {_d(last[0])}."
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        ticks=ticks,
        lowest=lowest,
        highest=highest,
        description=description,
    )


def _n(value: int | float) -> str:
    return f"{value:g}"


def _d(on: dt.date) -> str:
    return f"{on.day} {on:%B %Y}"
