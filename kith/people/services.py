"""Writes about people: passwordless sign-in, contact details, export and closing an account.

Sign-in secrets are never stored or logged in the clear: only an HMAC-SHA256 of each is kept.
An email link lasts KITH_SIGN_IN_LINK_MINUTES (30) and works once; a code lasts
KITH_SIGN_IN_CODE_MINUTES (10) and allows KITH_SIGN_IN_CODE_ATTEMPTS (5) tries. Nothing a caller
sees depends on whether an account, ask or contact exists.

- A code works only in the browser session that asked for it (`session_binding`, a random value
  the caller keeps in that session), and a new code replaces only that session's earlier one,
  so nobody else can guess a person's code or cancel it by asking for one of their own.
- A "come back with your reference" attempt that does not match counts against the sending
  limit of the address it came from, never against the contact it names, and sends nothing.
- Only proved contacts (`Person.email_verified_at`, `phone_verified_at`) sign anyone in or
  claim asks. A new email address or mobile number from /my/contact/ waits as a
  `PendingContact` until the code sent to it comes back (`person_confirm_contact`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from kith.audit.events import Action, Purpose
from kith.audit.services import audit
from kith.core.errors import ValidationFailed
from kith.core.limits import limit_hit
from kith.core.notify import send_email, send_sms
from kith.people.contact import normalise_contact, normalise_email, normalise_uk_mobile
from kith.people.models import PendingContact, Person, SignInToken
from kith.people.signals import contact_proved

CODE_FAILED = "The code is not right or has expired. Check it, or get a new code."
CONTACT_LIMITED = {
    "email": "We have sent a lot of codes to this email address. Try again in an hour.",
    "phone": "We have sent a lot of codes to this mobile number. Try again in an hour.",
}
LINK_FAILED = "This sign-in link has expired or has already been used. Ask for a new one."
RATE_WINDOW_SECONDS = 3600


class SendResult(enum.Enum):
    SENT = "sent"
    LIMITED = "limited"


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _count_send(*, group: str, value: str, limit: int) -> bool:
    """Count one send by `value` in an hour (kith.core.limits); False when that is over `limit`.
    A limit of 0 or less is no limit."""
    rate = f"{limit}/{RATE_WINDOW_SECONDS}s" if limit > 0 else None
    return not limit_hit(group=group, value=value, rate=rate)


def _allow_send_from(*, ip: str) -> bool:
    """`ip` is the client address (kith.core.client.client_address)."""
    return _count_send(group="sign-in:ip", value=ip, limit=settings.KITH_SIGN_IN_SENDS_PER_IP)


def _allow_send_to(*, contact: str) -> bool:
    limit = settings.KITH_SIGN_IN_SENDS_PER_CONTACT
    return _count_send(group="sign-in:contact", value=contact, limit=limit)


def _allow_send(*, contact: str, ip: str) -> bool:
    """Count sends per contact and per IP address in a rolling hour; False when over either."""
    to_contact = _allow_send_to(contact=contact)
    from_ip = _allow_send_from(ip=ip)
    return to_contact and from_ip


def sign_in_send_link(*, email: str, ip: str, base_url: str) -> SendResult:
    """Email a one-time sign-in link to any valid address; the first use creates the account."""
    address = normalise_email(email)
    if not _allow_send(contact=address, ip=ip):
        return SendResult.LIMITED
    secret = secrets.token_urlsafe(32)
    minutes = settings.KITH_SIGN_IN_LINK_MINUTES
    SignInToken.objects.create(
        kind=SignInToken.Kind.LINK,
        contact=address,
        token_hash=_digest(f"link:{secret}"),
        expires_at=timezone.now() + dt.timedelta(minutes=minutes),
    )
    link = base_url.rstrip("/") + reverse("people:sign_in_link", kwargs={"secret": secret})
    send_email(
        to=address,
        subject="Sign in to Kith",
        body=(
            f"Use this link to sign in to Kith. It works once, for {minutes} minutes:\n\n{link}\n\n"
            "If you did not ask to sign in, you can ignore this email.\n\n"
            "If you need help now, call Samaritans free on 116 123, any time."
        ),
    )
    return SendResult.SENT


def _session_hash(session_binding: str) -> str:
    return _digest(f"session:{session_binding}")


def _send_code(*, kind: str, contact: str, session_binding: str) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = settings.KITH_SIGN_IN_CODE_MINUTES
    now = timezone.now()
    if not session_binding:
        raise ValueError("a code must be tied to the session that asks for it")
    session_hash = _session_hash(session_binding)
    with transaction.atomic():
        # A new code replaces this session's earlier one for the same contact (only this
        # session's: anyone can ask for a code to anyone's number, and must not cancel theirs).
        SignInToken.objects.filter(
            kind=SignInToken.Kind.CODE,
            contact=contact,
            session_hash=session_hash,
            used_at__isnull=True,
        ).update(expires_at=now)
        token_id = uuid.uuid4()
        SignInToken.objects.create(
            id=token_id,
            kind=SignInToken.Kind.CODE,
            contact=contact,
            token_hash=_digest(f"code:{token_id}:{code}"),
            session_hash=session_hash,
            expires_at=now + dt.timedelta(minutes=minutes),
        )
    body = f"Your Kith sign-in code is {code}. It lasts {minutes} minutes. Do not share it."
    if kind == "email":
        send_email(to=contact, subject="Your Kith sign-in code", body=body)
    else:
        send_sms(to=contact, body=body)


def sign_in_send_code(
    *, phone: str, ip: str, session_binding: str
) -> tuple[SendResult, dict[str, str]]:
    """Text a six-digit code that works in the asking session only. Returns the pending sign-in
    to keep in that session."""
    number = normalise_uk_mobile(phone)
    pending = {"kind": "phone", "contact": number}
    if not _allow_send(contact=number, ip=ip):
        return SendResult.LIMITED, pending
    _send_code(kind="phone", contact=number, session_binding=session_binding)
    return SendResult.SENT, pending


def sign_in_send_reference_code(
    *,
    reference: str,
    contact: str,
    ip: str,
    session_binding: str,
    ask_matches: Callable[[str, str], bool],
) -> tuple[SendResult, dict[str, str]]:
    """Send a code to the contact on an ask, only if the reference and contact match:
    `ask_matches(reference, contact)` says whether they do (the asks app knows; accounts sit
    below it). `reference` as `kith.asks.services.reference_normalise` writes it.

    The answer is the same whether or not they match, so nobody can learn which references or
    contact details exist: only the asking address's limit can answer LIMITED. An attempt that
    does not match never counts against the contact it names nor touches its codes; one that
    matches counts against the contact too, and past that limit sends nothing, silently.
    """
    if len(reference) > 32:
        raise ValidationFailed("Enter a reference of 32 characters or fewer", field="reference")
    kind, value = normalise_contact(contact)
    pending = {"kind": kind, "contact": value}
    if not _allow_send_from(ip=ip):
        return SendResult.LIMITED, pending
    if not ask_matches(reference, value):
        return SendResult.SENT, pending
    if _allow_send_to(contact=value):
        _send_code(kind=kind, contact=value, session_binding=session_binding)
    return SendResult.SENT, pending


def _person_for_contact(*, kind: str, contact: str) -> Person:
    """The open account that proved `contact` first, or a new one. A contact someone only typed
    (pending, or stored unproved before proof was asked for) never signs anyone in to it."""
    people = Person.objects.filter(closed_at__isnull=True).order_by("created_at", "id")
    now = timezone.now()
    if kind == "email":
        person = people.filter(email__iexact=contact, email_verified_at__isnull=False).first()
        if person is None:
            person = Person.objects.create(
                email=contact,
                email_verified_at=now,
                preferred_contact=Person.PreferredContact.EMAIL,
            )
    else:
        person = people.filter(phone=contact, phone_verified_at__isnull=False).first()
        if person is None:
            person = Person.objects.create(
                phone=contact, phone_verified_at=now, preferred_contact=Person.PreferredContact.TEXT
            )
    return person


def _signed_in(*, token: SignInToken, kind: str) -> Person:
    person = _person_for_contact(kind=kind, contact=token.contact)
    SignInToken.objects.filter(id=token.id).update(person=person)
    # Claimed with the contact this sign-in has just proved, never with a stored one.
    contact_proved.send(sender=Person, person=person, kind=kind, contact=token.contact)
    audit(person, person, action=Action.SIGN_IN, purpose=Purpose(f"sign_in_{token.kind}"))
    return person


def sign_in_with_link(*, secret: str) -> Person:
    """Use an email link once. Raises ValidationFailed when it is unknown, used or expired."""
    if not secret or len(secret) > 100:
        raise ValidationFailed(LINK_FAILED)
    with transaction.atomic():
        now = timezone.now()
        # Mark it used in one statement, so two clicks at once cannot both sign in.
        used = SignInToken.objects.filter(
            kind=SignInToken.Kind.LINK,
            token_hash=_digest(f"link:{secret}"),
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now)
        if used != 1:
            raise ValidationFailed(LINK_FAILED)
        token = SignInToken.objects.get(token_hash=_digest(f"link:{secret}"))
        return _signed_in(token=token, kind="email")


def sign_in_with_code(*, pending: dict[str, str], code: str, session_binding: str) -> Person:
    """Check a six-digit code for the pending contact, sent to this session. Every failure reads
    the same."""
    value = code.strip().replace(" ", "")
    if not value:
        raise ValidationFailed("Enter the 6-digit code we sent you", field="code")
    if len(value) != 6 or not value.isdigit():
        raise ValidationFailed("Enter the code as 6 digits, like 123456", field="code")
    contact, kind = pending.get("contact", ""), pending.get("kind", "")
    if not contact or kind not in {"email", "phone"} or not session_binding:
        raise ValidationFailed(CODE_FAILED, field="code")
    with transaction.atomic():
        now = timezone.now()
        token = (
            SignInToken.objects.select_for_update()
            .filter(
                kind=SignInToken.Kind.CODE,
                contact=contact,
                session_hash=_session_hash(session_binding),
                used_at__isnull=True,
                expires_at__gt=now,
            )
            .order_by("-created_at")
            .first()
        )
        if token is None or token.attempts >= settings.KITH_SIGN_IN_CODE_ATTEMPTS:
            raise ValidationFailed(CODE_FAILED, field="code")
        if not hmac.compare_digest(token.token_hash, _digest(f"code:{token.id}:{value}")):
            SignInToken.objects.filter(id=token.id).update(attempts=F("attempts") + 1)
            failed = True
        else:
            SignInToken.objects.filter(id=token.id).update(used_at=now)
            failed = False
    if failed:
        raise ValidationFailed(CODE_FAILED, field="code")
    return _signed_in(token=token, kind=kind)


def person_update_contact(
    *,
    person: Person,
    display_name: str,
    email: str,
    phone: str,
    preferred_contact: str,
    ip: str,
) -> list[PendingContact]:
    """Change how to be contacted. The change is audited (which fields, never their values).

    A name, a choice of how to be contacted and a contact taken away are stored at once. A new
    (or unproved) email address or mobile number is not: a code goes to it and it waits as a
    pending contact, the old one staying until the code comes back (`person_confirm_contact`).
    Returns those pending contacts, email first; none when nothing waits.
    """
    name = display_name.strip()
    if len(name) > 100:
        raise ValidationFailed("Enter a name of 100 characters or fewer", field="display_name")
    new_email = normalise_email(email) if email.strip() else ""
    new_phone = normalise_uk_mobile(phone) if phone.strip() else ""
    if preferred_contact not in Person.PreferredContact.values:
        raise ValidationFailed(
            "Select how you would like us to contact you", field="preferred_contact"
        )
    if preferred_contact == "email" and not new_email:
        raise ValidationFailed("Enter an email address so we can email you", field="email")
    if preferred_contact in {"text", "phone"} and not new_phone:
        raise ValidationFailed("Enter a mobile number so we can reach you by phone", field="phone")
    to_prove = [
        (kind, new)
        for kind, new, old, proved_at in (
            ("email", new_email, person.email, person.email_verified_at),
            ("phone", new_phone, person.phone, person.phone_verified_at),
        )
        if new and not (proved_at is not None and new.lower() == old.lower())
    ]
    for kind, new in to_prove:
        if not _allow_send(contact=new, ip=ip):
            raise ValidationFailed(CONTACT_LIMITED[kind], field=kind)
    values: dict[str, object] = {"display_name": name, "preferred_contact": preferred_contact}
    proving = {kind for kind, _new in to_prove}
    for kind, new in (("email", new_email), ("phone", new_phone)):
        if not new:
            values[kind], values[f"{kind}_verified_at"] = "", None
        elif kind not in proving:
            values[kind] = new  # the same proved contact, perhaps in other capitals
    changed = [field for field, new in values.items() if getattr(person, field) != new]
    secrets_sent: list[tuple[PendingContact, str]] = []
    now = timezone.now()
    with transaction.atomic():
        if changed:
            for field in changed:
                setattr(person, field, values[field])
            person.save(update_fields=[*changed, "updated_at"])
            audit(person, person, action=Action.CHANGE, purpose=Purpose.CONTACT_DETAILS)
        # The form says what the person wants now: whatever waited before is replaced.
        PendingContact.objects.filter(person=person).delete()
        for kind, new in to_prove:
            code = f"{secrets.randbelow(1_000_000):06d}"
            pending_id = uuid.uuid4()
            pending = PendingContact.objects.create(
                id=pending_id,
                person=person,
                kind=kind,
                contact=new,
                token_hash=_digest(f"contact:{pending_id}:{code}"),
                expires_at=now + dt.timedelta(minutes=settings.KITH_SIGN_IN_CODE_MINUTES),
            )
            secrets_sent.append((pending, code))
    for pending, code in secrets_sent:
        _send_contact_code(pending=pending, code=code)
    return [pending for pending, _code in secrets_sent]


def _send_contact_code(*, pending: PendingContact, code: str) -> None:
    minutes = settings.KITH_SIGN_IN_CODE_MINUTES
    what = "email address" if pending.kind == PendingContact.Kind.EMAIL else "mobile number"
    body = (
        f"Your Kith code to confirm this {what} is {code}. It lasts {minutes} minutes. "
        "Do not share it. If you did not ask for this, you can ignore it."
    )
    if pending.kind == PendingContact.Kind.EMAIL:
        send_email(to=pending.contact, subject="Confirm your email address for Kith", body=body)
    else:
        send_sms(to=pending.contact, body=body)


def person_confirm_contact(*, person: Person, pending: PendingContact, code: str) -> Person:
    """Prove a pending contact with the code sent to it: it becomes the person's, replacing the
    old one, and unclaimed asks made with it join their record. Every failure reads the same."""
    value = code.strip().replace(" ", "")
    if not value:
        raise ValidationFailed("Enter the 6-digit code we sent you", field="code")
    if len(value) != 6 or not value.isdigit():
        raise ValidationFailed("Enter the code as 6 digits, like 123456", field="code")
    with transaction.atomic():
        now = timezone.now()
        row = (
            PendingContact.objects.select_for_update()
            .filter(pk=pending.pk, person=person, expires_at__gt=now)
            .first()
        )
        if row is None or row.attempts >= settings.KITH_SIGN_IN_CODE_ATTEMPTS:
            raise ValidationFailed(CODE_FAILED, field="code")
        right = hmac.compare_digest(row.token_hash, _digest(f"contact:{row.id}:{value}"))
        if not right:
            PendingContact.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    if not right:
        raise ValidationFailed(CODE_FAILED, field="code")
    with transaction.atomic():
        if PendingContact.objects.filter(pk=row.pk).delete()[0] != 1:
            raise ValidationFailed(CODE_FAILED, field="code")  # confirmed twice at once
        setattr(person, row.kind, row.contact)
        setattr(person, f"{row.kind}_verified_at", now)
        person.save(update_fields=[row.kind, f"{row.kind}_verified_at", "updated_at"])
        audit(person, person, action=Action.CHANGE, purpose=Purpose.CONTACT_DETAILS)
        contact_proved.send(sender=Person, person=person, kind=row.kind, contact=row.contact)
    return person
