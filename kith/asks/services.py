"""Writes for asks: sending one, adding to it, withdrawing it, claiming and erasing a person's.

Screening only ever adds help: an ask is saved whatever the screening says, flagged urgent when
it fires. Nothing here can turn an ask away.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import secrets
import uuid
from functools import partial
from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kith.asks.answers import CHOICES, LIMITS, AskAnswers
from kith.asks.models import Ask, AskNote, AskSource, AskStatus, ContactMethod, Outcome
from kith.asks.screening import screen
from kith.asks.selectors import team_for_postcode
from kith.asks.signals import ask_saved, asks_claimed
from kith.core.errors import ValidationFailed
from kith.core.notify import send_email, send_sms
from kith.directory.geo import normalise_postcode
from kith.teams.models import Team, TeamMember

if TYPE_CHECKING:
    from kith.people.models import Person

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U
REFERENCE_PREFIX: Final = "KTH"
DEFAULT_RESPONSE_HOURS: Final = 48
RETAIN_RESTRICTED_YEARS: Final = 8
NOTE_LIMIT: Final = 2000
_PHONE_CHARS = re.compile(r"[\s().-]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)(\d{9,10})$")


def reference_new() -> str:
    """'KTH-7Q4M-2X': 30^6 (729 million) references, no characters that look alike."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{REFERENCE_PREFIX}-{chars[:4]}-{chars[4:]}"


# What people put between the parts of a reference, or around it: spaces, dots, slashes and
# every kind of dash a phone keyboard offers.
_REFERENCE_SEPARATORS = re.compile(r"[\s.,/\\_\-\u2010-\u2015\u2212]+")
REFERENCE_TOO_SHORT: Final = (
    "A reference is KTH and then 6 letters and numbers, like KTH-7Q4M-2X. Check you have "
    "all of it: it is on the page you saw after asking, and in the message we sent you."
)
REFERENCE_UNUSED_CHARACTERS: Final = (
    "References never use the letters O, I, L or U, or the numbers 0 or 1. Check each letter "
    "and number against your reference, like KTH-7Q4M-2X."
)


def reference_normalise(raw: str) -> str:
    """A reference however it was typed: 'kth 7q4m 2x', '7Q4M2X' and 'KTH–7Q4M–2X' are all
    'KTH-7Q4M-2X'. Raises ValidationFailed (field "reference") saying what to check.

    The alphabet has neither O nor 0, nor 1, I or L, so a reference cannot be misread as one
    of those: there is nothing to guess, and a typed one is pointed out instead."""
    compact = _REFERENCE_SEPARATORS.sub("", raw or "").upper()
    if not compact:
        raise ValidationFailed("Enter your reference, like KTH-7Q4M-2X", field="reference")
    if compact.startswith(REFERENCE_PREFIX) and len(compact) == len(REFERENCE_PREFIX) + 6:
        compact = compact[len(REFERENCE_PREFIX) :]
    if len(compact) != 6 or not compact.isalnum():
        raise ValidationFailed(REFERENCE_TOO_SHORT, field="reference")
    if any(char not in REFERENCE_ALPHABET for char in compact):
        raise ValidationFailed(REFERENCE_UNUSED_CHARACTERS, field="reference")
    return f"{REFERENCE_PREFIX}-{compact[:4]}-{compact[4:]}"


def normalise_phone(raw: str) -> str:
    """'07700 900123' -> '+447700900123'. Raises ValidationFailed for something not a UK number."""
    compact = _PHONE_CHARS.sub("", raw or "")
    match = _UK_PHONE.match(compact)
    if not match:
        raise ValidationFailed("Enter a UK phone number, like 07700 900123", field="contact_phone")
    return f"+44{match.group(1)}"


