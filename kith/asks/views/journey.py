"""The "Ask for help" journey: one thing per page, answers kept in the session until sent.

Words that suggest danger on any page bring the crisis options to the top of the next page at
once; nothing is ever blocked. Sending is idempotent (a hidden key), rate limited without a
CAPTCHA, and a failure keeps everything the person wrote. The key is scoped to the browser's
session, so a key known anywhere else replays nothing: in another session it is a new key, and
never shows the first person's "sent" page.
"""

from __future__ import annotations

import logging
import secrets
from uuid import UUID

from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kith.asks import forms
from kith.asks.answers import AskAnswers
from kith.asks.crisis import crisis_nearby, crisis_needs, crisis_point
from kith.asks.idempotency import (
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    IdempotentRequest,
    StoredResponse,
)
from kith.asks.presenters import (
    answer_rows,
    confirmation_sent_text,
    crisis_near,
    respond_by_text,
    suggestions_are_near,
    team_contact,
)
from kith.asks.screening import screen
from kith.asks.selectors import (
    SUGGESTION_RADIUS_M,
    ask_by_id,
    crisis_options,
    suggestions_for,
    team_covering_postcode,
)
from kith.asks.sending import AskRateLimited, ask_send
from kith.core.client import client_address
from kith.core.errors import ValidationFailed
from kith.people.access import current_person

logger = logging.getLogger(__name__)

ANSWERS, KEY, URGENT, SENT = "ask_answers", "ask_key", "ask_is_urgent", "ask_sent"
# The screening categories seen so far, so the crisis options match the need (domestic abuse...).
CATEGORIES = "ask_crisis_categories"
# A random id for this session's keys; kept when signing in (Django copies the session's data to
# its new key) so a double click either side of signing in still sends one ask.
SCOPE_ID = "ask_scope"
WEB_SCOPE = "web:ask"
# field -> the page that asks it, for "Change" links and errors found on sending
PAGE_OF_FIELD = {
    "text": "asks:ask_happening",
    "what_would_help": "asks:ask_help",
    "what_matters": "asks:ask_help",
    "contact_method": "asks:ask_contact",
    "contact_phone": "asks:ask_contact",
    "contact_email": "asks:ask_contact",
    "contact_times": "asks:ask_contact",
    "language": "asks:ask_access",
    "needs_interpreter": "asks:ask_access",
    "access_needs": "asks:ask_access",
    "age_band": "asks:ask_about_you",
    "sex": "asks:ask_about_you",
    "gender_identity": "asks:ask_about_you",
    "ethnicity": "asks:ask_about_you",
    "postcode": "asks:ask_about_you",
}


def _key_scope(request: HttpRequest) -> str:
    """The idempotency scope of this session's asks: "web:ask:" and 32 hex digits (40 in all,
    the length of IdempotencyKey.scope)."""
    if not request.session.get(SCOPE_ID):
        request.session[SCOPE_ID] = secrets.token_hex(16)
    return f"{WEB_SCOPE}:{request.session[SCOPE_ID]}"


def _answers(request: HttpRequest) -> dict[str, object]:
    return dict(request.session.get(ANSWERS, {}))


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    is_urgent = bool(request.session.get(URGENT))
    return {
        "is_urgent": is_urgent,
        "crisis_options": crisis_options(_crisis_needs(request)) if is_urgent else [],
        **extra,
    }


def _crisis_needs(request: HttpRequest) -> frozenset[str]:
    answers = _answers(request)
    return crisis_needs(
        categories=request.session.get(CATEGORIES, []),
        words=f"{answers.get('text', '')}\n{answers.get('what_would_help', '')}",
        age_band=str(answers.get("age_band", "")),
    )


def _note_danger(request: HttpRequest, data: dict[str, object]) -> None:
    """Screen what was just written; the flag, and the needs it shows, only ever grow."""
    words = "\n".join(str(value) for value in data.values() if isinstance(value, str))
    if not words:
        return
    screening = screen(words)
    if screening.is_urgent:
        request.session[URGENT] = True
        seen = request.session.get(CATEGORIES, [])
        request.session[CATEGORIES] = sorted({*seen, *screening.categories})


def _step(
    request: HttpRequest, *, form_class: type[forms.AskForm], template: str, next_name: str
) -> HttpResponse:
    answers = _answers(request)
    if request.method == "POST":
        _note_danger(request, {name: request.POST.get(name, "") for name in form_class.base_fields})
        form = form_class(request.POST)
        if form.is_valid():
            answers.update(form.cleaned_data)
            request.session[ANSWERS] = answers
            if request.GET.get("return") == "check" or next_name == "asks:ask_check":
                return redirect("asks:ask_check")
            return redirect(next_name)
        values: dict[str, object] = dict(request.POST.items())
    else:
        form = form_class()
        values = answers
    errors = {name: errors[0] for name, errors in form.errors.items()}
    context = _context(request, form=form, errors=errors, values=values)
    return render(request, template, context, status=400 if form.errors else 200)


def ask_start_view(request: HttpRequest) -> HttpResponse:
    return render(request, "asks/ask_start.jinja", _context(request))


def ask_happening_view(request: HttpRequest) -> HttpResponse:
    return _step(
        request,
        form_class=forms.HappeningForm,
        template="asks/ask_happening.jinja",
        next_name="asks:ask_help",
    )


def ask_help_view(request: HttpRequest) -> HttpResponse:
    return _step(
        request,
        form_class=forms.HelpForm,
        template="asks/ask_help.jinja",
        next_name="asks:ask_contact",
    )


