"""A person's record with the team: the timeline, open notes, closing with an open door."""

from __future__ import annotations

import datetime as dt
from functools import partial
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from kith.audit.events import Purpose
from kith.care.access import access_involvement
from kith.care.consent import consent_withheld_organisations
from kith.care.forms import SERVICE_QUERY_LIMIT, CloseForm, NoteForm
from kith.care.models import InvolvementStatus
from kith.care.presenters import change_by, step_owner_for_staff
from kith.care.selectors import (
    ask_latest_for_involvement,
    involvement_timeline_page,
    plan_steps_to_do,
    services_by_name,
)
from kith.care.services import involvement_close, note_add
from kith.care.views import add_service_error, render_team
from kith.core.errors import ValidationFailed
from kith.teams.access import member_required
from kith.teams.models import TeamMember


@member_required
def involvement_show_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID
) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member)
    before = _moment(request.GET.get("before", ""))
    page = involvement_timeline_page(involvement=involvement, before=before)
    context = {
        "member": member,
        "involvement": involvement,
        "timeline": page.entries,
        "earlier": page.earlier.isoformat() if page.earlier else "",
        "is_latest": before is None,
        "latest_ask": ask_latest_for_involvement(involvement=involvement),
        # So the team knows why a colleague cannot open this record.
        "withheld_from": consent_withheld_organisations(
            person_id=involvement.person_id, team=involvement.team
        ),
        "change_by": partial(change_by, viewer=member),
        "step_owner": step_owner_for_staff,
    }
    return render_team(request, "care/involvement_show.jinja", context)


def _moment(value: str) -> dt.datetime | None:
    """A page of the timeline starts before this moment; anything else shows the newest."""
    try:
        moment = dt.datetime.fromisoformat(value[:40])
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@require_http_methods(["GET", "POST"])
@member_required
def note_add_view(request: HttpRequest, member: TeamMember, involvement_id: UUID) -> HttpResponse:
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.NOTE)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note_add(involvement=involvement, author=member, **form.cleaned_data)
        except ValidationFailed as error:
            add_service_error(form, error)
        else:
            return redirect("care:involvement_show", involvement_id=involvement.pk)
    status = 400 if request.method == "POST" else 200
    context = {"member": member, "involvement": involvement, "form": form}
    return render_team(request, "care/note_add.jinja", context, status=status)


@require_http_methods(["GET", "POST"])
@member_required
def involvement_close_view(
    request: HttpRequest, member: TeamMember, involvement_id: UUID
) -> HttpResponse:
    """Close with the person. "Connected to community support" finds the service by its name in
    the directory: without JavaScript, "Search the directory" posts the form back with the
    results to choose from (what was typed stays); with it, results come as they type (htmx
    asks this page for just the results). Steps of the plan not yet done are a warning, never a
    block."""
    involvement = access_involvement(involvement_id, member=member, purpose=Purpose.CLOSE)
    if involvement.status == InvolvementStatus.CLOSED:
        return redirect("care:involvement_show", involvement_id=involvement.pk)
    data = request.POST if request.method == "POST" else request.GET
    is_searching = request.method == "GET" or data.get("action") == "search"
    # Searching never shows errors for the fields not filled in yet: the form is unbound.
    form = CloseForm(initial=data.dict()) if is_searching else CloseForm(request.POST)
    service_q = data.get("service_q", "")[:SERVICE_QUERY_LIMIT]
    choices = services_by_name(text=service_q, chosen_id=_uuid_or_none(data.get("service_id")))
    context = {
        "member": member,
        "involvement": involvement,
        "form": form,
        "service_q": service_q,
        "service_choices": choices,
        "chosen_service_id": data.get("service_id", ""),
        "steps_to_do": list(plan_steps_to_do(involvement=involvement).order_by("created_at")),
        "step_owner": step_owner_for_staff,
    }
    if request.method == "GET" and request.headers.get("HX-Request") == "true":
        return render_team(request, "care/_service_choices.jinja", {**context, "is_update": True})
    if not is_searching and form.is_valid():
        fields = {key: value for key, value in form.cleaned_data.items() if key != "service_q"}
        try:
            involvement_close(involvement=involvement, member=member, **fields)
        except ValidationFailed as error:
            if error.field == "service_id":
                form.add_error("service_q", error.message)
            else:
                add_service_error(form, error)
        else:
            return redirect("care:involvement_show", involvement_id=involvement.pk)
    status = 400 if request.method == "POST" and not is_searching else 200
    return render_team(request, "care/involvement_close.jinja", context, status=status)


def _uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None
