"""Display values for the ask pages: the check-answers rows and "by when" in plain words."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from kith.asks.models import (
    AgeBand,
    Ask,
    AskStatus,
    ContactMethod,
    Ethnicity,
    GenderIdentity,
    Sex,
)
from kith.core.presenters import format_time_short

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
