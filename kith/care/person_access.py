"""The person's own way in to their plan from /my/plan/ and their safety plan from
/my/safety-plan/: the only way those pages get at them.

Contract:

- A person reaches only their own involvements (open or closed), the goals and steps of
  their own plans, and their own safety plans. Anything else (another person's, an unknown id, a goal of another of their
  plans) raises Http404, so existence never leaks.
- A person reading their own record is not audited: the audit log is of others' access. Every
  change they make is audited by the service that makes it, as the person's.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from kith.care.models import Goal, Involvement, Step
from kith.care.selectors import (
    PersonPlan,
    PersonSafetyPlan,
    goal_of_involvement,
    involvement_of_person,
    plans_to_write_for_person,
    safety_plans_for_person,
    step_of_involvement,
)
from kith.people.models import Person


def access_plans_for_person(*, person: Person) -> list[PersonPlan]:
    """Every involvement of the person's, newest first, each with its plan."""
    return plans_to_write_for_person(person=person)


def access_safety_plans_for_person(*, person: Person) -> list[PersonSafetyPlan]:
    """Every involvement of the person's, newest first, each with its safety plan."""
    return safety_plans_for_person(person=person)


def access_involvement_for_person(involvement_id: UUID, *, person: Person) -> Involvement:
    involvement = involvement_of_person(involvement_id=involvement_id, person=person)
    if involvement is None:
        raise Http404("No such involvement for this person")
    return involvement


def access_goal_for_person(goal_id: UUID, *, involvement: Involvement) -> Goal:
    """A goal of the involvement's plan; pass an involvement from the access function above."""
    goal = goal_of_involvement(goal_id=goal_id, involvement=involvement)
    if goal is None:
        raise Http404("No such goal in this plan")
    return goal


def access_step_for_person(step_id: UUID, *, involvement: Involvement) -> Step:
    """A step of the involvement's plan; pass an involvement from the access function above."""
    step = step_of_involvement(step_id=step_id, involvement=involvement)
    if step is None:
        raise Http404("No such step in this plan")
    return step
