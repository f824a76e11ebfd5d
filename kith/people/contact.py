"""Cleaning contact details people type: email addresses and UK mobile numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from kith.core.errors import ValidationFailed

EMAIL_MAX = 254
PHONE_INPUT_MAX = 30
_PHONE_JUNK = re.compile(r"[\s\-().]")
_UK_MOBILE = re.compile(r"^7\d{9}$")


def normalise_email(raw: str, *, field: str = "email") -> str:
    value = raw.strip()
    if not value:
        raise ValidationFailed("Enter your email address", field=field)
    if len(value) > EMAIL_MAX:
        raise ValidationFailed("Enter an email address of 254 characters or fewer", field=field)
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationFailed(
            "Enter an email address in the correct format, like name@example.com", field=field
        ) from None
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def normalise_uk_mobile(raw: str, *, field: str = "phone") -> str:
    """A UK mobile number as +447xxxxxxxxx, from 07700 900123, +44 7700 900123 and the like."""
    value = raw.strip()
    if not value:
        raise ValidationFailed("Enter your mobile phone number", field=field)
    if len(value) > PHONE_INPUT_MAX:
        raise ValidationFailed(
            "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982", field=field
        )
    digits = _PHONE_JUNK.sub("", value)
    for prefix in ("+44", "0044", "44", "0"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if digits.startswith("0"):  # +44 (0)7700...
        digits = digits[1:]
    if not _UK_MOBILE.match(digits):
        raise ValidationFailed(
            "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982", field=field
        )
    return f"+44{digits}"


def normalise_contact(raw: str, *, field: str = "contact") -> tuple[str, str]:
    """An email address or a UK mobile number: ("email" | "phone", normalised value)."""
    value = raw.strip()
    if not value:
        raise ValidationFailed("Enter the email address or mobile number on your ask", field=field)
    if "@" in value:
        return "email", normalise_email(value, field=field)
    try:
        return "phone", normalise_uk_mobile(value, field=field)
    except ValidationFailed:
        raise ValidationFailed(
            "Enter an email address like name@example.com, or a UK mobile number like "
            "07700 900 982",
            field=field,
        ) from None
