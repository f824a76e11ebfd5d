"""Writes for asks: sending one, adding to it, withdrawing it, claiming and erasing a person's.

Screening only ever adds help: an ask is saved whatever the screening says, flagged urgent when
it fires. Nothing here can reject an ask.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from kith.asks.answers import CHOICES, LIMITS, AskAnswers
from kith.asks.models import Ask, AskNote, AskSource, AskStatus, ContactMethod
from kith.asks.screening import screen
from kith.care.models import Involvement, Outcome, Team, TeamMember
from kith.care.selectors import team_whose_area_holds
from kith.core.errors import ValidationFailed
from kith.directory.geo import normalise_postcode, postcode_location

if TYPE_CHECKING:
    from kith.people.models import Person

REFERENCE_ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U
DEFAULT_RESPONSE_HOURS: Final = 48
RETAIN_RESTRICTED_YEARS: Final = 8
NOTE_LIMIT: Final = 2000
_PHONE_CHARS = re.compile(r"[\s().-]")
_UK_PHONE = re.compile(r"^(?:\+44|0044|0)(\d{9,10})$")


def reference_new() -> str:
    """'KTH-7Q4M-2X': 30^6 (729 million) references, no characters that look alike."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"KTH-{chars[:4]}-{chars[4:]}"


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


def team_for_postcode(*, postcode: str) -> Team | None:
    """The team covering the postcode's district; else the team whose area holds the postcode's
    centre (or its district's, when only the district is known); else the default team (None if
    there is none). A postcode that is malformed or not in the postcode table goes to the
    default team: routing never refuses an ask."""
    district = postcode.split(" ")[0].upper() if postcode else ""
    if not district:
        return Team.objects.filter(is_default=True).defer("area").first()
    # Areas can be large: never load them just to read the districts.
    for team in Team.objects.exclude(postcode_districts="").defer("area"):
        if district in team.districts:
            return team
    try:
        location = postcode_location(postcode)
    except ValidationFailed:
        location = None
    if location is not None:
        latitude, longitude = location
        covering = team_whose_area_holds(latitude=latitude, longitude=longitude)
        if covering is not None:
            return covering
    return Team.objects.filter(is_default=True).defer("area").first()


@transaction.atomic
def ask_submit(
    *, answers: AskAnswers, source: str = AskSource.WEB, person: Person | None = None
) -> Ask:
    """Save an ask, screened and routed. Raises ValidationFailed for answers to correct."""
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
        is_urgent=screening.is_urgent,
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
        if person is not None:
            # A returning person goes back to their team and worker (imported here: care's
            # services call this module's); asking shares their record with the team the ask
            # ends up with.
            from kith.care.consent import consent_share_by_asking
            from kith.care.services import involvement_return

            involvement_return(ask=ask)
            consent_share_by_asking(ask=ask)
        return ask
    raise RuntimeError("Could not find a free reference after 5 attempts")


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
    # Their record follows them: the team's work on these asks becomes theirs to see, and an ask
    # nobody has picked up yet goes back to the team and worker they know (imported here: care's
    # services call this module's).
    from kith.care.consent import consent_share_by_asking
    from kith.care.services import involvements_claim

    involvements_claim(person=person, ask_ids=claimed)
    # Asking counts as sharing with the team each ask is now with (unless they stopped sharing
    # with it after asking: their later choice stands).
    for ask in Ask.objects.filter(pk__in=claimed, person=person).order_by("created_at", "id"):
        consent_share_by_asking(ask=ask)
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
    involvement: Involvement | None,
    team: Team | None = None,
) -> Ask:
    """Name the worker (None: nobody yet) and the involvement; a new team restarts the clock."""
    fields = ["worker", "involvement", "updated_at"]
    if team is not None and team.pk != ask.team_id:
        ask.team = team
        ask.respond_by_at = ask.created_at + dt.timedelta(hours=team.response_time_hours)
        fields += ["team", "respond_by_at"]
    if worker is not None and ask.worker_id != worker.pk:
        ask.picked_up_at = timezone.now()
        fields.append("picked_up_at")
    ask.worker = worker
    ask.involvement = involvement
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
