"""Display values for the ask pages: the check-answers rows and "by when" in plain words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from kith.asks.crisis import CrisisNearby, crisis_lines_reachable_now
from kith.asks.models import (
    AgeBand,
    Ask,
    AskStatus,
    ContactMethod,
    CrisisOption,
    Ethnicity,
    GenderIdentity,
    Sex,
)
from kith.core.presenters import format_time_short
from kith.directory.presenters import ResultView, result_view
from kith.directory.search import SearchHit
from kith.teams.models import Team

NOT_GIVEN = "Not given"


def _label(
    choices: type[ContactMethod | AgeBand | Sex | GenderIdentity | Ethnicity], value: object
) -> str:
    if not value:
        return NOT_GIVEN
    try:
        return str(choices(str(value)).label)
    except ValueError:
        return str(value)


def answer_rows(answers: dict[str, object]) -> list[dict[str, str]]:
    """Rows for the NHS.UK summary list on "Check your answers", each with a Change link."""

    def row(key: str, value: object, page: str, field: str) -> dict[str, str]:
        return {
            "key": key,
            "value": str(value) if value else NOT_GIVEN,
            "href": f"{reverse(page)}?return=check#{field}",
            "field": field,
        }

    method = answers.get("contact_method")
    contact = _label(ContactMethod, method)
    if method in (ContactMethod.PHONE, ContactMethod.TEXT):
        contact = f"{contact}: {answers.get('contact_phone', '')}"
    elif method == ContactMethod.EMAIL:
        contact = f"{contact}: {answers.get('contact_email', '')}"
    interpreter = "Yes" if answers.get("needs_interpreter") else "No"
    return [
        row("What is happening", answers.get("text"), "asks:ask_happening", "text"),
        row("What would help", answers.get("what_would_help"), "asks:ask_help", "what_would_help"),
        row("What matters to you", answers.get("what_matters"), "asks:ask_help", "what_matters"),
        row("How to reach you", contact, "asks:ask_contact", "contact_method"),
        row("When to reach you", answers.get("contact_times"), "asks:ask_contact", "contact_times"),
        row("Language", answers.get("language") or "English", "asks:ask_access", "language"),
        row("Interpreter", interpreter, "asks:ask_access", "needs_interpreter"),
        row("Access needs", answers.get("access_needs"), "asks:ask_access", "access_needs"),
        row("Age", _label(AgeBand, answers.get("age_band")), "asks:ask_about_you", "age_band"),
        row("Sex", _label(Sex, answers.get("sex")), "asks:ask_about_you", "sex"),
        row(
            "Gender same as sex registered at birth",
            _label(GenderIdentity, answers.get("gender_identity")),
            "asks:ask_about_you",
            "gender_identity",
        ),
        row(
            "Ethnic group",
            _label(Ethnicity, answers.get("ethnicity")),
            "asks:ask_about_you",
            "ethnicity",
        ),
        row("Postcode", answers.get("postcode"), "asks:ask_about_you", "postcode"),
    ]


def respond_by_text(ask: Ask) -> str:
    """'by 2pm on Tuesday 3 March 2026' in the locality's time."""
    if ask.respond_by_at is None:
        return ""
    local = timezone.localtime(ask.respond_by_at)
    return f"by {format_time_short(local.time())} on {local:%A} {local.day} {local:%B %Y}"


def status_label(ask: Ask) -> str:
    return str(AskStatus(ask.status).label)


@dataclass(frozen=True)
class TeamContact:
    """How a person reaches their team themselves, for the confirmation page."""

    name: str
    phone: str
    phone_href: str
    email: str
    hours: str

    @property
    def has_any(self) -> bool:
        return bool(self.phone or self.email)


def team_contact(team: Team | None) -> TeamContact | None:
    if team is None:
        return None
    return TeamContact(
        name=team.name,
        phone=team.contact_phone,
        phone_href="tel:" + re.sub(r"[^0-9+]", "", team.contact_phone),
        email=team.contact_email,
        hours=team.contact_hours,
    )


def phone_display(number: str) -> str:
    """'+447700900123' -> '07700 900123', as people write UK numbers."""
    if number.startswith("+44") and len(number) == 13:
        national = "0" + number[3:]
        return f"{national[:5]} {national[5:]}"
    return number


def confirmation_sent_text(ask: Ask) -> str:
    """Where the confirmation message went (kith.asks.services.ask_confirmation_send), or why
    none was sent."""
    if ask.contact_method == ContactMethod.EMAIL and ask.contact_email:
        return f"We have emailed your reference to {ask.contact_email}."
    if ask.contact_method == ContactMethod.TEXT and ask.contact_phone:
        return f"We have texted your reference to {phone_display(ask.contact_phone)}."
    if ask.contact_method == ContactMethod.PHONE:
        return (
            "We have not sent your reference to you, because you asked for a phone call. "
            "Write it down or take a screenshot."
        )
    return (
        "We have not sent your reference to you, because you did not give us an email address "
        "or a mobile number. Write it down or take a screenshot."
    )


def suggestions_are_near(hits: Sequence[SearchHit], *, radius_m: float) -> bool:
    """True only when every suggestion is known to be within `radius_m` of the person: anything
    else must not be called "near you"."""
    return bool(hits) and all(
        hit.distance_m is not None and hit.distance_m <= radius_m for hit in hits
    )


@dataclass(frozen=True)
class CrisisNear:
    """ "Crisis support near you" after an urgent ask: what is open now first, with its hours,
    then the lines open any time, then what opens within the day; never only what opens later."""

    open_now: list[ResultView]
    lines: list[CrisisOption]
    later: list[ResultView]
    search_href: str  # every crisis service near them, open now first


def crisis_near(
    nearby: CrisisNearby, *, lines: Sequence[CrisisOption], postcode: str, now: dt.datetime
) -> CrisisNear:
    return CrisisNear(
        open_now=[result_view(hit, now=now) for hit in nearby.open_now],
        lines=crisis_lines_reachable_now(lines),
        later=[result_view(hit, now=now) for hit in nearby.later],
        search_href=reverse("directory:search")
        + "?"
        + urlencode({"type": "crisis", "postcode": postcode}),
    )
