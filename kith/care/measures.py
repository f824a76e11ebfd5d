"""Writes for outcome measures: care composes them, because an answer that flags risk must reach
a team the same day (`kith.care.self_reported_risk`). The measures themselves, their scoring and
storage are `kith.outcomes`."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from kith.audit.events import Action, Purpose
from kith.audit.services import audit
from kith.care.models import Involvement
from kith.care.self_reported_risk import measure_risk_raise
from kith.core.errors import ValidationFailed
from kith.outcomes.measures import RISK_FLAG, score
from kith.outcomes.models import CompletedBy, MeasureResponse
from kith.people.models import Person
from kith.teams.models import TeamMember

__all__ = ["RISK_FLAG", "measure_record"]


@transaction.atomic
def measure_record(
    *,
    person: Person,
    code: str,
    answers: Sequence[int],
    involvement: Involvement | None = None,
    member: TeamMember | None = None,
) -> MeasureResponse:
    """Score and keep one completed measure. Bad answers raise ValidationFailed and keep nothing.

    With `member`, the person completed it together with a worker on `involvement` (required,
    and it must be the person's); the change is audited. Without, the person completed it
    themselves from their account.

    An answer that flags risk reaches a team the same day, whoever recorded it: with a worker it
    is on their involvement's board; recorded alone, `measure_risk_raise` makes sure a team
    working with the person sees it, or raises an urgent ask routed as theirs would be.
    """
    if member is not None:
        if involvement is None or involvement.team_id != member.team_id:
            raise ValidationFailed("Record a measure from one of your team's involvements")
        if involvement.person_id != person.pk:
            raise ValidationFailed("This involvement is with someone else")
    elif involvement is not None and involvement.person_id != person.pk:
        raise ValidationFailed("This involvement is with someone else")
    result = score(code, answers)
    flags = result["flags"]
    response = MeasureResponse.objects.create(
        person=person,
        involvement=involvement,
        code=code,
        answers=list(answers),
        score=result,
        is_risk=isinstance(flags, list) and RISK_FLAG in flags,
        completed_by=CompletedBy.WORKER if member else CompletedBy.PERSON,
        member=member,
        completed_at=timezone.now(),
    )
    audit(member or person, response, action=Action.CHANGE, purpose=Purpose.MEASURES)
    measure_risk_raise(response=response)
    return response
