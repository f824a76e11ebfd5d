"""The person-held plan, written with the person: what matters, goals, progress and steps."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kith.audit.events import Purpose
from kith.care.access import access_involvement
from kith.care.forms import GoalForm, PlanForm, ProgressForm, StepDoneForm, StepForm
from kith.care.models import Involvement
from kith.care.selectors import plan_for_involvement, plan_goals, plan_steps_to_do
from kith.care.services import goal_add, goal_progress_record, plan_update, step_add, step_done
from kith.care.views import add_service_error, render_team
from kith.core.errors import ValidationFailed
from kith.teams.access import member_required
from kith.teams.models import TeamMember


def _form_page(
    request: HttpRequest,
    member: TeamMember,
    involvement: Involvement,
    template: str,
    form: forms.Form,
) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    context: dict[str, Any] = {"member": member, "involvement": involvement, "form": form}
    return render_team(request, template, context, status=status)


def _to_plan(involvement: Involvement) -> HttpResponse:
    return redirect("care:plan_show", involvement_id=involvement.pk)


@member_required
def plan_show_view(request: HttpRequest, member: TeamMember, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.PLAN)
    plan = plan_for_involvement(involvement=involvement)
    context = {"member": member, "involvement": involvement, "plan": plan}
    return render_team(request, "care/plan_show.jinja", context)


@require_http_methods(["GET", "POST"])
@member_required
def plan_edit_view(request: HttpRequest, member: TeamMember, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.PLAN)
    plan = plan_for_involvement(involvement=involvement)
    initial = {"what_matters": plan.what_matters if plan else ""}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_update(involvement=involvement, member=member, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _form_page(request, member, involvement, "care/plan_edit.jinja", form)


@require_http_methods(["GET", "POST"])
@member_required
def goal_add_view(request: HttpRequest, member: TeamMember, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.PLAN)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal_add(involvement=involvement, member=member, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _form_page(request, member, involvement, "care/goal_add.jinja", form)


@require_http_methods(["GET", "POST"])
@member_required
def progress_record_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID
) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.PLAN)
    goals = list(plan_goals(involvement=involvement))
    initial = {"goal": request.GET.get("goal", ""), "recorded_on": timezone.localdate()}
    form = ProgressForm(request.POST or None, goals=goals, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal_progress_record(
                goal=form.goals[data["goal"]],
                member=member,
                score=data["score"],
                recorded_on=data["recorded_on"],
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _form_page(request, member, involvement, "care/progress_record.jinja", form)


@require_http_methods(["GET", "POST"])
@member_required
def step_add_view(request: HttpRequest, member: TeamMember, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.PLAN)
    goals = list(plan_goals(involvement=involvement))
    form = StepForm(request.POST or None, goals=goals, initial={"goal": request.GET.get("goal")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step_add(
                involvement=involvement,
                member=member,
                text=data["text"],
                who=data["who"],
                due_on=data["due_on"],
                goal=form.goals.get(data["goal"]),
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _form_page(request, member, involvement, "care/step_add.jinja", form)


@require_http_methods(["GET", "POST"])
@member_required
def step_done_view(request: HttpRequest, member: TeamMember, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.PLAN)
    steps = list(plan_steps_to_do(involvement=involvement).select_related("plan__involvement"))
    form = StepDoneForm(
        request.POST or None, steps=steps, initial={"step": request.GET.get("step")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            step_done(step=form.steps[form.cleaned_data["step"]], member=member)
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return _to_plan(involvement)
    return _form_page(request, member, involvement, "care/step_done.jinja", form)