def ask_contact_view(request: HttpRequest) -> HttpResponse:
    return _step(
        request,
        form_class=forms.ContactForm,
        template="asks/ask_contact.jinja",
        next_name="asks:ask_access",
    )


def ask_access_view(request: HttpRequest) -> HttpResponse:
    return _step(
        request,
        form_class=forms.AccessForm,
        template="asks/ask_access.jinja",
        next_name="asks:ask_about_you",
    )


def ask_about_you_view(request: HttpRequest) -> HttpResponse:
    return _step(
        request,
        form_class=forms.AboutYouForm,
        template="asks/ask_about_you.jinja",
        next_name="asks:ask_check",
    )


def _check_page(
    request: HttpRequest,
    answers: dict[str, object],
    *,
    problem: str = "",
    problem_url: str = "",
    status: int = 200,
) -> HttpResponse:
    if not request.session.get(KEY):
        request.session[KEY] = secrets.token_urlsafe(24)
    context = _context(
        request,
        rows=answer_rows(answers),
        idempotency_key=request.session[KEY],
        problem=problem,
        problem_url=problem_url,
        answers=answers,
    )
    return render(request, "asks/ask_check.jinja", context, status=status)


def ask_check_view(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    if request.method != "POST":
        if not answers.get("text"):
            return redirect("asks:ask_happening")
        return _check_page(request, answers)

    form = forms.CheckForm(request.POST)
    if not form.is_valid():
        return _check_page(
            request,
            answers,
            problem="Something went wrong. Check your answers and send again.",
            status=400,
        )
    key = form.cleaned_data["idempotency_key"]
    if form.cleaned_data["website"]:  # the honeypot: people never see this field
        return _check_page(
            request,
            answers,
            problem="We could not send this. Check your answers and send again.",
            status=400,
        )
    _note_danger(request, answers)
    try:
        sent = ask_send(
            request=IdempotentRequest(scope=_key_scope(request), key=key, fingerprint=WEB_SCOPE),
            client=client_address(request),
            answers=AskAnswers.from_dict(answers),
            person=current_person(request),
            respond=lambda ask: StoredResponse(
                status=201, body={"ask_id": str(ask.pk), "reference": ask.reference}
            ),
        )
    except IdempotencyKeyInFlight:
        return _check_page(
            request,
            answers,
            status=409,
            problem="We are still sending your ask. Wait a few seconds, then refresh this page.",
        )
    except IdempotencyKeyReused:  # cannot happen with a constant fingerprint; be safe anyway
        request.session[KEY] = secrets.token_urlsafe(24)
        return _check_page(request, answers, problem="Check your answers and send again.")
    except AskRateLimited:
        context = _context(request, answers=answers, rows=answer_rows(answers))
        context["crisis_options"] = crisis_options()  # always, when we cannot send now
        return render(request, "asks/ask_rate_limited.jinja", context, status=429)
    except ValidationFailed as error:
        if not answers.get("text"):  # nothing written yet (or the session ended): start again
            return redirect("asks:ask_happening")
        page = PAGE_OF_FIELD.get(error.field or "", "asks:ask_happening")
        return _check_page(
            request,
            answers,
            status=400,
            problem=error.message,
            problem_url=f"{reverse(page)}?return=check",
        )
    except DatabaseError:
        logger.exception("Saving an ask failed")
        return _check_page(
            request,
            answers,
            status=503,
            problem="Sorry, we could not send your ask just now. Everything you wrote is kept "
            "here. Please try again in a minute.",
        )
    # Sent now, or already (a double click or a refresh replays the first answer).
    ask_id = str(sent.response.body["ask_id"])
    request.session[SENT] = [*request.session.get(SENT, []), ask_id]
    for name in (ANSWERS, KEY):
        request.session.pop(name, None)
    return redirect("asks:ask_sent", ask_id=ask_id)


def ask_sent_view(request: HttpRequest, ask_id: UUID) -> HttpResponse:
    if str(ask_id) not in request.session.get(SENT, []):
        raise Http404("Not an ask sent from this browser")
    ask = ask_by_id(ask_id=ask_id)
    if ask is None:
        raise Http404("No such ask")
    request.session.pop(URGENT, None)
    request.session.pop(CATEGORIES, None)
    suggestions = suggestions_for(words=f"{ask.text} {ask.what_would_help}", postcode=ask.postcode)
    needs = crisis_needs(
        categories=ask.screening_categories,
        words=f"{ask.text}\n{ask.what_would_help}",
        age_band=ask.age_band,
    )
    lines = crisis_options(needs) if ask.is_urgent else []
    point = crisis_point(ask.postcode) if ask.is_urgent else None
    context = {
        "ask": ask,
        "is_urgent": ask.is_urgent,
        "crisis_options": lines,
        # "Crisis support near you": open now first, then the lines open any time (urgent only).
        "crisis_near": crisis_near(
            crisis_nearby(point=point, needs=needs),
            lines=lines,
            postcode=ask.postcode,
            now=timezone.now(),
        )
        if point is not None
        else None,
        "respond_by": respond_by_text(ask),
        "suggestions": suggestions.hits,
        # How to reach the team, where the reference went, and (honestly) whether any team
        # covers their postcode and whether the suggestions are near them.
        "team_contact": team_contact(ask.team),
        "confirmation_sent": confirmation_sent_text(ask),
        "uncovered_postcode": (
            ask.postcode
            if ask.postcode and team_covering_postcode(postcode=ask.postcode) is None
            else ""
        ),
        "suggestions_are_near": suggestions_are_near(
            suggestions.hits, radius_m=SUGGESTION_RADIUS_M
        ),
    }
    return render(request, "asks/ask_sent.jinja", context)
