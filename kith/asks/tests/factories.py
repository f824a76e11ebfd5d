"""Fictional asks and teams for tests."""

from __future__ import annotations

from kith.asks.answers import AskAnswers
from kith.asks.models import Ask
from kith.asks.services import ask_submit
from kith.teams.models import Team


def team_make(
    *,
    name: str = "Brixton community team",
    districts: str = "SW9, SW2",
    hours: int = 24,
    is_default: bool = False,
) -> Team:
    return Team.objects.create(
        name=name, postcode_districts=districts, response_time_hours=hours, is_default=is_default
    )


def ask_make(**answers: object) -> Ask:
    values: dict[str, object] = {"text": "I have been feeling low since I lost my job."}
    values.update(answers)
    person = values.pop("person", None)
    return ask_submit(answers=AskAnswers.from_dict(values), person=person)  # type: ignore[arg-type]
