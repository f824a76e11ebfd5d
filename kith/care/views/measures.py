"""HTTP for outcome measures: staff with the person from an involvement, and the person on /my/.
Saving one that flags risk reaches a team the same day (`kith.care.measures`).

Staff reach a person's measures only through `access_involvement` (own team, audited); a person
only ever sees their own.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from kith.asks.selectors import crisis_options
from kith.audit.events import Purpose
from kith.care.access import access_involvement
from kith.care.measures import measure_record
from kith.care.models import Involvement
from kith.care.self_reported_risk import risk_follow_up_for_person
from kith.care.views import add_service_error
from kith.core.errors import ValidationFailed
from kith.outcomes.forms import MeasureAnswersForm, MeasureChooseForm
from kith.outcomes.measures import measures, risk_answers
from kith.outcomes.models import MeasureResponse
from kith.outcomes.presenters import risk_notices
from kith.outcomes.selectors import (
    measure_choices,
    measure_response_for_person,
    trends_for_person,
)
from kith.people.access import person_required
from kith.people.models import Person
from kith.teams.access import member_required
from kith.teams.models import TeamMember

PERSON_LAYOUT = "outcomes/_person_layout.jinja"
TEAM_LAYOUT = "care/_layout.jinja"


def _record_page(
    request: HttpRequest,
    *,
    person: Person,
    context: dict[str, Any],
    involvement: Involvement | None = None,
    member: TeamMember | None = None,
) -> HttpResponse | MeasureResponse:
    """The choose-then-answer form, or the response once it is saved (the caller redirects)."""
    code = request.GET.get("measure", "")
    known = measures()
    if code not in known:
        data = request.GET if "measure" in request.GET else None
        choose = MeasureChooseForm(data, choices=measure_choices())
        choose.is_valid()
        status = 400 if data is not None else 200
        context = {**context, "form": choose, "choose": True}
        return render(request, "outcomes/measure_record.jinja", context, status=status)
    definition = known[code]
    form = MeasureAnswersForm(
        request.POST if request.method == "POST" else None, definition=definition
    )
    if request.method == "POST" and form.is_valid():
        try:
            return measure_record(
                person=person,
                code=code,
                answers=form.answers,
                involvement=involvement,
                member=member,
            )
        except ValidationFailed as error:
            add_service_error(form, error)
    status = 400 if request.method == "POST" else 200
    # The person is told beforehand what an answer that flags risk does; staff know.
    notices = risk_notices(definition) if member is None else []
    context = {
        **context,
        "form": form,
        "choose": False,
        "measure": definition,
        "risk_notices": notices,
    }
    return render(request, "outcomes/measure_record.jinja", context, status=status)


@member_required
def team_measures_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID
) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.MEASURES)
    trends = trends_for_person(person=involvement.person) if involvement.person else []
    context = {
        "layout": TEAM_LAYOUT,
        "member": member,
        "involvement": involvement,
        "trends": trends,
        "record_url": _team_record_url(involvement),
        "back_url": _url("care:involvement_show", involvement_id=involvement.pk),
        "whose": "team",
    }
    return render(request, "outcomes/measures.jinja", context)


@require_http_methods(["GET", "POST"])
@member_required
def team_measure_record_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID
) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.MEASURES)
    if involvement.person is None:
        return redirect("care:measures", involvement_id=involvement.pk)
    context = {
        "layout": TEAM_LAYOUT,
        "member": member,
        "involvement": involvement,
        "back_url": _url("care:measures", involvement_id=involvement.pk),
        "action": _team_record_url(involvement),
    }
    page = _record_page(
        request,
        person=involvement.person,
        context=context,
        involvement=involvement,
        member=member,
    )
    if isinstance(page, HttpResponse):
        return page
    return redirect("care:measures", involvement_id=involvement.pk)


@person_required
def my_measures_view(request: HttpRequest, person: Person) -> HttpResponse:
    context = {
        "layout": PERSON_LAYOUT,
        "trends": trends_for_person(person=person),
        "record_url": _url("people:measure_record"),
        "back_url": _url("people:record"),
        "whose": "person",
    }
    return render(request, "outcomes/measures.jinja", context)


@require_http_methods(["GET", "POST"])
@person_required
def my_measure_record_view(request: HttpRequest, person: Person) -> HttpResponse:
    context = {
        "layout": PERSON_LAYOUT,
        "back_url": _url("people:measures"),
        "action": _url("people:measure_record"),
    }
    page = _record_page(request, person=person, context=context)
    if isinstance(page, HttpResponse):
        return page
    return redirect("people:measure_result", response_id=page.pk)


@person_required
def my_measure_result_view(request: HttpRequest, person: Person, response_id: UUID) -> HttpResponse:
    """What the person sees once they saved a measure. An answer that flags risk brings the
    crisis options at once, then who will get in touch today and who cannot see it."""
    response = measure_response_for_person(response_id=response_id, person=person)
    if response is None:
        raise Http404
    definition = measures().get(response.code)
    context: dict[str, Any] = {
        "layout": PERSON_LAYOUT,
        "back_url": _url("people:measures"),
        "response": response,
        "measure": definition,
    }
    if response.is_risk:
        completed_on = timezone.localdate(response.completed_at)
        context |= {
            "risk_answers": risk_answers(response.code, response.answers) if definition else [],
            "follow_up": risk_follow_up_for_person(person=person),
            "crisis_options": crisis_options(),
            "is_today": completed_on == timezone.localdate(),
        }
    return render(request, "outcomes/measure_result.jinja", context)


def _team_record_url(involvement: Involvement) -> str:
    return _url("care:measure_record", involvement_id=involvement.pk)


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs or None)