def ask_answers_check(*, answers: AskAnswers) -> AskAnswers:
    """Validate and tidy answers. Raises ValidationFailed naming the first field to correct."""
    if not answers.text.strip():
        raise ValidationFailed("Tell us what is happening, in your own words", field="text")
    for name, limit in LIMITS.items():
        value = getattr(answers, name)
        if len(value) > limit:
            raise ValidationFailed(
                f"This must be {limit:,} characters or fewer. You have written {len(value):,}. "
                "Everything else you wrote is kept.",
                field=name,
                extra={"limit": limit, "length": len(value)},
            )
    for name, allowed in CHOICES.items():
        value = getattr(answers, name)
        if value and value not in allowed:
            raise ValidationFailed("Select one of the options", field=name)
    changes: dict[str, object] = {}
    method = answers.contact_method or ContactMethod.NONE
    changes["contact_method"] = method
    if method in (ContactMethod.PHONE, ContactMethod.TEXT) or answers.contact_phone:
        if not answers.contact_phone.strip():
            raise ValidationFailed(
                "Enter a phone number, like 07700 900123, or choose another way",
                field="contact_phone",
            )
        normalise_phone(answers.contact_phone)
    if method == ContactMethod.EMAIL or answers.contact_email:
        if not answers.contact_email.strip():
            raise ValidationFailed(
                "Enter an email address, like name@example.com, or choose another way",
                field="contact_email",
            )
        try:
            validate_email(answers.contact_email.strip())
        except ValidationError:
            raise ValidationFailed(
                "Enter an email address in the correct format, like name@example.com",
                field="contact_email",
            ) from None
        changes["contact_email"] = answers.contact_email.strip()
    if answers.postcode.strip():
        changes["postcode"] = normalise_postcode(answers.postcode)
    from dataclasses import replace

    return replace(answers, **changes)  # type: ignore[arg-type]


@transaction.atomic
def ask_submit(
    *,
    answers: AskAnswers,
    source: str = AskSource.WEB,
    person: Person | None = None,
    send_confirmation: bool = True,
    is_urgent: bool = False,
) -> Ask:
    """Save an ask, screened and routed. Raises ValidationFailed for answers to correct.

    Once it is committed, the person gets their reference by email or text, as they chose
    (`ask_confirmation_send`); `send_confirmation=False` where they learn of it another way
    or nobody asked (the demo's made-up asks)."""
    answers = ask_answers_check(answers=answers)
    screening = screen(answers.words())
    team = team_for_postcode(postcode=answers.postcode)
    hours = team.response_time_hours if team else DEFAULT_RESPONSE_HOURS
    now = timezone.now().replace(microsecond=0)
    ask = Ask(
        text=answers.text,
        what_would_help=answers.what_would_help,
        what_matters=answers.what_matters,
        contact_method=answers.contact_method,
        contact_phone=normalise_phone(answers.contact_phone) if answers.contact_phone else "",
        contact_email=answers.contact_email,
        contact_times=answers.contact_times,
        language=answers.language,
        needs_interpreter=answers.needs_interpreter,
        access_needs=answers.access_needs,
        age_band=answers.age_band,
        sex=answers.sex,
        gender_identity=answers.gender_identity,
        ethnicity=answers.ethnicity,
        postcode=answers.postcode,
        postcode_district=answers.postcode.split(" ")[0] if answers.postcode else "",
        team=team,
        respond_by_at=now + dt.timedelta(hours=hours),
        # Urgent when the words suggest danger, or when the caller already knows it is (a
        # measure's risk answer: kith.care.services.measure_risk_raise).
        is_urgent=screening.is_urgent or is_urgent,
        screening_categories=list(screening.categories),
        screening_matches=list(screening.matches),
        source=source,
        person=person,
    )
    for _attempt in range(5):
        ask.reference = reference_new()
        try:
            with transaction.atomic():
                ask.save(force_insert=True)
        except IntegrityError:
            if Ask.objects.filter(reference=ask.reference).exists():
                continue
            raise
        # The team side receives it (`kith.care.receiving`): a returning person goes back to
        # their team and worker, and asking shares their record with that team.
        ask_saved.send(sender=Ask, ask=ask, person=person)
        if send_confirmation:
            transaction.on_commit(partial(_ask_confirmation_send_later, ask.pk))
        return ask
    raise RuntimeError("Could not find a free reference after 5 attempts")


def _team_contact_lines(team: Team | None) -> list[str]:
    if team is None:
        return []
    lines = [
        f"{label}: {value}"
        for label, value in (
            ("Phone", team.contact_phone),
            ("Email", team.contact_email),
            ("When someone answers", team.contact_hours),
        )
        if value
    ]
    return [f"To reach {team.name} yourself:", *lines] if lines else []


