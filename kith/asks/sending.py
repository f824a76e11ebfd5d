"""Sending an ask, once: the one implementation behind the web journey and the API.

Both answer in their own way, but the steps are the same and run in one transaction
(`kith.asks.idempotency.idempotent`): claim the key, check the answers, count the client against
the rate limit (kith.asks.rate_limit), save the ask, and store the response with the key. A
crash anywhere before the commit leaves no ask and no key, so a retry sends exactly one ask.
Nothing is sent to the person until it commits (`ask_submit` waits for `on_commit`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kith.asks.answers import AskAnswers
from kith.asks.idempotency import Done, IdempotentRequest, StoredResponse, idempotent
from kith.asks.models import Ask, AskSource
from kith.asks.rate_limit import ask_rate_limit_hit
from kith.asks.services import ask_answers_check, ask_submit
from kith.core.errors import ApplicationError

if TYPE_CHECKING:
    from kith.people.models import Person


class AskRateLimited(ApplicationError):
    """Too many asks from this client address for now. Nothing was saved, and the caller keeps
    the person's words and shows the crisis options."""

    status = 429


def ask_send(
    *,
    request: IdempotentRequest | None,
    client: str,
    answers: AskAnswers,
    respond: Callable[[Ask], StoredResponse],
    source: str = AskSource.WEB,
    person: Person | None = None,
) -> Done[Ask]:
    """Save the ask and store `respond(ask)` with the key, or replay what the key already got.

    `client` is the sender's address (kith.core.client.client_address). Answers to correct
    raise ValidationFailed before anything is counted; over the rate limit raises
    AskRateLimited; also IdempotencyKeyInFlight or IdempotencyKeyReused. Whatever is raised,
    nothing was saved and the key is free.
    """

    def work() -> Ask:
        ask_answers_check(answers=answers)
        if ask_rate_limit_hit(client=client):
            raise AskRateLimited("Too many asks from this address. Try again later.")
        return ask_submit(answers=answers, source=source, person=person)

    return idempotent(request=request, work=work, respond=respond)
