"""Forms for signing in and for the person's record. They validate and clean; services write."""

from __future__ import annotations

from typing import Any

from django import forms

from kith.asks.services import reference_normalise
from kith.core.errors import ValidationFailed
from kith.people.contact import normalise_contact, normalise_email, normalise_uk_mobile
from kith.people.models import Person
from kith.teams.models import Team

TOO_LONG = "Enter {max} characters or fewer"


def _clean(function: Any, value: str, **kwargs: Any) -> str:
    try:
        result: str = function(value, **kwargs)
    except ValidationFailed as error:
        raise forms.ValidationError(error.message) from None
    return result


class EmailSignInForm(forms.Form):
    email = forms.CharField(
        max_length=1000,
        required=True,
        error_messages={
            "required": "Enter your email address",
            "max_length": "Enter an email address of 254 characters or fewer",
        },
    )

    def clean_email(self) -> str:
        return _clean(normalise_email, self.cleaned_data["email"])


class TextSignInForm(forms.Form):
    phone = forms.CharField(
        max_length=1000,
        error_messages={
            "required": "Enter your mobile phone number",
            "max_length": "Enter a UK mobile number, like 07700 900 982",
        },
    )

    def clean_phone(self) -> str:
        return _clean(normalise_uk_mobile, self.cleaned_data["phone"])


class ReferenceSignInForm(forms.Form):
    reference = forms.CharField(
        max_length=32,
        error_messages={
            "required": "Enter your reference, like KTH-7Q4M-2X",
            "max_length": "Enter a reference of 32 characters or fewer, like KTH-7Q4M-2X",
        },
    )
    contact = forms.CharField(
        max_length=1000,
        error_messages={
            "required": "Enter the email address or mobile number on your ask",
            "max_length": "Enter an email address or a UK mobile number",
        },
    )

    def clean_reference(self) -> str:
        """However it was typed (spaces, no hyphens, lower case); says what to check if it
        cannot be a reference at all. Whether it matches an ask is never said."""
        return _clean(reference_normalise, self.cleaned_data["reference"])

    def clean_contact(self) -> str:
        return _clean(lambda value: normalise_contact(value)[1], self.cleaned_data["contact"])


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Enter the 6-digit code we sent you",
            "max_length": "Enter the code as 6 digits, like 123456",
        },
    )

    def clean_code(self) -> str:
        value = str(self.cleaned_data["code"]).replace(" ", "")
        if len(value) != 6 or not value.isdigit():
            raise forms.ValidationError("Enter the code as 6 digits, like 123456")
        return value


class RememberForm(forms.Form):
    """The last step of signing in: "Keep me signed in on this device" (kith/people/sessions.py)."""

    remember = forms.BooleanField(required=False)


class SignInCodeForm(CodeForm, RememberForm):
    pass


class ContactForm(forms.Form):
    display_name = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter a name of 100 characters or fewer"},
    )
    email = forms.CharField(
        required=False,
        max_length=1000,
        error_messages={"max_length": "Enter an email address of 254 characters or fewer"},
    )
    phone = forms.CharField(
        required=False,
        max_length=1000,
        error_messages={"max_length": "Enter a UK mobile number, like 07700 900 982"},
    )
    preferred_contact = forms.ChoiceField(
        choices=Person.PreferredContact.choices,
        error_messages={
            "required": "Select how you would like us to contact you",
            "invalid_choice": "Select how you would like us to contact you",
        },
    )

    def clean_email(self) -> str:
        value = str(self.cleaned_data["email"]).strip()
        return _clean(normalise_email, value) if value else ""

    def clean_phone(self) -> str:
        value = str(self.cleaned_data["phone"]).strip()
        return _clean(normalise_uk_mobile, value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preferred = data.get("preferred_contact")
        if preferred == "email" and "email" in data and not data["email"]:
            self.add_error("email", "Enter an email address so we can email you")
        if preferred in {"text", "phone"} and "phone" in data and not data["phone"]:
            self.add_error("phone", "Enter a mobile number so we can reach you by phone")
        return data


# Who can see your record (/my/sharing/). Each form does one thing; services check the rest.

CHOOSE_AGAIN = "Something went wrong with that choice. Choose again from this page."


class ConsentForm(forms.Form):
    """Stop sharing with a team, or let an organisation see the record again: which decision."""

    consent = forms.UUIDField(error_messages={"required": CHOOSE_AGAIN, "invalid": CHOOSE_AGAIN})


class _TeamForm(forms.Form):
    """A team chosen from `teams`; cleaned to the Team itself."""

    team = forms.ChoiceField()

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - narrows the type
        field.choices = [(key, team.name) for key, team in self.teams.items()]

    def clean_team(self) -> Team:
        return self.teams[str(self.cleaned_data["team"])]


class ShareForm(_TeamForm):
    """Share the record with a team, chosen from every team."""

    team = forms.ChoiceField(
        error_messages={
            "required": "Select a team to share your record with",
            "invalid_choice": "Select a team from the list",
        }
    )


class WithholdForm(_TeamForm):
    """Keep the record from the staff of one organisation in one of the person's teams."""

    team = forms.ChoiceField(
        error_messages={"required": CHOOSE_AGAIN, "invalid_choice": CHOOSE_AGAIN}
    )
    organisation_name = forms.CharField(
        max_length=200,
        error_messages={"required": CHOOSE_AGAIN, "max_length": CHOOSE_AGAIN},
    )