def ask_confirmation_text(*, ask: Ask, is_text_message: bool) -> str:
    """The confirmation message: the reference, who will be in touch and how to reach them.

    Never the words of the ask, nor anything else the person wrote: a message can be read on a
    shared phone or inbox, and over the shoulder."""
    team_name = ask.team.name if ask.team else "a local team"
    if is_text_message:
        lines = [f"Kith: we have your ask for help. Your reference is {ask.reference}."]
        lines.append(f"A person from {team_name} will get in touch.")
        if ask.team and ask.team.contact_phone:
            hours = f" ({ask.team.contact_hours})" if ask.team.contact_hours else ""
            lines.append(f"To reach them: {ask.team.contact_phone}{hours}.")
        lines.append("Need help now? Samaritans free on 116 123, any time.")
        return " ".join(lines)
    paragraphs = [
        "Thank you for asking for help. We have your ask.",
        f"Your reference is {ask.reference}. Keep it: quote it if you contact the team. To see "
        'your ask, choose "Your record" on Kith and come back with your reference and this '
        "email address.",
        f"A person from {team_name} will get in touch by email, as you asked.",
        "\n".join(_team_contact_lines(ask.team)),
        "If you need help now, call Samaritans free on 116 123, any time, or 999 in an emergency.",
        "If you did not ask for help, you can ignore this email.",
    ]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def ask_confirmation_send(*, ask: Ask) -> bool:
    """Send the reference the way the person chose to hear from us: an email to the address on
    the ask, or a text to the number on the ask; never to any other contact we hold. A phone
    call or "I'll get back in touch" gets no message (False): the confirmation page says so.
    A failure to send is logged and never undoes the ask."""
    try:
        if ask.contact_method == ContactMethod.EMAIL and ask.contact_email:
            send_email(
                to=ask.contact_email,
                subject=f"Your Kith reference: {ask.reference}",
                body=ask_confirmation_text(ask=ask, is_text_message=False),
            )
            return True
        if ask.contact_method == ContactMethod.TEXT and ask.contact_phone:
            send_sms(
                to=ask.contact_phone, body=ask_confirmation_text(ask=ask, is_text_message=True)
            )
            return True
    except Exception:  # the ask is saved: losing the message must not look like losing the ask
        logger.exception("Sending an ask's confirmation failed")
    return False


def _ask_confirmation_send_later(ask_id: uuid.UUID) -> None:
    """After the ask is committed, with the team it finally went to."""
    ask = Ask.objects.select_related("team").filter(pk=ask_id).first()
    if ask is not None:
        ask_confirmation_send(ask=ask)


@transaction.atomic
def ask_note_add(*, ask: Ask, person: Person, text: str) -> AskNote:
    """The person adds to their ask. Words that suggest danger flag the ask urgent (never less)."""
    text = text.strip()
    if not text:
        raise ValidationFailed("Write what you want to add", field="text")
    if len(text) > NOTE_LIMIT:
        raise ValidationFailed(
            f"This must be {NOTE_LIMIT:,} characters or fewer. You have written {len(text):,}.",
            field="text",
        )
    if ask.status == AskStatus.WITHDRAWN:
        raise ValidationFailed(
            "You withdrew this ask. To ask for help again, start a new ask.", field="text"
        )
    note = AskNote(ask=ask, person=person, text=text)
    note.full_clean()
    note.save()
    screening = screen(text)
    if screening.is_urgent:
        ask.is_urgent = True
        ask.screening_categories = sorted(set(ask.screening_categories) | set(screening.categories))
        ask.screening_matches = sorted(set(ask.screening_matches) | set(screening.matches))
        ask.save(update_fields=["is_urgent", "screening_categories", "screening_matches"])
    return note


@transaction.atomic
def ask_withdraw(*, ask: Ask, person: Person) -> Ask:
    """The person no longer wants this ask. The door stays open: they can ask again any time."""
    if ask.status == AskStatus.WITHDRAWN:
        return ask
    ask.status = AskStatus.WITHDRAWN
    ask.withdrawn_at = timezone.now()
    ask.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return ask


