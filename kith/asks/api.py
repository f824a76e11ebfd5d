"""POST /api/v1/asks: ask for help through the JSON API, the same core as the web journey
(`kith.asks.sending.ask_send`).

`Idempotency-Key` follows the IETF draft: the same key and body replay the stored response (a
second request while the first is running waits for it, then replays), 422 when the key is
reused with a different body; 409 only for a key a release before this one left in flight.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Header, Router

from kith.asks.answers import AskAnswers
from kith.asks.crisis import crisis_nearby, crisis_needs, crisis_point
from kith.asks.idempotency import (
    MAX_KEY_LENGTH,
    IdempotentRequest,
    StoredResponse,
    request_hash,
)
from kith.asks.models import Ask, AskSource, CrisisOption
from kith.asks.schemas import (
    AskIn,
    AskOut,
    CrisisOptionOut,
    ErrorOut,
    RateLimitedOut,
    SuggestionOut,
)
from kith.asks.selectors import crisis_options, suggestions_for
from kith.asks.sending import AskRateLimited, ask_send
from kith.core.client import client_address
from kith.core.errors import ValidationFailed

router = Router(tags=["asks"])
API_SCOPE = "api:asks"


def _crisis_out(options: list[CrisisOption]) -> list[dict[str, object]]:
    return [CrisisOptionOut.from_orm(option).model_dump(mode="json") for option in options]


@router.post(
    "",
    operation_id="createAsk",
    summary="Ask for help",
    description="Creates an ask routed to the team covering the postcode (or the default "
    "team). Screening never blocks an ask: when the words suggest danger the response is "
    "`urgent` with crisis options to show at once. The body must be JSON (`Content-Type: "
    "application/json`); any other body answers 415, so no other website can send asks "
    "through its visitors' browsers.",
    response={
        201: AskOut,
        400: ErrorOut,
        409: ErrorOut,
        # Answered by kith/core/boundary.py before this function runs: a body that is not JSON.
        415: ErrorOut,
        422: ErrorOut,
        429: RateLimitedOut,
    },
)
def ask_create(
    request: HttpRequest,
    payload: AskIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> HttpResponse:
    data = payload.model_dump()
    key = (idempotency_key or "").strip()
    if idempotency_key is not None and not (0 < len(key) <= MAX_KEY_LENGTH):
        raise ValidationFailed(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters", field="Idempotency-Key"
        )
    answers = AskAnswers.from_dict({k: v for k, v in data.items() if v is not None})
    try:
        sent = ask_send(
            request=IdempotentRequest(scope=API_SCOPE, key=key, fingerprint=request_hash(data))
            if key
            else None,
            client=client_address(request),
            answers=answers,
            source=AskSource.API,
            respond=lambda ask: StoredResponse(status=201, body=_ask_out(request, ask)),
        )
    except AskRateLimited:
        return JsonResponse(
            {
                "error": {
                    "code": "rate_limited",
                    "message": "Too many asks from this address. Try again later. If you "
                    "need help now, use the crisis support listed here.",
                },
                "crisis_support": _crisis_out(crisis_options()),
            },
            status=429,
        )
    return JsonResponse(sent.response.body, status=sent.response.status)


def _ask_out(request: HttpRequest, ask: Ask) -> dict[str, object]:
    """The answer to a new ask, stored with its key so a retry gets the same."""
    found = suggestions_for(words=f"{ask.text} {ask.what_would_help}", postcode=ask.postcode)
    # Urgent: the crisis lines matched to the need, and crisis support near them open now.
    needs = crisis_needs(
        categories=ask.screening_categories,
        words=f"{ask.text}\n{ask.what_would_help}",
        age_band=ask.age_band,
    )
    local_crisis = (
        crisis_nearby(point=crisis_point(ask.postcode), needs=needs).open_now
        if ask.is_urgent
        else []
    )
    return AskOut(
        reference=ask.reference,
        urgent=ask.is_urgent,
        crisis_support=[CrisisOptionOut.from_orm(o) for o in crisis_options(needs)]
        if ask.is_urgent
        else [],
        suggestions=[
            SuggestionOut(
                id=hit.service.pk,
                name=hit.service.name,
                organization=hit.service.organization.name if hit.service.organization else "",
                url=request.build_absolute_uri(
                    reverse("directory:service_show", kwargs={"service_id": hit.service.pk})
                ),
                distance_m=hit.distance_m,
            )
            for hit in [*local_crisis, *found.hits]
        ],
        respond_by=ask.respond_by_at,
    ).model_dump(mode="json")
