"""Forms for the person writing their own plan on /my/plan/. Their words, their error messages;
the services save and audit."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone

from kith.care.models import LifeDomain, StepOwner
from kith.care.services import PLAN_TEXT_LIMIT, WHAT_MATTERS_LIMIT

SCORE_CHOICES = [(str(n), str(n)) for n in range(11)]
DATE_PARTS = ("day", "month", "year")
DATE_EXAMPLE = "Enter a real date, like 3 12 2026"
_NUMBER = re.compile(r"[0-9]+")


def _too_long(limit: int, what: str) -> str:
    return f"Keep {what} to {limit:,} characters or fewer. You have written %(show_value)d."


class WhatMattersForm(forms.Form):
    what_matters = forms.CharField(
        label="What matters to you?",
        required=False,
        max_length=WHAT_MATTERS_LIMIT,
        error_messages={"max_length": _too_long(WHAT_MATTERS_LIMIT, "it")},
    )


class GoalForm(forms.Form):
    text = forms.CharField(
        label="What is your goal?",
        max_length=PLAN_TEXT_LIMIT,
        error_messages={
            "required": "Write your goal",
            "max_length": _too_long(PLAN_TEXT_LIMIT, "your goal"),
        },
    )
    domain = forms.ChoiceField(
        label="Which part of your life is it about?",
        choices=LifeDomain.choices,
        error_messages={
            "required": "Select the part of your life this goal is about",
            "invalid_choice": "Select the part of your life this goal is about",
        },
    )


class ProgressForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How close are you to this goal today?",
        choices=SCORE_CHOICES,
        coerce=int,
        error_messages={
            "required": "Select a number from 0 to 10",
            "invalid_choice": "Select a number from 0 to 10",
        },
    )


class StepForm(forms.Form):
    text = forms.CharField(
        label="What is the step?",
        max_length=PLAN_TEXT_LIMIT,
        error_messages={
            "required": "Write the step",
            "max_length": _too_long(PLAN_TEXT_LIMIT, "the step"),
        },
    )
    who = forms.ChoiceField(
        label="Who will do it?",
        choices=StepOwner.choices,
        error_messages={
            "required": "Select who will do this step",
            "invalid_choice": "Select who will do this step",
        },
    )
    # The NHS.UK date input: three boxes, all empty for no date. Errors go on the day box, which
    # the error summary links to.
    due_on_day = forms.CharField(label="Day", required=False, max_length=2)
    due_on_month = forms.CharField(label="Month", required=False, max_length=2)
    due_on_year = forms.CharField(label="Year", required=False, max_length=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for part in DATE_PARTS:
            self.fields[f"due_on_{part}"].error_messages["max_length"] = DATE_EXAMPLE

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["due_on"] = None
        parts = {part: (self.data.get(f"due_on_{part}") or "").strip() for part in DATE_PARTS}
        if not any(parts.values()):
            return data
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            self.add_error(
                f"due_on_{missing[0]}", f"The date must include a {' and a '.join(missing)}"
            )
            return data
        try:
            if not all(_NUMBER.fullmatch(value) for value in parts.values()):
                raise ValueError("not a number")
            due_on = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error("due_on_day", DATE_EXAMPLE)
            return data
        if len(parts["year"]) != 4:
            self.add_error("due_on_year", "The year must be 4 numbers, like 2026")
        elif due_on < timezone.localdate():
            self.add_error("due_on_day", "The date must be today or in the future")
        else:
            data["due_on"] = due_on
        return data