@transaction.atomic
def asks_claim_for_person(*, person: Person, email: str = "", phone: str = "") -> int:
    """Attach unclaimed asks whose contact matches a VERIFIED contact of the person.

    The caller must have verified `email` / `phone` (a sign-in link or code). Returns how many.
    """
    condition = Q()
    if email.strip():
        condition |= Q(contact_email__iexact=email.strip())
    if phone.strip():
        with contextlib.suppress(ValidationFailed):
            condition |= Q(contact_phone=normalise_phone(phone))
    if not condition:
        return 0
    claimed = list(Ask.objects.filter(condition, person__isnull=True).values_list("pk", flat=True))
    if not claimed:
        return 0
    Ask.objects.filter(pk__in=claimed).update(person=person, updated_at=timezone.now())
    # Their record follows them (`kith.care.receiving`): the team's work on these asks becomes
    # theirs to see, and asking counts as sharing with the team each ask is with.
    asks_claimed.send(sender=Ask, person=person, ask_ids=claimed)
    return len(claimed)


@transaction.atomic
def asks_erase_for_person(*, person: Person) -> list[str]:
    """Erase the asks that are theirs alone; restrict what must be kept, and say what and why."""
    kept: list[str] = []
    today = timezone.localdate()
    retain_until = today.replace(year=today.year + RETAIN_RESTRICTED_YEARS)
    for ask in Ask.objects.filter(person=person):
        if ask.is_urgent:
            reason = (
                f"Your ask {ask.reference} is kept until {retain_until:%-d %B %Y} as a clinical "
                "safety record, because its words suggested you or someone else might be in "
                "danger. It is hidden from everyone except the team's safeguarding lead."
            )
        elif ask.status in (AskStatus.IN_TOUCH, AskStatus.CLOSED):
            reason = (
                f"Your ask {ask.reference} is kept until {retain_until:%-d %B %Y} because a team "
                "has worked with you on it, so it is part of a care record. It is hidden from "
                "everyone except the team's safeguarding lead."
            )
        else:
            ask.delete()
            continue
        AskNote.objects.filter(ask=ask).update(person=None)
        ask.person = None
        ask.restricted_at = timezone.now()
        ask.retain_until = retain_until
        ask.save(update_fields=["person", "restricted_at", "retain_until", "updated_at"])
        kept.append(reason)
    return kept


# The team's response (issue 4). Called by kith.care.services, which checks access and audits.


@transaction.atomic
def ask_assign(
    *,
    ask: Ask,
    worker: TeamMember | None,
    involvement_id: uuid.UUID | None,
    team: Team | None = None,
) -> Ask:
    """Name the worker (None: nobody yet) and the involvement (by id: care's, above this app); a
    new team restarts the clock."""
    fields = ["worker", "involvement", "updated_at"]
    if team is not None and team.pk != ask.team_id:
        ask.team = team
        ask.respond_by_at = ask.created_at + dt.timedelta(hours=team.response_time_hours)
        fields += ["team", "respond_by_at"]
    if worker is not None and ask.worker_id != worker.pk:
        ask.picked_up_at = timezone.now()
        fields.append("picked_up_at")
    ask.worker = worker
    ask.involvement_id = involvement_id
    ask.save(update_fields=fields)
    return ask


@transaction.atomic
def ask_first_conversation_record(*, ask: Ask, at: dt.datetime) -> Ask:
    """Keep when the first conversation happened (once); the ask is then in touch."""
    if ask.first_conversation_at is not None:
        return ask
    ask.first_conversation_at = at
    fields = ["first_conversation_at", "updated_at"]
    if ask.status == AskStatus.NEW:
        ask.status = AskStatus.IN_TOUCH
        fields.append("status")
    ask.save(update_fields=fields)
    return ask


@transaction.atomic
def ask_outcome_record(*, ask: Ask, outcome: str) -> Ask:
    """Close the ask with how it ended. Withdrawn asks keep their status and get the outcome."""
    if outcome not in Outcome.values:
        raise ValidationFailed("Select how working together ended", field="outcome")
    ask.outcome = outcome
    fields = ["outcome", "updated_at"]
    if ask.status in (AskStatus.NEW, AskStatus.IN_TOUCH):
        ask.status = AskStatus.CLOSED
        fields.append("status")
    ask.save(update_fields=fields)
    return ask
