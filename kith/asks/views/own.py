"""A signed-in person's own ask: see it and what they added, add to it, withdraw it."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kith.asks.access import access_own_ask
from kith.asks.crisis import crisis_needs
from kith.asks.forms import NoteForm
from kith.asks.models import AskStatus
from kith.asks.presenters import respond_by_text, status_label
from kith.asks.screening import screen
from kith.asks.selectors import crisis_options
from kith.asks.services import ask_note_add, ask_withdraw
from kith.core.errors import ValidationFailed
from kith.people.access import current_person


def ask_show_view(request: HttpRequest, ask_id: UUID) -> HttpResponse:
    ask = access_own_ask(request, ask_id)
    form = NoteForm(request.POST or None)
    is_urgent = False
    if request.method == "POST":
        is_urgent = screen(request.POST.get("text", "")).is_urgent
        if form.is_valid():
            person = current_person(request)
            if person is None:  # access_own_ask has checked; keeps the type narrow
                raise Http404
            try:
                ask_note_add(ask=ask, person=person, text=form.cleaned_data["text"])
            except ValidationFailed as error:
                form.add_error("text", error.message)
            else:
                if is_urgent:
                    request.session["ask_note_urgent"] = True
                return redirect("asks:ask_show", ask_id=ask.pk)
    is_urgent = is_urgent or bool(request.session.pop("ask_note_urgent", False))
    context = {
        "ask": ask,
        "notes": list(ask.notes.all()),
        "status": status_label(ask),
        "respond_by": respond_by_text(ask),
        "is_withdrawn": ask.status == AskStatus.WITHDRAWN,
        "form": form,
        "errors": {name: errors[0] for name, errors in form.errors.items()},
        "values": request.POST,
        "is_urgent": is_urgent,
        "crisis_options": crisis_options(
            crisis_needs(categories=ask.screening_categories, words=ask.text, age_band=ask.age_band)
        )
        if is_urgent
        else [],
    }
    return render(request, "asks/ask_show.jinja", context, status=400 if form.errors else 200)


def ask_withdraw_view(request: HttpRequest, ask_id: UUID) -> HttpResponse:
    ask = access_own_ask(request, ask_id)
    if request.method == "POST":
        person = current_person(request)
        if person is None:
            raise Http404
        ask_withdraw(ask=ask, person=person)
        return redirect("asks:ask_show", ask_id=ask.pk)
    return render(request, "asks/ask_withdraw.jinja", {"ask": ask})
