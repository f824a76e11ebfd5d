"""Self-reported risk: a measure's risk answer reaches a human the same day, whoever records it.

A measure whose definition flags "risk" (PHQ-9 question 9 above zero, or any measure a deployment
adds: `kith.outcomes.measures`) marks the response `is_risk`. Recorded with a worker, it is on
their involvement, and the board shows it. Recorded by the person on their own from /my/, it
belongs to no involvement, and:

- every team with an open involvement with the person, who shares their record with it, has a
  same-day call on its huddle board (`kith.care.selectors.involvements_needing_same_day_call`
  matches the person's own responses as well as the involvement's);
- when there is no such team, `measure_risk_raise` raises an urgent ask for the person, routed
  exactly as an ask from them would be (`kith.asks.services.ask_submit`: the team covering their
  latest postcode, else the default team; back to the team and worker they know, reopening a
  closed record), and opens an involvement for it, with nobody named yet, when the routing did not
  bring it back to one. The board shows it as a same-day call and as the first new ask.
- The raised ask shares the person's record with that team as asking does, unless they ever
  stopped sharing with it (`kith.care.consent.consent_share_by_asking`): then the ask and the
  involvement wait, unseen, until the person shares again, and the result page says plainly that
  nobody there can see the answers.

The write and the read live together here because the result page must say exactly what the
write did: `risk_follow_up_for_person` tells the person who will get in touch, and who cannot
see their answers. Nothing here refuses, hides or delays anything: the response is always kept,
and the person always sees the crisis options.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from kith.asks.answers import AskAnswers
from kith.asks.models import Ask, AskSource, ContactMethod
from kith.asks.services import ask_assign, ask_submit
from kith.audit.events import Action, Purpose
from kith.audit.services import SYSTEM, audit
from kith.care.consent import consents_for_person
from kith.care.models import Involvement, InvolvementStatus
from kith.core.errors import ValidationFailed
from kith.outcomes.measures import measures, risk_answers
from kith.outcomes.models import CompletedBy, MeasureResponse
from kith.people.models import Person
from kith.teams.models import Team

PURPOSE = Purpose.SELF_REPORTED_RISK


@dataclass(frozen=True)
class RiskTeam:
    team: Team
    # Sharing: the organisations in the team the person keeps their record from. Not sharing:
    # whether they stopped sharing (else they never shared with the team).
    withheld_from: tuple[str, ...] = ()
    has_stopped: bool = False


@dataclass(frozen=True)
class RiskFollowUp:
    """Who follows up a risk answer the person gave on their own, as things stand now."""

    # Teams working with them (an open involvement) that they share their record with: each has
    # a same-day call on its board, and someone gets in touch.
    sharing: tuple[RiskTeam, ...]
    # Teams working with them that they do not share their record with: nobody there sees it.
    not_sharing: tuple[RiskTeam, ...]


def risk_follow_up_for_person(*, person: Person) -> RiskFollowUp:
    """The teams with an open involvement with the person, by name, split by whether the person
    shares their record with them now. Two queries."""
    teams: dict[object, Team] = {}
    for involvement in (
        Involvement.objects.select_related("team")
        .filter(person=person, status=InvolvementStatus.OPEN)
        .order_by("team__name", "team_id")
    ):
        teams.setdefault(involvement.team_id, involvement.team)
    consents = consents_for_person(person=person)
    shared = {c.team_id for c in consents if c.is_in_force and not c.is_withholding}
    stopped = {c.team_id for c in consents if not c.is_in_force and not c.is_withholding}
    withheld: dict[object, list[str]] = {}
    for consent in consents:
        if consent.is_in_force and consent.is_withholding:
            withheld.setdefault(consent.team_id, []).append(consent.withheld_organisation_name)
    sharing = tuple(
        RiskTeam(
            team=team, withheld_from=tuple(sorted(withheld.get(team_id, []), key=str.casefold))
        )
        for team_id, team in teams.items()
        if team_id in shared
    )
    not_sharing = tuple(
        RiskTeam(team=team, has_stopped=team_id in stopped)
        for team_id, team in teams.items()
        if team_id not in shared
    )
    return RiskFollowUp(sharing=sharing, not_sharing=not_sharing)


def _raised_text(response: MeasureResponse) -> str:
    """What the raised ask says, in the person's voice: the question and their answer, so the
    team knows why without opening anything else."""
    definition = measures().get(response.code)
    if definition is None:
        return "My answers to a measure on my account flag a risk."
    lines = [
        f"My answer to question {answer.number} of the {definition.short_name} was "
        f"“{answer.option.label}”: “{answer.item.text}”."
        for answer in risk_answers(response.code, response.answers)
    ]
    return " ".join(lines) or f"My answers to the {definition.short_name} flag a risk."


def _contact(person: Person, latest: Ask | None) -> dict[str, str]:
    """How the team can reach them: the contact details they proved on their account, the way
    they prefer; else what they gave on their latest ask."""
    email = person.email if person.email and person.email_verified_at else ""
    phone = person.phone if person.phone and person.phone_verified_at else ""
    if not (email or phone):
        if latest is None:
            return {"contact_method": ContactMethod.NONE}
        return {
            "contact_method": latest.contact_method,
            "contact_phone": latest.contact_phone,
            "contact_email": latest.contact_email,
        }
    preferred = person.preferred_contact
    usable: dict[str, bool] = {
        ContactMethod.PHONE: bool(phone),
        ContactMethod.TEXT: bool(phone),
        ContactMethod.EMAIL: bool(email),
        ContactMethod.NONE: True,  # "I'll get back in touch": the details still go with it
    }
    if usable.get(preferred, False):
        method = preferred
    else:
        method = ContactMethod.PHONE if phone else ContactMethod.EMAIL
    return {"contact_method": method, "contact_phone": phone, "contact_email": email}


@transaction.atomic
def measure_risk_raise(*, response: MeasureResponse) -> Ask | None:
    """Make sure a team follows up a risk answer the person gave on their own, today.

    Does nothing (None) for a response without risk, one recorded with a worker, or when a team
    working with the person already sees it on its board. Otherwise raises an urgent ask for the
    person, routed as an ask from them would be, with an involvement ready for it, and returns
    the ask. Never raises ValidationFailed: the person's answers are kept whatever happens here.
    """
    if not response.is_risk or response.completed_by != CompletedBy.PERSON:
        return None
    person = response.person
    if risk_follow_up_for_person(person=person).sharing:
        return None
    latest = (
        Ask.objects.filter(person=person, restricted_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    answers = AskAnswers(
        text=_raised_text(response),
        postcode=latest.postcode if latest else "",
        # What they told the team before still holds: the involvement page reads the latest ask.
        contact_times=latest.contact_times if latest else "",
        language=latest.language if latest else "",
        needs_interpreter=latest.needs_interpreter if latest else False,
        access_needs=latest.access_needs if latest else "",
        **_contact(person, latest),
    )
    ask = _ask_raise(answers=answers, person=person)
    if ask.involvement_id is None and ask.team is not None:
        involvement = Involvement(team=ask.team, person=person, worker=None)
        involvement.full_clean()
        involvement.save()
        ask_assign(ask=ask, worker=None, involvement_id=involvement.pk)
        audit(SYSTEM, involvement, action=Action.CHANGE, purpose=PURPOSE, person_id=person.pk)
    return ask


def _ask_raise(*, answers: AskAnswers, person: Person) -> Ask:
    """The urgent ask, through the asks' own routing. No confirmation message: the person is on
    the result page, which says what happens. Contact details that no longer pass the ask's
    checks are left out rather than losing the ask."""
    tries = [
        answers,
        AskAnswers(text=answers.text, postcode=answers.postcode),
        AskAnswers(text=answers.text),
    ]
    for attempt in tries[:-1]:
        try:
            return _ask_submit(attempt, person)
        except ValidationFailed:
            continue
    return _ask_submit(tries[-1], person)


def _ask_submit(answers: AskAnswers, person: Person) -> Ask:
    return ask_submit(
        answers=answers,
        source=AskSource.MEASURE,
        person=person,
        send_confirmation=False,
        is_urgent=True,
    )
