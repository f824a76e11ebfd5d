"""Reads for outcome measures: a person's responses as trends, one per measure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.utils import timezone

from kith.outcomes.charts import Chart, trend_chart
from kith.outcomes.measures import Measure, measure, measures
from kith.outcomes.models import MeasureResponse
from kith.people.models import Person


@dataclass(frozen=True)
class TrendRow:
    on: dt.date
    total: int | float | None
    band: str | None
    is_risk: bool
    completed_by: str
    # The measure's converted score beside the raw total (SWEMWBS metric), where it has one.
    metric: int | float | None = None


@dataclass(frozen=True)
class Trend:
    measure: Measure
    rows: list[TrendRow]
    chart: Chart | None


def measure_response_for_person(*, response_id: UUID, person: Person) -> MeasureResponse | None:
    """One of the person's own completed measures (None for anyone else's or an unknown id)."""
    return MeasureResponse.objects.filter(pk=response_id, person=person).first()


def measure_choices() -> list[tuple[str, str]]:
    """(code, name) for every measure, by name."""
    return sorted(((code, m.name) for code, m in measures().items()), key=lambda c: c[1])


def trends_for_person(*, person: Person) -> list[Trend]:
    """One trend per measure the person has completed, oldest response first: one query."""
    by_code: dict[str, list[TrendRow]] = {}
    known = measures()
    for response in MeasureResponse.objects.filter(person=person).order_by("completed_at", "id"):
        total = response.score.get("total")
        band = response.score.get("band")
        of_code = known.get(response.code)
        converted = of_code.conversion_key if of_code else None
        metric = response.score.get(converted) if converted else None
        by_code.setdefault(response.code, []).append(
            TrendRow(
                on=timezone.localtime(response.completed_at).date(),
                total=total if isinstance(total, int | float) else None,
                band=band if isinstance(band, str) else None,
                is_risk=response.is_risk,
                completed_by=response.get_completed_by_display(),
                metric=metric if isinstance(metric, int | float) else None,
            )
        )
    trends = []
    for code, rows in by_code.items():
        if code not in known:
            continue
        definition = measure(code)
        trends.append(Trend(measure=definition, rows=rows, chart=trend_chart(definition, rows)))
    return sorted(trends, key=lambda trend: trend.measure.name)
