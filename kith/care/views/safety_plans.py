"""The person's safety plan, written with them by a member of staff: each section on a page of
its own, so two people writing at once never undo each other's words."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.asks.selectors import crisis_options
from kith.audit.events import Purpose
from kith.care.access import access_involvement
from kith.care.forms import SafetyPlanEntryForm
from kith.care.presenters import change_by, safety_plan_part, safety_plan_parts
from kith.care.selectors import safety_plan_for_involvement
from kith.care.services import safety_plan_write
from kith.care.views import add_service_error, render_team
from kith.core.errors import ValidationFailed
from kith.teams.access import member_required
from kith.teams.models import TeamMember


@member_required
def safety_plan_show_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID
) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.SAFETY_PLAN)
    safety_plan = safety_plan_for_involvement(involvement=involvement)
    context = {
        "member": member,
        "involvement": involvement,
        "safety_plan": safety_plan,
        "parts": safety_plan_parts(safety_plan),
        "crisis_options": crisis_options(),
        "written_by": lambda entry: change_by(
            by_member=entry.written_by, by_person=entry.is_written_by_person, viewer=member
        ),
    }
    return render_team(request, "care/safety_plan_show.jinja", context)


@require_http_methods(["GET", "POST"])
@member_required
def safety_plan_edit_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID, section: str
) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.SAFETY_PLAN)
    part = safety_plan_part(section)
    if part is None:
        raise Http404("No such section of a safety plan")
    safety_plan = safety_plan_for_involvement(involvement=involvement)
    current = next(p for p in safety_plan_parts(safety_plan) if p.section == section)
    form = SafetyPlanEntryForm(
        request.POST or None, initial={"text": current.entry.text if current.entry else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            safety_plan_write(
                involvement=involvement,
                member=member,
                section=section,
                text=form.cleaned_data["text"],
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            show = reverse("care:safety_plan_show", kwargs={"involvement_id": involvement.pk})
            return redirect(f"{show}#{section}")
    status = 400 if request.method == "POST" else 200
    context = {"member": member, "involvement": involvement, "form": form, "part": part}
    return render_team(request, "care/safety_plan_edit.jinja", context, status=status)
