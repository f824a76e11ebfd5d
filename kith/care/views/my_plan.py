"""The person writes their own plan from their account, under /my/plan/: what matters to them,
goals in their own words, their progress, and steps with who does each.

Each page does one thing and works without JavaScript. Everything is reached through
`kith.care.person_access`: another person's plan, goal or step is "page not found". The services
record that the person made each change and audit it as theirs.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kith.care.models import Goal, Involvement
from kith.care.person_access import (
    access_goal_for_person,
    access_involvement_for_person,
    access_plans_for_person,
    access_step_for_person,
)
from kith.care.person_forms import GoalForm, ProgressForm, StepForm, WhatMattersForm
from kith.care.selectors import plan_for_involvement
from kith.care.services import goal_add, goal_progress_record, plan_update, step_add, step_done
from kith.care.views import add_service_error
from kith.core.errors import ValidationFailed
from kith.people.access import person_required
from kith.people.models import Person


def _to_plan(involvement: Involvement) -> HttpResponse:
    return redirect(f"{reverse('people:plan')}#plan-{involvement.pk}")


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], form: forms.Form
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context = {**context, "form": form, "back_url": reverse("people:plan")}
    return render(request, template, context, status=status)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@person_required
def my_plan_view(request: HttpRequest, person: Person) -> HttpResponse:
    plans = access_plans_for_person(person=person)
    return render(request, "care/my_plan.jinja", {"person": person, "plans": plans})


@require_http_methods(["GET", "POST"])
@person_required
def my_plan_edit_view(request: HttpRequest, person: Person, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement_for_person(involvement_id, person=person)
    plan = plan_for_involvement(involvement=involvement)
    form = WhatMattersForm(
        _posted(request), initial={"what_matters": plan.what_matters if plan else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan_update(
                involvement=involvement,
                person=person,
                what_matters=form.cleaned_data["what_matters"],
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _page(request, "care/my_plan_edit.jinja", {"involvement": involvement}, form)


@require_http_methods(["GET", "POST"])
@person_required
def my_goal_add_view(request: HttpRequest, person: Person, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement_for_person(involvement_id, person=person)
    form = GoalForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            goal_add(
                involvement=involvement,
                person=person,
                text=form.cleaned_data["text"],
                domain=form.cleaned_data["domain"],
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _page(request, "care/my_goal_add.jinja", {"involvement": involvement}, form)


@require_http_methods(["GET", "POST"])
@person_required
def my_goal_progress_record_view(
    request: HttpRequest, person: Person, involvement_id: UUID, goal_id: UUID
) -> HttpResponse:
    involvement = access_involvement_for_person(involvement_id, person=person)
    goal = access_goal_for_person(goal_id, involvement=involvement)
    form = ProgressForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            goal_progress_record(
                goal=goal,
                person=person,
                score=form.cleaned_data["score"],
                recorded_on=timezone.localdate(),
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    context = {"involvement": involvement, "goal": goal}
    return _page(request, "care/my_goal_progress_record.jinja", context, form)


def _goal_asked_for(request: HttpRequest, involvement: Involvement) -> Goal | None:
    """The goal a step is towards, from `?goal=`: one of this plan's, else "page not found"."""
    raw = request.GET.get("goal")
    if not raw:
        return None
    try:
        goal_id = UUID(raw)
    except ValueError:
        raise Http404("No such goal in this plan") from None
    return access_goal_for_person(goal_id, involvement=involvement)


@require_http_methods(["GET", "POST"])
@person_required
def my_step_add_view(request: HttpRequest, person: Person, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement_for_person(involvement_id, person=person)
    goal = _goal_asked_for(request, involvement)
    form = StepForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step_add(
                involvement=involvement,
                person=person,
                text=data["text"],
                who=data["who"],
                due_on=data["due_on"],
                goal=goal,
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    action = reverse("people:step_add", args=[involvement.pk])
    if goal is not None:
        action += f"?goal={goal.pk}"
    context = {"involvement": involvement, "goal": goal, "action": action}
    return _page(request, "care/my_step_add.jinja", context, form)


@require_http_methods(["GET", "POST"])
@person_required
def my_step_done_view(
    request: HttpRequest, person: Person, involvement_id: UUID, step_id: UUID
) -> HttpResponse:
    involvement = access_involvement_for_person(involvement_id, person=person)
    step = access_step_for_person(step_id, involvement=involvement)
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            step_done(step=step, person=person)
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    context = {"involvement": involvement, "step": step}
    return _page(request, "care/my_step_done.jinja", context, form)
