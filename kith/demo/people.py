"""Fictional people who asked the demo team for help, so the huddle board has a day's work on it:
new asks (one urgent, one waiting longer than the team's response time) and someone the team is
already working with, whose next step is due today. Everyone here is made up; emails are on
example.com. Idempotent: loads once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kith.asks.answers import AskAnswers
from kith.asks.models import Ask
from kith.asks.services import ask_submit
from kith.care.models import LifeDomain, StepOwner
from kith.care.services import (
    ask_pick_up,
    conversation_record,
    goal_add,
    note_add,
    plan_update,
    step_add,
)
from kith.demo.teams import DEMO_TEAM_NAME, DEMO_WORKERS
from kith.people.models import Consent, Person
from kith.teams.models import TeamMember

DEMO_EMAIL_DOMAIN = ".demo@example.com"


@dataclass(frozen=True)
class DemoAsk:
    name: str
    postcode: str
    hours_ago: int
    text: str
    what_would_help: str = ""


ASKS = (
    DemoAsk(
        "Jordan",
        "SW9 8EJ",
        5,
        "My hours got cut and I can't stop worrying about the rent. I'm not sleeping.",
        "Someone to help me sort out the money side, and to talk to.",
    ),
    DemoAsk(
        "Mo",
        "SE11 5HL",
        1,
        "I don't want to be here anymore. Everything feels pointless since my dad died.",
    ),
    DemoAsk(
        "Ellis",
        "SW2 1RW",
        30,
        "I moved here in the summer and I don't know anyone. I'd like to meet people.",
        "A group where I can just turn up.",
    ),
)
WORKING_WITH = DemoAsk(
    "Ruby",
    "SW4 7AA",
    24 * 6,
    "Since the baby I feel flat and I've stopped going out. My partner is worried.",
    "Getting out of the house, and talking to other parents.",
)


def _email(name: str) -> str:
    return f"{name.lower()}{DEMO_EMAIL_DOMAIN}"


def _ask(item: DemoAsk, *, now: dt.datetime) -> Ask:
    # As if each had signed in with their email before: only a proved contact signs anyone in.
    person = Person.objects.create(
        display_name=item.name,
        email=_email(item.name),
        email_verified_at=now - dt.timedelta(hours=item.hours_ago),
        preferred_contact="email",
    )
    answers: dict[str, object] = {
        "text": item.text,
        "what_would_help": item.what_would_help,
        "postcode": item.postcode,
        "contact_method": "email",
        "contact_email": person.email,
    }
    # Made up and back-dated: nobody to send a confirmation to.
    ask = ask_submit(answers=AskAnswers.from_dict(answers), person=person, send_confirmation=False)
    sent = now - dt.timedelta(hours=item.hours_ago)
    hours = ask.team.response_time_hours if ask.team else 24
    Ask.objects.filter(pk=ask.pk).update(
        created_at=sent, respond_by_at=sent + dt.timedelta(hours=hours)
    )
    Consent.objects.filter(ask=ask).update(given_at=sent)  # they shared when they asked
    ask.refresh_from_db()
    return ask


@transaction.atomic
def load_demo_people() -> list[str]:
    """Create the demo people and their asks once (after the demo team); returns lines to print.
    Their asks go where a real ask from their postcode would: the demo team covers them."""
    if Person.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).exists():
        return ["Demo people who asked for help are already loaded."]
    worker = TeamMember.objects.select_related("team").get(
        team__name=DEMO_TEAM_NAME, user__username=DEMO_WORKERS[0][0]
    )
    now = timezone.now().replace(microsecond=0)
    references = [_ask(item, now=now).reference for item in ASKS]
    ask = _ask(WORKING_WITH, now=now)
    involvement = ask_pick_up(ask=ask, member=worker)
    conversation_record(
        ask=ask,
        member=worker,
        happened_at=ask.created_at + dt.timedelta(hours=3),
        method="phone",
        with_whom="Ruby",
        summary="Talked about the last few months and what a good week would look like.",
        next_step="Call Ruby about the parents' walking group",
        next_step_due_on=timezone.localdate(),
    )
    note_add(
        involvement=involvement,
        author=worker,
        text="Ruby would like to try the Tuesday parents' walk. I will call on Friday.",
    )
    plan_update(
        involvement=involvement,
        member=worker,
        what_matters="Feeling like myself again and getting out with the baby.",
    )
    goal = goal_add(
        involvement=involvement,
        member=worker,
        text="Go out with the baby three times a week",
        domain=LifeDomain.LEISURE,
        score=3,
        recorded_on=timezone.localdate(),
    )
    step_add(
        involvement=involvement,
        member=worker,
        text="Try the Tuesday parents' walk",
        who=StepOwner.ME,
        goal=goal,
    )
    return [
        f"Demo people asked the team for help: {', '.join(references)} are new on the board, "
        f"and {worker.display_name} is working with Ruby ({ask.reference}).",
        f"Ruby can sign in at /sign-in/ with the reference {ask.reference} and the email "
        f"{_email('Ruby')}; the code goes to var/outbox/ (no email is sent in the demo).",
    ]
