"""Forms for the team workspace. They validate and clean; services save and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from kith.asks.models import Outcome
from kith.care.models import ConversationMethod, Goal, HoldBackReason, LifeDomain, Step, StepOwner
from kith.care.presenters import STEP_OWNER_FOR_STAFF
from kith.teams.models import TeamMember

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d/%m/%y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I%p", "%I.%M%p"]


class PickUpForm(forms.Form):
    worker = forms.ModelChoiceField(
        queryset=TeamMember.objects.none(),
        required=False,
        label="Named worker",
        error_messages={"invalid_choice": "Choose someone in your team"},
    )

    def __init__(self, *args: Any, members: list[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        worker = self.fields["worker"]
        assert isinstance(worker, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        worker.queryset = TeamMember.objects.filter(pk__in=[m.pk for m in members])


class ConversationForm(forms.Form):
    date = forms.DateField(
        label="Date",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date of the conversation, like 26/11/2026",
            "invalid": "Enter a real date, like 26/11/2026",
        },
    )
    time = forms.TimeField(
        label="Time",
        input_formats=TIME_FORMATS,
        error_messages={
            "required": "Enter the time of the conversation, like 14:30",
            "invalid": "Enter a real time, like 14:30",
        },
    )
    method = forms.ChoiceField(
        label="How did you talk?",
        choices=ConversationMethod.choices,
        error_messages={"required": "Select how you talked"},
    )
    with_whom = forms.CharField(
        label="Who did you talk with?",
        max_length=200,
        error_messages={"required": "Enter who you talked with, like 'the person'"},
    )
    summary = forms.CharField(label="What you talked about", required=False, max_length=10_000)
    next_step = forms.CharField(label="Next step", required=False, max_length=300)
    next_step_due_on = forms.DateField(
        label="Next step due",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter a real date, like 3/12/2026"},
    )

    def happened_at(self) -> dt.datetime:
        moment = dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(moment)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note", max_length=10_000, error_messages={"required": "Write the note"}
    )
    held_back_reason = forms.ChoiceField(
        label="Hold this note back from the person?",
        choices=[("", "No, the person can read it (open note)"), *HoldBackReason.choices],
        required=False,
    )
    held_back_explanation = forms.CharField(
        label="Why should the person not see it?", max_length=500, required=False
    )


SERVICE_QUERY_LIMIT = 200
PEOPLE_QUERY_LIMIT = 100
SAFETY_PLAN_TEXT_LIMIT = 2_000


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="How did working together end?",
        choices=Outcome.choices,
        error_messages={"required": "Select how working together ended"},
    )
    what_helped = forms.CharField(label="What helped", required=False, max_length=10_000)
    # Found by name in the directory (`service_q`), then chosen from the results.
    service_q = forms.CharField(
        label="Name of the community support",
        required=False,
        max_length=SERVICE_QUERY_LIMIT,
        error_messages={
            "max_length": f"Enter {SERVICE_QUERY_LIMIT} characters or fewer of its name",
        },
    )
    service_id = forms.UUIDField(
        label="Community support they were connected to",
        required=False,
        error_messages={"invalid": "Choose the community support from the search results"},
    )
    attempts = forms.CharField(label="Attempts to get in touch", required=False, max_length=10_000)


def _goal_choices(goals: list[Goal]) -> list[tuple[str, str]]:
    return [(str(goal.pk), goal.text) for goal in goals]


SCORE_CHOICES = [(str(n), str(n)) for n in range(11)]


class PlanForm(forms.Form):
    what_matters = forms.CharField(
        label="What matters to them", required=False, max_length=5_000, strip=True
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label="Goal, in the person's words",
        max_length=500,
        error_messages={"required": "Write the goal in the person's words"},
    )
    domain = forms.ChoiceField(
        label="Part of life",
        choices=LifeDomain.choices,
        error_messages={"required": "Select the part of life this goal is about"},
    )
    score = forms.TypedChoiceField(
        label="Where are they now, from 0 (not started) to 10 (there)?",
        choices=[("", "Not now"), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ProgressForm(forms.Form):
    goal = forms.ChoiceField(label="Goal", choices=[], error_messages={"required": "Select a goal"})
    score = forms.TypedChoiceField(
        label="Progress, from 0 (not started) to 10 (there)",
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={"required": "Select a number from 0 to 10"},
    )
    recorded_on = forms.DateField(
        label="Date",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date, like 26/11/2026",
            "invalid": "Enter a real date, like 26/11/2026",
        },
    )

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {str(goal.pk): goal for goal in goals}
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)  # noqa: S101 - narrows the type
        goal.choices = _goal_choices(goals)
        goal.error_messages["invalid_choice"] = "Select one of this plan's goals"


class StepForm(forms.Form):
    text = forms.CharField(
        label="Step", max_length=500, error_messages={"required": "Write the step"}
    )
    # The plan says "Me" and "My worker" in the person's words; a member of staff reads these.
    who = forms.ChoiceField(
        label="Who does it?",
        choices=[
            (owner.value, STEP_OWNER_FOR_STAFF[owner.value].capitalize()) for owner in StepOwner
        ],
        error_messages={"required": "Select who does this step"},
    )
    due_on = forms.DateField(
        label="By when",
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": "Enter a real date, like 3/12/2026"},
    )
    goal = forms.ChoiceField(label="Towards which goal?", choices=[], required=False)

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {str(goal.pk): goal for goal in goals}
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)  # noqa: S101 - narrows the type
        goal.choices = [("", "No particular goal"), *_goal_choices(goals)]
        goal.error_messages["invalid_choice"] = "Select one of this plan's goals"


class StepDoneForm(forms.Form):
    step = forms.ChoiceField(
        label="Which step is done?",
        choices=[],
        error_messages={
            "required": "Select the step that is done",
            "invalid_choice": "Select one of this plan's steps",
        },
    )

    def __init__(self, *args: Any, steps: list[Step], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.steps = {str(step.pk): step for step in steps}
        step = self.fields["step"]
        assert isinstance(step, forms.ChoiceField)  # noqa: S101 - narrows the type
        step.choices = [(str(s.pk), s.text) for s in steps]


class SafetyPlanEntryForm(forms.Form):
    """One section of the safety plan; the page gives the label and hint for the section."""

    text = forms.CharField(
        required=False,
        max_length=SAFETY_PLAN_TEXT_LIMIT,
        error_messages={
            "max_length": f"Keep it to {SAFETY_PLAN_TEXT_LIMIT:,} characters or fewer. "
            "You have written %(show_value)d."
        },
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, reference, email address or phone number",
        min_length=2,
        max_length=PEOPLE_QUERY_LIMIT,
        error_messages={
            "required": "Enter a name, a reference, an email address or a phone number",
            "min_length": "Enter at least 2 characters",
            "max_length": f"Enter {PEOPLE_QUERY_LIMIT} characters or fewer",
        },
    )
