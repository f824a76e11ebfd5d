"""The person's own safety plan under /my/safety-plan/: they read it, and write it themselves one
section at a time, as they do their plan on /my/plan/.

Everything is reached through `kith.care.person_access`: another person's involvement, or a
section a safety plan does not have, is "page not found". The service records that the person
made each change and audits it as theirs. Reading their own plan is not audited (the log is of
others' access). The crisis lines are on every view of the plan.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kith.asks.selectors import crisis_options
from kith.care.forms import SafetyPlanEntryForm
from kith.care.person_access import access_involvement_for_person, access_safety_plans_for_person
from kith.care.presenters import safety_plan_part, safety_plan_parts, written_by_for_person
from kith.care.selectors import safety_plan_for_involvement
from kith.care.services import safety_plan_write
from kith.care.views import add_service_error
from kith.core.errors import ValidationFailed
from kith.people.access import person_required
from kith.people.models import Person


@person_required
def my_safety_plan_view(request: HttpRequest, person: Person) -> HttpResponse:
    plans = [
        (entry.involvement, safety_plan_parts(entry.safety_plan), entry.safety_plan)
        for entry in access_safety_plans_for_person(person=person)
    ]
    context = {
        "person": person,
        "plans": plans,
        "crisis_options": crisis_options(),
        "written_by": written_by_for_person,
    }
    return render(request, "care/my_safety_plan.jinja", context)


@require_http_methods(["GET", "POST"])
@person_required
def my_safety_plan_edit_view(
    request: HttpRequest, person: Person, involvement_id: UUID, section: str
) -> HttpResponse:
    involvement = access_involvement_for_person(involvement_id, person=person)
    part = safety_plan_part(section)
    if part is None:
        raise Http404("No such section of a safety plan")
    safety_plan = safety_plan_for_involvement(involvement=involvement)
    current = next(p for p in safety_plan_parts(safety_plan) if p.section == section)
    form = SafetyPlanEntryForm(
        request.POST if request.method == "POST" else None,
        initial={"text": current.entry.text if current.entry else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            safety_plan_write(
                involvement=involvement,
                person=person,
                section=section,
                text=form.cleaned_data["text"],
            )
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return redirect(f"{reverse('people:safety_plan')}#{section}-{involvement.pk}")
    status = 400 if request.method == "POST" else 200
    context = {
        "involvement": involvement,
        "form": form,
        "part": part,
        "back_url": reverse("people:safety_plan"),
    }
    return render(request, "care/my_safety_plan_edit.jinja", context, status=status)
