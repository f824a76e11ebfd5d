"""Forms for the "Ask for help" journey, one per page. They validate; they never save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from kith.asks.answers import LIMITS
from kith.asks.models import AgeBand, ContactMethod, Ethnicity, GenderIdentity, Sex
from kith.asks.services import NOTE_LIMIT, normalise_phone
from kith.core.errors import ValidationFailed
from kith.directory.geo import normalise_postcode


def within(limit: int) -> Callable[[str], None]:
    def check(value: str) -> None:
        if len(value) > limit:
            raise forms.ValidationError(
                f"This must be {limit:,} characters or fewer. You have written {len(value):,}. "
                "Everything you wrote is kept below."
            )

    return check


def _text(name: str, *, required: bool = False, message: str = "") -> forms.CharField:
    return forms.CharField(
        required=required,
        strip=True,
        validators=[within(LIMITS[name])],
        error_messages={"required": message},
    )


class AskForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)


class HappeningForm(AskForm):
    text = _text("text", required=True, message="Tell us what is happening, in your own words")


class HelpForm(AskForm):
    what_would_help = _text("what_would_help")
    what_matters = _text("what_matters")


class ContactForm(AskForm):
    contact_method = forms.ChoiceField(
        choices=ContactMethod.choices,
        error_messages={
            "required": "Choose how you would like us to get in touch",
            "invalid_choice": "Choose how you would like us to get in touch",
        },
    )
    contact_phone = _text("contact_phone")
    contact_email = forms.EmailField(
        required=False,
        max_length=LIMITS["contact_email"],
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address of 254 characters or fewer",
        },
    )
    contact_times = _text("contact_times")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("contact_method")
        phone = data.get("contact_phone", "")
        if method in (ContactMethod.PHONE, ContactMethod.TEXT) and not phone:
            self.add_error("contact_phone", "Enter a phone number, like 07700 900123")
        elif phone:
            try:
                normalise_phone(phone)
            except ValidationFailed as error:
                self.add_error("contact_phone", error.message)
        if (
            method == ContactMethod.EMAIL
            and not data.get("contact_email")
            and not self.has_error("contact_email")
        ):
            self.add_error("contact_email", "Enter an email address, like name@example.com")
        return data


class AccessForm(AskForm):
    language = _text("language")
    needs_interpreter = forms.TypedChoiceField(
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=False,  # type: ignore[arg-type]
        error_messages={"invalid_choice": "Choose yes or no"},
    )
    access_needs = _text("access_needs")


def _optional_choice(choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(
        required=False,
        choices=[("", "")] + choices,
        error_messages={"invalid_choice": "Choose one of the options, or leave it blank"},
    )


class AboutYouForm(AskForm):
    age_band = _optional_choice(AgeBand.choices)
    sex = _optional_choice(Sex.choices)
    gender_identity = _optional_choice(GenderIdentity.choices)
    ethnicity = _optional_choice(Ethnicity.choices)
    postcode = _text("postcode")

    def clean_postcode(self) -> str:
        raw = self.cleaned_data.get("postcode", "")
        if not raw:
            return ""
        try:
            return normalise_postcode(raw)
        except ValidationFailed:
            raise forms.ValidationError(
                "Enter a postcode, like SW9 8EJ, or leave it blank"
            ) from None


class CheckForm(AskForm):
    idempotency_key = forms.CharField(max_length=64)
    website = forms.CharField(required=False)  # honeypot: hidden from people, filled by bots


class NoteForm(AskForm):
    text = forms.CharField(
        strip=True,
        validators=[within(NOTE_LIMIT)],
        error_messages={"required": "Write what you want to add"},
    )
